// The engine's answers to one write, as the control API reports them: the same body and status
// over HTTP (ControlServer.h) and over the WebSocket (WsHub.h), so the two never disagree.
//
//   200 {"accepted": true,  "results": [{"field": "mic", "accepted": true,
//                                        "handover": "en.2" | null, "displaced": null}]}
//   409 {"accepted": false, "error": "...", "results": [..., {"field": "mic",
//        "accepted": false, "reason": "channel engaged", "holder": "sq.1"}]}
// (400 for a value the engine finds out of range, 503 when the engine is busy or not running).
//
// Thread contract: plain function; control thread (it reads the venue); allocates.
#pragma once

#include "control/CommandSequence.h"
#include "venue/Venue.h"

#include <QJsonObject>
#include <vector>

namespace dragoman::control {

struct WriteVerdict {
    int status = 200; // the HTTP status
    QJsonObject body;
};

WriteVerdict writeVerdict(const venue::Venue& venue, const std::vector<FieldAnswer>& answers);

} // namespace dragoman::control

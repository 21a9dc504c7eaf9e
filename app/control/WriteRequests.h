// The bodies of the HTTP API's writes, turned into engine commands — or refused, with a
// message that names the problem (HTTP 400). Only the shape and the names are checked here:
// values the engine judges (volume and tone ranges, which B/C channels a booth has, interlock)
// are left to the engine, so the API can never disagree with it.
//
//   POST /api/desks/{booth}/{n}   {"out": "A", "in": "en", "mic": true, "cough": false,
//                                  "volume": -6, "bass": 0, "treble": 0,
//                                  "call": "slow" | "help"}                   (any subset)
//   POST /api/channels/{code}     {"autofloor": false, "trim": -3}          (any subset)
//   POST /api/inputs/{n}          {"trim": -3}          (n: the device input, 0-based)
//   POST /api/booths/{code}       {"interlock": "override" | "interlock", "autorelay": true}
//   POST /api/monitor             {"channel": "en"} | {"desk": "en.1"} | {"mic": "en.1"}
//                                 | {"floorMic": 0}                          (exactly one)
//
// Desk fields are applied in the order out, in, mic, cough, volume, bass, treble, call (so
// {"out": "B", "mic": true} goes live on B), booth fields as interlock, autorelay; whatever
// the order in the body. "autoFloor" and "autoRelay" are accepted for their lower-case forms.
//
// Thread contract: plain functions; control thread (they read the venue); allocate.
#pragma once

#include "control/CommandSequence.h"
#include "venue/Venue.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace dragoman::control {

struct ParsedWrite {
    std::vector<FieldCommand> commands; // in the order they are to be applied
    QString error;                      // not empty: the request is refused with this message

    bool ok() const { return error.isEmpty(); }
};

ParsedWrite parseDeskWrite(const venue::Venue& venue, const QString& booth, const QString& desk,
                           const QByteArray& body);
ParsedWrite parseChannelWrite(const venue::Venue& venue, const QString& code,
                              const QByteArray& body);
ParsedWrite parseInputWrite(const venue::Venue& venue, const QString& input,
                            const QByteArray& body);
ParsedWrite parseBoothWrite(const venue::Venue& venue, const QString& booth,
                            const QByteArray& body);
ParsedWrite parseMonitorWrite(const venue::Venue& venue, const QByteArray& body);

} // namespace dragoman::control

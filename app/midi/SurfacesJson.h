// The MIDI surfaces as JSON, for GET /api/state ("midi") and the console:
// {"virtualIn": "dragoman-midi:in", "virtualOut": "dragoman-midi:out",
//  "surfaces": [{"input", "output", "mappings", "virtual", "messages", "commands", "unbound",
//                "waitingPickUp", "echoes", "dropped", "sent"}]}
//
// Thread contract: control thread; allocates.
#pragma once

#include <QJsonObject>

namespace dragoman::midi {

class MidiSurfaces;

QJsonObject surfacesJson(const MidiSurfaces& surfaces);

} // namespace dragoman::midi

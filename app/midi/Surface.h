// One connected surface as MidiSurfaces keeps it: its ports, the bindings that apply to it and
// what each control is known to show. Private to MidiSurfaces's own files (MidiSurfaces.cpp,
// SurfacePorts.cpp, SurfaceBindings.cpp, SurfaceFeedback.cpp).
//
// Thread contract: control thread; the MIDI threads only touch the InboxSources.
#pragma once

#include "midi/JackVirtualPorts.h"
#include "midi/MidiSurfaces.h"

#include <RtMidi.h>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <memory>

namespace dragoman::midi {

// Controller value <-> dB for levels: linear in dB from min (0) to max (127).
inline float levelDb(const Action& action, int value) {
    return action.minDb + (action.maxDb - action.minDb) * static_cast<float>(value) / 127.0f;
}

inline int levelValue(const Action& action, float db) {
    const float x = (db - action.minDb) / (action.maxDb - action.minDb) * 127.0f;
    return std::clamp(static_cast<int>(std::lround(x)), 0, 127);
}

struct MidiSurfaces::Surface {
    struct State {
        int devicePos = -1; // where the fader or knob is known to be (received or sent)
        bool pickedUp = false;
        int pending = 0;             // commands from this control not yet answered
        qint64 touchedMs = -1000000; // last moved by hand
        int led = -1;                // the LED value last sent
        bool moved = false;          // devicePos is where feedback moved it
    };

    std::uint64_t id = 0;
    std::string input;
    std::string output;
    bool isVirtual = false;
    std::unique_ptr<InboxSource> inbox; // declared before `in`: destroyed after it
    std::unique_ptr<RtMidiIn> in;
    std::unique_ptr<RtMidiOut> out;

    std::vector<std::string> mappingNames;
    std::vector<Binding> bindings;
    std::vector<LedValues> leds;
    std::map<int, std::vector<int>> preselect;
    std::map<Control, std::size_t> index;
    std::vector<State> state;

    std::uint64_t messages = 0;
    std::uint64_t commands = 0;
    std::uint64_t unbound = 0;
    std::uint64_t waitingPickUp = 0;
    std::uint64_t echoes = 0;
    std::uint64_t sent = 0;
};

struct MidiSurfaces::Virtual {
    std::unique_ptr<InboxSource> inbox;
    std::unique_ptr<JackVirtualPorts> ports;
};

struct MidiSurfaces::Probes {
    std::atomic<std::uint64_t> errors{0};
    std::unique_ptr<RtMidiIn> sources;
    std::unique_ptr<RtMidiOut> destinations;
};

} // namespace dragoman::midi

// A mapping: which note or controller of a MIDI surface does what. Loaded from a mapping file
// (MappingFile.h, docs in docs/session.md "MIDI mapping files"), resolved against the venue: every
// target is a flat desk, channel or device input index the engine knows.
//
// Thread contract: plain values; the control thread builds and reads them.
#pragma once

#include "core/Command.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dragoman::midi {

// A physical control: a key that sends notes, or a button, knob or fader that sends a
// controller (CC). Channel is 0-based (MIDI channel 1 = 0).
struct Control {
    enum class Type : std::uint8_t { Note, Cc };
    Type type = Type::Note;
    int channel = 0;
    int number = 0;

    bool operator==(const Control&) const = default;
    auto operator<=>(const Control&) const = default;
};

// "note 36 ch 1", "cc 7 ch 11".
std::string describe(const Control& control);

enum class ActionKind : std::uint8_t {
    Mic,         // desk mic: toggle or momentary
    Cough,       // desk cough key (momentary by default)
    Out,         // desk outgoing A/B/C, or the next slot the booth has
    In,          // desk incoming select: one channel (a key), or any channel (a knob)
    Preselect,   // desk pre-select key: the channel stored for that key
    Volume,      // desk headphone volume (a fader or knob)
    AutoFloor,   // channel auto-floor on/off
    Pfl,         // the technician's monitor listens to a channel, desk feed, desk mic or floor mic
    ChannelTrim, // a channel's trim (a fader or knob)
    InputTrim,   // a device input's trim (a fader or knob)
    Slow,        // desk slow key: asks the speaker to slow down (on press)
    Help,        // desk help key: calls the technician (on press)
};

std::string_view toString(ActionKind kind);
std::optional<ActionKind> actionKindFromString(std::string_view text);

enum class KeyMode : std::uint8_t { Toggle, Momentary };

// What a control does, with its target resolved against the venue.
struct Action {
    ActionKind kind = ActionKind::Mic;
    int desk = -1;    // flat desk index
    int channel = -1; // channel index (In with -1 on a controller: the knob picks any channel)
    int input = -1;   // device input (InputTrim)
    int key = -1;     // pre-select key, 0-based
    int slot = -1;    // Out: 0..2 = A/B/C, -1 = the next slot the booth has
    KeyMode mode = KeyMode::Toggle;
    core::MonitorSource monitor = core::MonitorSource::Channel; // Pfl
    int monitorIndex = 0;                                       // Pfl
    float minDb = 0.0f; // continuous actions: the dB at controller value 0
    float maxDb = 0.0f; // and at 127

    bool continuous() const {
        return kind == ActionKind::Volume || kind == ActionKind::ChannelTrim ||
               kind == ActionKind::InputTrim || (kind == ActionKind::In && channel < 0);
    }
    bool operator==(const Action&) const = default;
};

struct Binding {
    Control control;
    Action action;
    bool feedback = true; // keys: drive the LED; faders and knobs: motor or LED ring
    int led = -1;         // the note or CC that lights this key's LED, -1 = the key's own
};

// LED values a surface understands.
struct LedValues {
    int on = 127;
    int off = 0;
    int blink = -1; // the value that makes the LED blink by itself; -1 = Dragoman blinks it
};

struct Mapping {
    std::string name;               // "Korg nanoKONTROL2"
    std::filesystem::path file;     // where it was loaded from ("" = built in code)
    std::vector<std::string> ports; // port name fragments it is for; empty = every port
    bool fallback = false;          // only for ports no other "ports" mapping claims
    LedValues leds;
    std::map<int, std::vector<int>> preselect; // flat desk -> channel per pre-select key
    std::vector<Binding> bindings;
    int inactive = 0; // bindings for desks or channels this venue does not have

    // Whether this mapping names `portName` (case-insensitive fragment match).
    bool matchesPort(std::string_view portName) const;
};

} // namespace dragoman::midi

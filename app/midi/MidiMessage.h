// One complete MIDI channel message (note off/on, polyphonic pressure, control change, program
// change, channel pressure, pitch bend) as the parser delivers it: a status byte and up to two
// data bytes. System messages never get this far (MidiParser drops and counts them).
//
// Thread contract: a plain value; copy it anywhere.
#pragma once

#include <cstdint>

namespace dragoman::midi {

struct MidiMessage {
    enum class Type : std::uint8_t {
        NoteOff = 0x8,
        NoteOn = 0x9,
        PolyPressure = 0xA,
        ControlChange = 0xB,
        ProgramChange = 0xC,
        ChannelPressure = 0xD,
        PitchBend = 0xE,
    };

    std::uint8_t status = 0x90; // 0x80..0xEF
    std::uint8_t data1 = 0;     // note or controller number
    std::uint8_t data2 = 0;     // velocity or controller value (0 for one-byte messages)

    Type type() const { return static_cast<Type>(status >> 4); }
    int channel() const { return status & 0x0F; } // 0-based (MIDI channel 1 = 0)

    // A note on with velocity 0 is a note off (MIDI 1.0).
    bool isNoteOn() const { return type() == Type::NoteOn && data2 > 0; }
    bool isNoteOff() const {
        return type() == Type::NoteOff || (type() == Type::NoteOn && data2 == 0);
    }
    bool isControlChange() const { return type() == Type::ControlChange; }

    // How many bytes the message takes on the wire (2 for program change and channel pressure).
    int size() const {
        return type() == Type::ProgramChange || type() == Type::ChannelPressure ? 2 : 3;
    }

    static MidiMessage noteOn(int channel, int note, int velocity) {
        return make(0x90, channel, note, velocity);
    }
    static MidiMessage noteOff(int channel, int note) { return make(0x80, channel, note, 0); }
    static MidiMessage controlChange(int channel, int controller, int value) {
        return make(0xB0, channel, controller, value);
    }

    bool operator==(const MidiMessage&) const = default;

private:
    static MidiMessage make(int kind, int channel, int a, int b) {
        return {static_cast<std::uint8_t>(kind | (channel & 0x0F)),
                static_cast<std::uint8_t>(a & 0x7F), static_cast<std::uint8_t>(b & 0x7F)};
    }
};

} // namespace dragoman::midi

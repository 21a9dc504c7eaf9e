// Commands: every change a person can make to the routing, as a small value that travels
// through the engine's pre-allocated lock-free command queue (Engine::post). The same
// commands serve the console, the HTTP API, MIDI surfaces and the offline renderer's event
// scripts: there is one command layer.
//
// Thread contract: plain values; build them anywhere.
#pragma once

#include "venue/Venue.h"

#include <cstdint>
#include <string_view>

namespace dragoman::core {

using venue::InterlockMode;
using venue::Slot;

// What the technician's monitor (PFL) listens to.
enum class MonitorSource : std::int8_t { Channel, FloorMic, DeskMic, DeskFeed };

// A desk's call keys: ask the speaker to slow down, or call the technician.
enum class DeskCall : std::int8_t { Slow, Help };

struct Command {
    enum class Kind : std::uint8_t {
        DeskMic,          // target desk, flag: on/off
        DeskCough,        // target desk, flag: held/released (momentary mute)
        DeskOut,          // target desk, slot: A/B/C
        DeskIn,           // target desk, index: channel (0 = floor)
        DeskVolume,       // target desk, amount: dB (-60 .. +12; -60 = off)
        DeskBass,         // target desk, amount: dB (-12 .. +12)
        DeskTreble,       // target desk, amount: dB (-12 .. +12)
        ChannelAutoFloor, // target channel (not 0), flag
        BoothInterlock,   // target booth, mode
        BoothAutoRelay,   // target booth, flag
        Monitor,          // source kind + index (channel, floor mic, desk)
        ChannelTrim,      // target channel (0 = the floor mix), amount: dB (-24 .. +12)
        InputTrim,        // target device input, amount: dB (-24 .. +12)
        DeskCallKey,      // target desk, call: slow or help (counted in the desk's state)
    };

    Kind kind = Kind::DeskMic;
    std::uint32_t id = 0;    // the caller's tag, echoed in the CommandResult
    std::int32_t target = 0; // flat desk, channel or booth index
    std::int32_t index = 0;  // channel for DeskIn; source index for Monitor
    bool flag = false;
    Slot slot = Slot::A;
    InterlockMode mode = InterlockMode::Override;
    MonitorSource monitor = MonitorSource::Channel;
    DeskCall call = DeskCall::Slow;
    float amount = 0.0f;

    static Command deskMic(int desk, bool on) { return make(Kind::DeskMic, desk).withFlag(on); }
    static Command deskCough(int desk, bool held) {
        return make(Kind::DeskCough, desk).withFlag(held);
    }
    static Command deskOut(int desk, Slot s) {
        auto c = make(Kind::DeskOut, desk);
        c.slot = s;
        return c;
    }
    static Command deskIn(int desk, int channel) {
        auto c = make(Kind::DeskIn, desk);
        c.index = channel;
        return c;
    }
    static Command deskVolume(int desk, float db) { return make(Kind::DeskVolume, desk, db); }
    static Command deskBass(int desk, float db) { return make(Kind::DeskBass, desk, db); }
    static Command deskTreble(int desk, float db) { return make(Kind::DeskTreble, desk, db); }
    static Command channelAutoFloor(int channel, bool on) {
        return make(Kind::ChannelAutoFloor, channel).withFlag(on);
    }
    static Command boothInterlock(int booth, InterlockMode m) {
        auto c = make(Kind::BoothInterlock, booth);
        c.mode = m;
        return c;
    }
    static Command boothAutoRelay(int booth, bool on) {
        return make(Kind::BoothAutoRelay, booth).withFlag(on);
    }
    static Command monitorSource(MonitorSource source, int index) {
        auto c = make(Kind::Monitor, 0);
        c.monitor = source;
        c.index = index;
        return c;
    }

    static Command channelTrim(int channel, float db) {
        return make(Kind::ChannelTrim, channel, db);
    }
    static Command inputTrim(int input, float db) { return make(Kind::InputTrim, input, db); }
    static Command deskCall(int desk, DeskCall call) {
        auto c = make(Kind::DeskCallKey, desk);
        c.call = call;
        return c;
    }

    Command withId(std::uint32_t newId) const {
        auto c = *this;
        c.id = newId;
        return c;
    }

private:
    static Command make(Kind kind, int target, float amount = 0.0f) {
        Command c;
        c.kind = kind;
        c.target = target;
        c.amount = amount;
        return c;
    }
    Command withFlag(bool on) const {
        auto c = *this;
        c.flag = on;
        return c;
    }
};

std::string_view toString(Command::Kind kind);

inline bool isDeskCommand(Command::Kind kind) {
    return kind == Command::Kind::DeskMic || kind == Command::Kind::DeskCough ||
           kind == Command::Kind::DeskOut || kind == Command::Kind::DeskIn ||
           kind == Command::Kind::DeskVolume || kind == Command::Kind::DeskBass ||
           kind == Command::Kind::DeskTreble || kind == Command::Kind::DeskCallKey;
}

// Ranges the engine accepts for continuous desk controls.
inline constexpr float kVolumeMinDb = -60.0f; // at or below: silent
inline constexpr float kVolumeMaxDb = 12.0f;
inline constexpr float kToneMaxDb = 12.0f;  // bass and treble: -12 .. +12 dB
inline constexpr float kTrimMinDb = -24.0f; // channel and input trims
inline constexpr float kTrimMaxDb = 12.0f;

// Why a command was refused.
enum class Refusal : std::uint8_t {
    None,
    ChannelEngaged, // another booth holds the channel under interlock (`holder` says which desk)
    BoothEngaged,   // another desk of this booth is live and the booth is under interlock
    NoSuchSlot,     // the booth has no B (or C) channel
    UnknownTarget,  // desk, channel or booth index out of range
    OutOfRange,     // a value outside the accepted range (volume, tone, trim, channel 0 autofloor)
};

std::string_view toString(Refusal refusal);

// The engine's answer to one command, in the order commands were posted.
struct CommandResult {
    std::uint32_t id = 0;
    Command::Kind kind = Command::Kind::DeskMic;
    std::int32_t target = 0;
    bool accepted = false;
    Refusal reason = Refusal::None;
    std::int32_t holder = -1;    // the desk that holds the channel or booth, when refused
    std::int32_t handover = -1;  // the booth-mate switched off (handover), when accepted
    std::int32_t displaced = -1; // another booth's desk switched off by override, when accepted
    std::uint64_t frame = 0;     // engine frame at which the command took effect
};

} // namespace dragoman::core

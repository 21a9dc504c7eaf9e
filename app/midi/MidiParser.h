// A MIDI 1.0 byte-stream parser that never trusts its input. Bytes arrive in any chunking
// (one JACK event, one RtMidi message, a serial line); complete channel messages come out, and
// everything else is dropped and counted:
//  - running status (data bytes that reuse the last channel status) is understood, as MIDI
//    1.0 requires; data bytes with no status to reuse are "stray";
//  - a message cut short by a new status byte is "truncated";
//  - System Exclusive is skipped whatever its length (a SysEx flood costs one comparison per
//    byte and no memory); an unterminated one ends at the next status byte;
//  - system common and real-time messages are parsed and ignored; the undefined status bytes
//    (0xF4, 0xF5, 0xF9, 0xFD) are "unknown".
//
// Thread contract: one thread feeds a parser (the MIDI input's callback thread); wait-free, no
// allocation, no exception. The counters may be read from any thread.
#pragma once

#include "midi/MidiMessage.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace dragoman::midi {

class MidiParser {
public:
    struct Counters {
        std::uint64_t messages = 0;  // channel messages delivered
        std::uint64_t stray = 0;     // data bytes with no status to belong to
        std::uint64_t truncated = 0; // messages cut short by a status byte
        std::uint64_t sysex = 0;     // System Exclusive messages skipped
        std::uint64_t sysexBytes = 0;
        std::uint64_t system = 0;  // system common and real-time messages ignored
        std::uint64_t unknown = 0; // undefined status bytes

        std::uint64_t dropped() const { return stray + truncated + sysex + unknown; }
    };

    // Feeds `size` bytes; calls sink(const MidiMessage&) for every complete channel message.
    template <typename Sink> void feed(const std::uint8_t* bytes, std::size_t size, Sink&& sink) {
        for (std::size_t i = 0; i < size; ++i) {
            MidiMessage message;
            if (take(bytes[i], message))
                sink(message);
        }
    }

    Counters counters() const noexcept;

private:
    // One byte; true when it completes a channel message (written to `out`).
    bool take(std::uint8_t byte, MidiMessage& out) noexcept;
    void count(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) noexcept {
        counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }

    std::uint8_t runningStatus_ = 0; // the channel status data bytes belong to; 0 = none
    std::uint8_t systemCommon_ = 0;  // a system common message awaiting its data bytes
    std::uint8_t data_[2]{};
    int have_ = 0; // data bytes collected for the current message
    bool inSysex_ = false;

    std::atomic<std::uint64_t> messages_{0};
    std::atomic<std::uint64_t> stray_{0};
    std::atomic<std::uint64_t> truncated_{0};
    std::atomic<std::uint64_t> sysex_{0};
    std::atomic<std::uint64_t> sysexBytes_{0};
    std::atomic<std::uint64_t> system_{0};
    std::atomic<std::uint64_t> unknown_{0};
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
};

} // namespace dragoman::midi

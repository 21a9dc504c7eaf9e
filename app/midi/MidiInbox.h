// The hand-over from MIDI input threads to the control thread. RtMidi calls its input callback
// on its own thread (JACK's process thread for the JACK API), where nothing may block: each
// input port gets an InboxSource there, which parses the bytes (MidiParser) and pushes complete
// messages into its own pre-allocated SPSC queue. The control thread drains the queues when
// the Inbox's wake-up descriptor (an eventfd, for a QSocketNotifier) becomes readable.
//
//   MIDI thread:  bytes ─► MidiParser ─► SpscQueue<MidiEvent> ─► wake (once per drain)
//   control thread:                      drain() ◄─ QSocketNotifier(fd)
//
// Thread contracts: InboxSource::feed() on the one thread of its port (wait-free, no
// allocation; at most one non-blocking eventfd write per drain of the control thread);
// everything else on the control thread.
#pragma once

#include "core/SpscQueue.h"
#include "midi/MidiMessage.h"
#include "midi/MidiParser.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace dragoman::midi {

// A message and when it arrived (steady clock), for the latency figures.
struct MidiEvent {
    MidiMessage message;
    std::int64_t receivedNs = 0;
};

inline std::int64_t steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// An eventfd the control thread watches. notify() writes only when the control thread asked
// to be woken (armed), so a burst of messages costs one system call.
class Wakeup {
public:
    Wakeup();
    ~Wakeup();
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;

    int fd() const { return fd_; }
    void notify() noexcept; // any thread
    void rearm() noexcept;  // control thread: reads the descriptor, asks for the next wake-up
    bool valid() const { return fd_ >= 0; }

private:
    int fd_ = -1;
    std::atomic<bool> armed_{true};
};

class InboxSource {
public:
    explicit InboxSource(Wakeup& wakeup, std::size_t capacity = 1024);

    // The port's MIDI thread: any chunk of bytes.
    void feed(const std::uint8_t* bytes, std::size_t size) noexcept;

    // Control thread: the next message, false when none is waiting.
    bool next(MidiEvent& event) noexcept { return queue_.try_dequeue(event); }

    MidiParser::Counters parserCounters() const noexcept { return parser_.counters(); }
    std::uint64_t overflows() const noexcept { return overflows_.load(std::memory_order_relaxed); }

private:
    Wakeup& wakeup_;
    MidiParser parser_;
    core::SpscQueue<MidiEvent> queue_;
    std::atomic<std::uint64_t> overflows_{0}; // messages dropped on a full queue
};

} // namespace dragoman::midi

// Dragoman's own MIDI ports on JACK, `dragoman-midi:in` and `dragoman-midi:out`, so software
// controllers (and tests) can connect to Dragoman rather than the other way round. RtMidi's
// JACK API opens one JACK client per port (a second RtMidi client of the same name becomes
// "dragoman-midi-01"), so both ports live on one plain libjack client here.
//
// Thread contracts: construction, send() and destruction on the control thread; the JACK
// process callback (JACK's thread) feeds `in` into the InboxSource and writes queued messages
// to `out`: wait-free, no allocation.
#pragma once

#include "core/SpscQueue.h"
#include "midi/MidiInbox.h"
#include "midi/MidiMessage.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

typedef struct _jack_client jack_client_t;
typedef struct _jack_port jack_port_t;

namespace dragoman::midi {

class JackVirtualPorts {
public:
    // Opens client `clientName` (exactly that name: a taken name is an error) with ports "in"
    // and "out" and activates it. Throws std::runtime_error when JACK is not running or the name
    // is taken.
    JackVirtualPorts(const std::string& clientName, InboxSource& inbox);
    ~JackVirtualPorts();
    JackVirtualPorts(const JackVirtualPorts&) = delete;
    JackVirtualPorts& operator=(const JackVirtualPorts&) = delete;

    // Control thread: queues a message for `out`, sent in the next JACK cycle. False (and
    // counted) when the queue is full.
    bool send(const MidiMessage& message);

    // Control thread: the ports connected to `in` (read through it, so not opened again).
    std::vector<std::string> inConnections() const;

    std::string inName() const;  // "dragoman-midi:in"
    std::string outName() const; // "dragoman-midi:out"
    std::uint64_t sendDropped() const { return sendDropped_.load(std::memory_order_relaxed); }
    // Whether JACK shut the client down (the server went away).
    bool lost() const { return lost_.load(std::memory_order_relaxed); }

private:
    static int process(std::uint32_t frames, void* self);
    static void shutdown(void* self);

    InboxSource& inbox_;
    core::SpscQueue<MidiMessage> outgoing_;
    jack_client_t* client_ = nullptr;
    jack_port_t* in_ = nullptr;
    jack_port_t* out_ = nullptr;
    std::atomic<std::uint64_t> sendDropped_{0};
    std::atomic<bool> lost_{false};
};

} // namespace dragoman::midi

// The real-time routing engine: the central unit of an interpretation system in software.
//
//   device inputs ─► process() ─► device outputs
//     floor mics      floor mix → channel 0
//     desk mics       live desks → their outgoing channels (interlock, auto-floor, cough)
//                     desk feeds: incoming select/auto-relay → tone → volume → limiter
//                     meters, channel taps for the encoders
//
// Thread contracts (each function says which thread may call it):
//  - construction/destruction: control thread, before/after the audio thread runs; allocates.
//  - process(): the audio thread only; wait-free, no allocation, no lock, no system call.
//  - post(), nextResult(), routing(): the single control thread (one producer, one consumer).
//  - meters(), tap(): any thread (lock-free reads) / the single encoder thread per tap.
#pragma once

#include "core/ChannelTap.h"
#include "core/Command.h"
#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "venue/Venue.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace dragoman::core {

struct EngineOptions {
    std::size_t maxBlock = 1024;        // largest frames value process() accepts in one piece
    std::size_t commandCapacity = 1024; // commands in flight
    std::size_t tapChunks = 1024;       // per channel, each up to ChannelTap::kChunkFrames
    double rampMs = 5.0;                // every gain and routing change ramps over this
};

class Engine {
public:
    static constexpr int kMaxCommandsPerBlock = 256; // bounds the time a command flood takes

    // Control thread; allocates every buffer the audio thread will use. Throws
    // std::invalid_argument for a venue the engine cannot run (validate venues first).
    explicit Engine(const venue::Venue& venue, EngineOptions options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Audio thread; wait-free. `inputs` holds venue.deviceInputs pointers, `outputs` holds
    // venue.deviceOutputs pointers, each to `frames` samples; any frames count works (blocks
    // longer than maxBlock are processed in pieces). Null input pointers read as silence; null
    // output pointers are skipped. Commands posted before the call take effect at its start,
    // at most kMaxCommandsPerBlock of them per call (a flood waits for the next blocks).
    void process(const float* const* inputs, float* const* outputs, std::size_t frames) noexcept;

    // Control thread; never blocks, never allocates. False when the queue is full (counted
    // in stats().commandsDropped); the command then has no effect.
    bool post(const Command& command) noexcept;

    // Control thread; the engine's answers in posting order. False when none is waiting.
    bool nextResult(CommandResult& result) noexcept;

    // Control thread; the latest routing state the audio thread published (updated after the
    // block that applied a change; the venue's initial state before the first block). The
    // reference stays valid until the next call.
    const RoutingState& routing() noexcept;

    // Any thread; lock-free meter snapshots (inputs, channels, desk feeds).
    const MeterBank& meters() const noexcept;

    // The encoder's side of a channel's output tap (one consumer thread per tap).
    ChannelTap& tap(int channel) noexcept;

    struct Stats {
        std::uint64_t frames = 0; // frames processed since construction
        std::uint64_t blocks = 0; // process() calls
        std::uint64_t commandsApplied = 0;
        std::uint64_t commandsDropped = 0; // post() found the queue full
        std::uint64_t resultsDropped = 0;  // results the control thread did not collect in time
    };
    Stats stats() const noexcept; // any thread

    const venue::Venue& venue() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace dragoman::core

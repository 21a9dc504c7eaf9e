// What the technician needs to know about the audio device, at a glance.
//
// Thread contract: a plain value; AudioRunner::status() builds one on any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dragoman::device {

// What paces the engine.
enum class Clock {
    Device,  // an audio interface's callback (PortAudio)
    Virtual, // Dragoman's own real-time clock: no usable device, or the device is away
};

enum class State {
    Stopped,      // not started, or stopped
    Running,      // audio flows on the clock above
    Reconnecting, // the device failed or vanished; the virtual clock runs and a retry is due
};

std::string_view toString(Clock clock);
std::string_view toString(State state);

struct DeviceStatus {
    Clock clock = Clock::Virtual;
    State state = State::Stopped;
    std::string requested;       // what --audio asked for: "jack", "default", "virtual", a name
    std::string hostApi;         // "JACK Audio Connection Kit", "ALSA", ... ("" when virtual)
    std::string device;          // the device's name ("" when virtual)
    double sampleRate = 0.0;     // Hz
    int blockSize = 0;           // frames in the last callback (JACK: the server's period)
    double inputLatencyMs = 0.0; // as the stream reports it
    double outputLatencyMs = 0.0;
    double cpuLoad = 0.0;         // 0..1 share of the block period spent in the callback
    std::uint64_t xruns = 0;      // callbacks flagged with an input/output underflow/overflow
    std::uint64_t callbacks = 0;  // blocks processed since start, on any clock
    std::uint64_t reconnects = 0; // successful reconnections after a failure
    std::string lastError;        // the device layer's (PortAudio's) text for the last failure
    std::string notice;           // what is worth knowing but is no failure, e.g. "the device
                                  // has 2 inputs: inputs 2-15 are silent" ("" when none)
    std::uint64_t audioThreadAllocations = 0; // heap allocations seen on the audio thread
                                              // (rt::AllocationProbe; 0 when not linked in)
    // The callback's own cycle time as a share of the block period, since start
    // (CycleHistogram.h): median, 99th percentile (to 0.1 %), the worst (exact), and the
    // histogram's non-empty buckets (bucket b holds shares in [b, b + 1) / 1000).
    std::uint64_t cycles = 0;
    double cycleP50 = 0.0;
    double cycleP99 = 0.0;
    double cycleMax = 0.0;
    std::vector<std::pair<std::size_t, std::uint64_t>> cycleBuckets;
};

} // namespace dragoman::device

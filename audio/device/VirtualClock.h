// Dragoman's own real-time clock for when there is no usable device: a thread that runs a
// block every blockSize / sampleRate seconds on absolute deadlines (CLOCK_MONOTONIC, so it
// never drifts), with silent inputs and discarded outputs. When it falls more than a few
// blocks behind (a suspended machine, a starved CPU) it starts afresh from now instead of
// bursting to catch up.
//
// Thread contract: construction, start(), stop() and destruction on the control thread;
// after stop() returns the clock's thread has ended and will not call the runner again.
#pragma once

#include "device/BlockRunner.h"

#include <atomic>
#include <cstdint>
#include <thread>

namespace dragoman::device {

class VirtualClock {
public:
    static constexpr int kMaxLateBlocks = 4; // further behind than this: resynchronise

    VirtualClock(BlockRunner& runner, int blockSize, int sampleRate);
    ~VirtualClock(); // stops
    VirtualClock(const VirtualClock&) = delete;
    VirtualClock& operator=(const VirtualClock&) = delete;

    void start();
    void stop();
    bool running() const noexcept { return thread_.joinable(); }

    int blockSize() const noexcept { return blockSize_; }
    int sampleRate() const noexcept { return sampleRate_; }

    // Any thread: how often the clock gave up catching up and started afresh.
    std::uint64_t resyncs() const noexcept { return resyncs_.load(std::memory_order_relaxed); }

private:
    void loop() noexcept;

    BlockRunner& runner_;
    const int blockSize_;
    const int sampleRate_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> resyncs_{0};
    std::thread thread_;
};

} // namespace dragoman::device

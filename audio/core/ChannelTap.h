// A channel's output tap: the audio thread pushes every block of the channel's signal into a
// pre-allocated single-producer/single-consumer queue (moodycamel::ReaderWriterQueue), and
// one encoder thread pops it. A full queue never blocks the audio thread: the chunk is
// dropped and counted as an overrun.
//
// Thread contract: push() on the audio thread only (wait-free, no allocation); pop() on one
// consumer thread only; the counters from any thread.
#pragma once

#include "core/SpscQueue.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace dragoman::core {

struct TapChunk {
    static constexpr std::size_t kCapacity = 256;
    std::uint64_t frame = 0;  // engine frame of samples[0]; a gap means chunks were lost
    std::uint32_t frames = 0; // valid samples
    float samples[kCapacity];
};

class ChannelTap {
public:
    explicit ChannelTap(std::size_t chunks);

    // Audio thread; wait-free. Splits long blocks into chunks of at most kCapacity frames.
    void push(const float* samples, std::size_t frames, std::uint64_t frame) noexcept;

    // Consumer thread; false when nothing is waiting.
    bool pop(TapChunk& chunk) noexcept;

    // Any thread.
    std::uint64_t overruns() const noexcept { return overruns_.load(std::memory_order_relaxed); }
    std::uint64_t pushed() const noexcept { return pushed_.load(std::memory_order_relaxed); }

private:
    SpscQueue<TapChunk> queue_;
    TapChunk scratch_{};
    std::atomic<std::uint64_t> overruns_{0};
    std::atomic<std::uint64_t> pushed_{0};
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
};

} // namespace dragoman::core

// A triple buffer: one writer publishes whole values, one reader always gets the newest
// complete one, neither ever waits (farbot's RealtimeObject, non-realtime-reader flavour).
//
// Thread contract: write()/publish() on one writer thread (wait-free; write into the
// returned slot, then publish); read() on one reader thread (wait-free).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace dragoman::core {

template <typename T> class TripleBuffer {
public:
    explicit TripleBuffer(const T& initial)
        : slots_{initial, initial, initial} {}

    T& write() noexcept { return slots_[back_]; }

    void publish() noexcept {
        back_ =
            middle_.exchange(static_cast<std::uint8_t>(back_ | kFresh), std::memory_order_acq_rel) &
            kIndex;
    }

    const T& read() noexcept {
        if (middle_.load(std::memory_order_relaxed) & kFresh)
            front_ = middle_.exchange(front_, std::memory_order_acq_rel) & kIndex;
        return slots_[front_];
    }

private:
    static constexpr std::uint8_t kFresh = 0x4;
    static constexpr std::uint8_t kIndex = 0x3;
    static_assert(std::atomic<std::uint8_t>::is_always_lock_free);

    std::array<T, 3> slots_;
    std::uint8_t back_ = 0;
    std::atomic<std::uint8_t> middle_{1};
    std::uint8_t front_ = 2;
};

} // namespace dragoman::core

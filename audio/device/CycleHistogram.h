// How long the audio callback takes, as a share of the block's period: a fixed histogram of
// 0.1 % buckets (0 .. 100 %, and one for everything from a whole period up) and the worst
// cycle, both written by the audio thread alone with relaxed atomics (no allocation, no lock,
// no system call) and read by anyone as a snapshot. The time stamps around the callback come
// from std::chrono::steady_clock, which Linux serves from the vDSO (no system call) with the
// tsc or kvm-clock clock source.
//
// Thread contract: record() on the audio thread only (one writer); snapshot() from any thread
// (it may mix counts of neighbouring cycles: every count it reads was true at some instant).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace dragoman::device {

class CycleHistogram {
public:
    static constexpr std::size_t kBuckets = 1000; // + 1: a whole period or more
    static constexpr double kBucketWidth = 1.0 / kBuckets;

    // Audio thread; wait-free. `share`: the cycle's time / the block's period.
    void record(double share) noexcept {
        std::size_t bucket = kBuckets;
        if (share < 1.0)
            bucket = share > 0.0 ? static_cast<std::size_t>(share * kBuckets) : 0;
        counts_[bucket].fetch_add(1, std::memory_order_relaxed);
        if (share > max_.load(std::memory_order_relaxed))
            max_.store(share, std::memory_order_relaxed);
        cycles_.fetch_add(1, std::memory_order_relaxed);
    }

    struct Snapshot {
        std::array<std::uint64_t, kBuckets + 1> counts{};
        std::uint64_t cycles = 0;
        double max = 0.0; // the worst cycle since start, exact

        // The share under which `q` (0..1) of the cycles stayed: the upper edge of the bucket
        // that holds it (the exact max for the last bucket); 0 with no cycles.
        double percentile(double q) const noexcept;
        // The buckets that hold any cycle: (bucket, count).
        std::vector<std::pair<std::size_t, std::uint64_t>> nonEmpty() const;
    };
    Snapshot snapshot() const noexcept;

private:
    std::array<std::atomic<std::uint64_t>, kBuckets + 1> counts_{};
    std::atomic<std::uint64_t> cycles_{0};
    std::atomic<double> max_{0.0};
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
    static_assert(std::atomic<double>::is_always_lock_free);
};

} // namespace dragoman::device

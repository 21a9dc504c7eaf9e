#include "device/CycleHistogram.h"

#include <algorithm>
#include <cmath>

namespace dragoman::device {

CycleHistogram::Snapshot CycleHistogram::snapshot() const noexcept {
    Snapshot s;
    for (std::size_t b = 0; b <= kBuckets; ++b) {
        s.counts[b] = counts_[b].load(std::memory_order_relaxed);
        s.cycles += s.counts[b];
    }
    s.max = max_.load(std::memory_order_relaxed);
    return s;
}

double CycleHistogram::Snapshot::percentile(double q) const noexcept {
    if (cycles == 0)
        return 0.0;
    const auto target =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(
                                       std::clamp(q, 0.0, 1.0) * static_cast<double>(cycles))));
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b <= kBuckets; ++b) {
        seen += counts[b];
        if (seen >= target)
            return b == kBuckets ? max : std::min(max, static_cast<double>(b + 1) * kBucketWidth);
    }
    return max;
}

std::vector<std::pair<std::size_t, std::uint64_t>> CycleHistogram::Snapshot::nonEmpty() const {
    std::vector<std::pair<std::size_t, std::uint64_t>> out;
    for (std::size_t b = 0; b <= kBuckets; ++b)
        if (counts[b] != 0)
            out.emplace_back(b, counts[b]);
    return out;
}

} // namespace dragoman::device

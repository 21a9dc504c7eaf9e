#include "receive/DelayHistogram.h"

#include <algorithm>
#include <cmath>

namespace dragoman::receive {

namespace {

constexpr double kSamplesPerMs = 48.0;
constexpr double kMemorySamples = 48000.0 * 10.0; // forget over ~10 s
constexpr double kMinimumRisePerSample = 0.0005;  // 0.5 ms per second: follows clock drift

} // namespace

void DelayHistogram::add(std::uint32_t timestamp, double arrivalSamples) {
    if (!started_) {
        started_ = true;
        unwrapped_ = 0.0;
        lastTimestamp_ = timestamp;
        lastArrival_ = arrivalSamples;
        minimum_ = arrivalSamples;
    }
    unwrapped_ += static_cast<double>(static_cast<std::int32_t>(timestamp - lastTimestamp_));
    lastTimestamp_ = timestamp;
    const double elapsed = std::max(0.0, arrivalSamples - lastArrival_);
    lastArrival_ = std::max(lastArrival_, arrivalSamples);
    const double relative = arrivalSamples - unwrapped_;
    minimum_ = std::min(minimum_ + elapsed * kMinimumRisePerSample, relative);
    const double keep = std::exp(-elapsed / kMemorySamples);
    for (auto& b : bins_)
        b *= keep;
    total_ = total_ * keep + 1.0;
    const int bin =
        std::clamp(static_cast<int>((relative - minimum_) / kSamplesPerMs), 0, kBins - 1);
    bins_[static_cast<std::size_t>(bin)] += 1.0;
}

double DelayHistogram::quantile(double fraction) const {
    if (total_ <= 0.0)
        return 0.0;
    double seen = 0.0;
    for (int i = 0; i < kBins; ++i) {
        seen += bins_[static_cast<std::size_t>(i)];
        if (seen >= fraction * total_)
            return (i + 1) * kSamplesPerMs;
    }
    return kBins * kSamplesPerMs;
}

} // namespace dragoman::receive

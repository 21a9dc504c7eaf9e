#include "dsp/Meter.h"

#include "dsp/BlockStats.h"

#include <algorithm>
#include <cmath>

namespace dragoman::dsp {

Meter::Ballistics Meter::Ballistics::forBlock(double sampleRate, std::size_t n) {
    const double seconds = static_cast<double>(n) / sampleRate;
    Ballistics b;
    b.peakDecay = static_cast<float>(std::pow(10.0, -kPeakFallDbPerSecond * seconds / 20.0));
    b.rmsKeep = std::exp(-seconds / kRmsTimeConstantSeconds);
    return b;
}

void Meter::process(const float* x, std::size_t n, const Ballistics& ballistics) noexcept {
    if (n == 0)
        return;
    const auto [blockPeak, sumSquares, clipped] = measure(x, n);
    peak_ = std::max(blockPeak, peak_ * ballistics.peakDecay);
    // The true peak is at least the sample peak; a block whose samples (times the
    // interpolator's largest gain) cannot reach the held value needs no oversampling.
    const float held = truePeak_ * ballistics.peakDecay;
    if (blockPeak * oversampler_.gainBound() <= held) {
        oversampler_.skip(x, n);
        truePeak_ = held;
    } else {
        truePeak_ = std::max({oversampler_.betweenPeak(x, n), blockPeak, held});
    }
    meanSquare_ =
        meanSquare_ * ballistics.rmsKeep +
        (1.0 - ballistics.rmsKeep) * (static_cast<double>(sumSquares) / static_cast<double>(n));
    clips_ += clipped;
}

} // namespace dragoman::dsp

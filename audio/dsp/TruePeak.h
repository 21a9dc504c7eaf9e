// True-peak detection by 4x oversampling (ITU-R BS.1770-4, Annex 2): the peaks a DAC or an
// encoder's resampler will produce between the samples.
//
// The interpolator is a Kaiser-windowed sinc, 12 taps per phase. Phase 0 of such a filter is
// the sample itself, so only the three in-between phases are computed; the caller combines
// them with the sample peak it already has. On x86-64 processors with AVX2 and FMA a
// vectorised kernel for them is chosen at run time.
//
// Thread contract: construction on the control thread; betweenPeak()/skip() on the audio
// thread (wait-free, no allocation).
#pragma once

#include <array>
#include <cstddef>

namespace dragoman::dsp {

class TruePeak {
public:
    static constexpr int kFactor = 4;
    static constexpr int kTaps = 12; // per phase
    static constexpr std::size_t kMaxBlock = 1024;
    using Coefficients = std::array<std::array<float, kTaps>, kFactor - 1>;

    TruePeak();

    // The largest absolute value of the interpolated points between the samples of this
    // block (continuing from the previous block's history). The true peak is the larger of
    // this and the sample peak.
    float betweenPeak(const float* x, std::size_t n) noexcept;

    // Keeps the history up to date for a block whose peak is not needed.
    void skip(const float* x, std::size_t n) noexcept;

    // The largest gain any phase can have: |interpolated| <= gainBound() * max|x|.
    float gainBound() const noexcept { return bound_; }

private:
    using Kernel = float (*)(const float* buffer, std::size_t count, const Coefficients& c);

    Coefficients coeffs_{};
    std::array<float, kTaps - 1> history_{};
    float bound_ = 1.0f;
    Kernel kernel_;
};

} // namespace dragoman::dsp

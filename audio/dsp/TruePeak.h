// True-peak detection by 4x oversampling (ITU-R BS.1770-4, Annex 2): the peaks a DAC or an
// encoder's resampler will produce between the samples.
//
// The interpolator is a Kaiser-windowed sinc, 12 taps per phase. Phase 0 of such a filter is
// the sample itself, so only the three in-between phases are computed.
//
// Thread contract: construction on the control thread; peak() on the audio thread
// (wait-free, no allocation).
#pragma once

#include <array>
#include <cstddef>

namespace dragoman::dsp {

class TruePeak {
public:
    static constexpr int kFactor = 4;
    static constexpr int kTaps = 12; // per phase
    static constexpr std::size_t kMaxBlock = 1024;

    TruePeak();

    // The largest absolute value of the 4x-oversampled signal over this block (the sample
    // peaks included), continuing from the previous block's history.
    float peak(const float* x, std::size_t n) noexcept;

    // Keeps the history up to date for a block whose peak is not needed.
    void skip(const float* x, std::size_t n) noexcept;

    // The largest gain any phase can have: |interpolated| <= gainBound() * max|x|.
    float gainBound() const noexcept { return bound_; }

private:
    std::array<std::array<float, kTaps>, kFactor - 1> coeffs_{};
    std::array<float, kTaps - 1> history_{};
    float bound_ = 1.0f;
};

} // namespace dragoman::dsp

// A gain that never jumps: every new target is reached linearly over a fixed number of
// samples, so mutes, volume changes and crossfades are click-free.
//
// Thread contract: audio thread; wait-free, no allocation.
#pragma once

#include <algorithm>
#include <cstddef>

namespace dragoman::dsp {

class GainRamp {
public:
    explicit GainRamp(float initial = 1.0f)
        : current_(initial)
        , target_(initial) {}

    // Starts a ramp from wherever the gain is now to `target` over `samples` samples.
    void setTarget(float target, int samples) noexcept {
        target_ = target;
        remaining_ = target == current_ ? 0 : std::max(1, samples);
        step_ = remaining_ > 0 ? (target_ - current_) / static_cast<float>(remaining_) : 0.0f;
    }

    // Jumps at once (for set-up before audio runs, never during it).
    void reset(float value) noexcept {
        current_ = target_ = value;
        remaining_ = 0;
        step_ = 0.0f;
    }

    float current() const noexcept { return current_; }
    float target() const noexcept { return target_; }
    bool ramping() const noexcept { return remaining_ > 0; }
    bool silent() const noexcept { return current_ == 0.0f && remaining_ == 0; }

    // x[i] *= gain, advancing the ramp.
    void apply(float* x, std::size_t n) noexcept {
        std::size_t i = 0;
        for (; i < n && remaining_ > 0; ++i, --remaining_) {
            current_ = remaining_ == 1 ? target_ : current_ + step_;
            x[i] *= current_;
        }
        if (remaining_ == 0)
            current_ = target_; // no drift from accumulated steps
        if (i < n && current_ != 1.0f) {
            const float g = current_;
            for (; i < n; ++i)
                x[i] *= g;
        }
    }

    // dst[i] += src[i] * gain, advancing the ramp.
    void accumulate(float* dst, const float* src, std::size_t n) noexcept {
        std::size_t i = 0;
        for (; i < n && remaining_ > 0; ++i, --remaining_) {
            current_ = remaining_ == 1 ? target_ : current_ + step_;
            dst[i] += src[i] * current_;
        }
        if (remaining_ == 0)
            current_ = target_;
        const float g = current_;
        if (g != 0.0f)
            for (; i < n; ++i)
                dst[i] += src[i] * g;
    }

    // Advances the ramp without touching any signal (a source nobody listens to this block).
    void skip(std::size_t n) noexcept {
        const auto k =
            static_cast<int>(std::min<std::size_t>(n, static_cast<std::size_t>(remaining_)));
        current_ += step_ * static_cast<float>(k);
        remaining_ -= k;
        if (remaining_ == 0)
            current_ = target_;
    }

private:
    float current_;
    float target_;
    float step_ = 0.0f;
    int remaining_ = 0;
};

} // namespace dragoman::dsp

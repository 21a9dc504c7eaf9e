// Bass and treble for a desk's headphones: two first-order shelves in parallel form,
//   y = x + (Gb - 1) * lowpass(x) + (Gt - 1) * highpass(x),
// which are true shelves ((s + Gb·w) / (s + w) and (Gt·s + w) / (s + w)) whose gains can ramp
// sample by sample without recomputing coefficients, so turning a knob never clicks. The
// one-pole filters are bilinear (topology-preserving), so the low-pass is exactly zero at
// Nyquist and the high-pass exactly zero at DC: a bass boost leaves the top octave alone.
//
// Thread contract: prepare() on the control thread; the rest on the audio thread (wait-free).
#pragma once

#include "dsp/Decibels.h"
#include "dsp/GainRamp.h"

#include <cmath>
#include <cstddef>
#include <numbers>

namespace dragoman::dsp {

class ToneControl {
public:
    static constexpr double kBassHz = 250.0;
    static constexpr double kTrebleHz = 3000.0;

    void prepare(double sampleRate) {
        const auto coefficient = [sampleRate](double hz) {
            const double g = std::tan(std::numbers::pi * hz / sampleRate);
            return static_cast<float>(g / (1.0 + g));
        };
        lowCoeff_ = coefficient(kBassHz);
        highCoeff_ = coefficient(kTrebleHz);
    }

    void setBassDb(float db, int rampSamples) noexcept {
        bass_.setTarget(dbToGain(db) - 1.0f, rampSamples);
    }
    void setTrebleDb(float db, int rampSamples) noexcept {
        treble_.setTarget(dbToGain(db) - 1.0f, rampSamples);
    }

    bool flat() const noexcept { return bass_.silent() && treble_.silent(); }

    void process(float* x, std::size_t n) noexcept {
        if (flat()) {
            resetNeeded_ = true; // the filters sleep while flat
            return;
        }
        if (resetNeeded_ && n > 0) {
            low_ = x[0];
            high_ = x[0];
            resetNeeded_ = false;
        }
        float low = low_; // integrator states of the two bilinear one-pole low-passes
        float high = high_;
        for (std::size_t i = 0; i < n; ++i) {
            const float in = x[i];
            const float vLow = (in - low) * lowCoeff_;
            const float lowOut = vLow + low;
            low = lowOut + vLow;
            const float vHigh = (in - high) * highCoeff_;
            const float highLow = vHigh + high;
            high = highLow + vHigh;
            lowScratch_[i % kChunk] = lowOut;
            highScratch_[i % kChunk] = in - highLow;
            if (i % kChunk == kChunk - 1 || i + 1 == n) {
                const std::size_t start = i - (i % kChunk);
                const std::size_t count = i - start + 1;
                bass_.accumulate(x + start, lowScratch_, count);
                treble_.accumulate(x + start, highScratch_, count);
            }
        }
        low_ = low;
        high_ = high;
    }

private:
    static constexpr std::size_t kChunk = 64;
    float lowCoeff_ = 0.0f;
    float highCoeff_ = 0.0f;
    float low_ = 0.0f;
    float high_ = 0.0f;
    bool resetNeeded_ = true;
    GainRamp bass_{0.0f};   // Gb - 1
    GainRamp treble_{0.0f}; // Gt - 1
    float lowScratch_[kChunk]{};
    float highScratch_[kChunk]{};
};

} // namespace dragoman::dsp

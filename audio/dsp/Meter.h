// One meter point: sample peak and true peak with a falling hold, RMS, and a clip count.
// Ballistics are computed once per block for every meter (Ballistics::forBlock), so a meter
// costs no transcendental function per block.
//
// Thread contract: prepare()/Ballistics::forBlock() may run anywhere before use; process() on
// the audio thread (wait-free, no allocation); the readings on the thread that owns the meter.
#pragma once

#include "dsp/Decibels.h"
#include "dsp/TruePeak.h"

#include <cstddef>
#include <cstdint>

namespace dragoman::dsp {

class Meter {
public:
    static constexpr double kPeakFallDbPerSecond = 12.0;
    static constexpr double kRmsTimeConstantSeconds = 0.3;

    // Per-block decay factors, the same for every meter in a block of n frames.
    struct Ballistics {
        float peakDecay = 1.0f; // multiply the held peak by this each block
        double rmsKeep = 0.0;   // weight of the previous mean square
        static Ballistics forBlock(double sampleRate, std::size_t n);
    };

    void process(const float* x, std::size_t n, const Ballistics& ballistics) noexcept;

    // Linear values (the audio thread never takes a logarithm; readers convert).
    float peak() const noexcept { return peak_; }
    float truePeak() const noexcept { return truePeak_; }
    double meanSquare() const noexcept { return meanSquare_; }
    std::uint32_t clips() const noexcept { return clips_; }

    float peakDb() const noexcept { return gainToDb(peak_); }
    float truePeakDb() const noexcept { return gainToDb(truePeak_); }
    float rmsDb() const noexcept { return powerToDb(meanSquare_); }

private:
    TruePeak oversampler_;
    float peak_ = 0.0f;
    float truePeak_ = 0.0f;
    double meanSquare_ = 0.0;
    std::uint32_t clips_ = 0;
};

} // namespace dragoman::dsp

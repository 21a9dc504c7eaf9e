// Test signals and measurements: sines, Goertzel levels, steps between samples.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

namespace dragoman::test {

inline std::vector<float> sine(double hz, double dbfs, std::size_t frames, double rate = 48000.0,
                               double phase = 0.0) {
    std::vector<float> out(frames);
    const double amplitude = std::pow(10.0, dbfs / 20.0);
    for (std::size_t i = 0; i < frames; ++i)
        out[i] = static_cast<float>(
            amplitude *
            std::sin(2.0 * std::numbers::pi * hz * static_cast<double>(i) / rate + phase));
    return out;
}

// Amplitude of the `hz` component of x[begin, end) (Goertzel), as a linear peak amplitude.
inline double toneAmplitude(const std::vector<float>& x, double hz, std::size_t begin,
                            std::size_t end, double rate = 48000.0) {
    const double w = 2.0 * std::numbers::pi * hz / rate;
    double re = 0.0;
    double im = 0.0;
    for (std::size_t i = begin; i < end; ++i) {
        re += x[i] * std::cos(w * static_cast<double>(i));
        im -= x[i] * std::sin(w * static_cast<double>(i));
    }
    return 2.0 * std::hypot(re, im) / static_cast<double>(end - begin);
}

inline double toDb(double amplitude) {
    return 20.0 * std::log10(std::max(amplitude, 1e-12));
}

inline float maxStep(const std::vector<float>& x, std::size_t begin, std::size_t end) {
    float step = 0.0f;
    for (std::size_t i = std::max<std::size_t>(begin, 1); i < end; ++i)
        step = std::max(step, std::abs(x[i] - x[i - 1]));
    return step;
}

inline float maxAbs(const std::vector<float>& x, std::size_t begin, std::size_t end) {
    float peak = 0.0f;
    for (std::size_t i = begin; i < end; ++i)
        peak = std::max(peak, std::abs(x[i]));
    return peak;
}

} // namespace dragoman::test

// Test helpers for audio measurements: sine generation and single-frequency analysis.
#pragma once

#include <cmath>
#include <complex>
#include <cstddef>
#include <numbers>
#include <span>
#include <vector>

namespace dragoman::render::test {

inline std::vector<float> sine(double frequency, double amplitude, int sampleRate,
                               std::size_t frames) {
    std::vector<float> samples(frames);
    for (std::size_t n = 0; n < frames; ++n)
        samples[n] = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * frequency *
                                                             static_cast<double>(n) / sampleRate));
    return samples;
}

// The amplitude of `frequency` in the signal (Hann-windowed single-bin DFT): a sine of
// amplitude A at that frequency reads A.
inline double amplitudeAt(std::span<const float> samples, double frequency, int sampleRate) {
    std::complex<double> sum;
    double weights = 0.0;
    const double n = static_cast<double>(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const double t = static_cast<double>(i);
        const double window = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * t / n);
        sum += window * samples[i] *
               std::polar(1.0, -2.0 * std::numbers::pi * frequency * t / sampleRate);
        weights += window;
    }
    return 2.0 * std::abs(sum) / weights;
}

// The frequency in [low, high] (1 Hz steps) with the largest amplitude.
inline double strongestFrequency(std::span<const float> samples, double low, double high,
                                 int sampleRate) {
    double best = low;
    double bestAmplitude = -1.0;
    for (double f = low; f <= high; f += 1.0)
        if (const double a = amplitudeAt(samples, f, sampleRate); a > bestAmplitude) {
            bestAmplitude = a;
            best = f;
        }
    return best;
}

inline double rms(std::span<const float> samples) {
    double sum = 0.0;
    for (const float s : samples)
        sum += static_cast<double>(s) * s;
    return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

} // namespace dragoman::render::test

#include "dsp/TruePeak.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dragoman::dsp {

namespace {

double besselI0(double x) {
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 30; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
    }
    return sum;
}

} // namespace

TruePeak::TruePeak() {
    // Interpolated point p/4 after sample x[n - kTaps/2] uses x[n - kTaps + 1 .. n].
    constexpr double beta = 6.0;
    constexpr double halfWidth = kTaps / 2.0 + 0.5;
    bound_ = 1.0f;
    for (int p = 1; p < kFactor; ++p) {
        auto& c = coeffs_[static_cast<std::size_t>(p - 1)];
        double sum = 0.0;
        std::array<double, kTaps> h{};
        for (int j = 0; j < kTaps; ++j) {
            // distance (in input samples) from the interpolated point to x[n - j]
            const double t = (kTaps / 2.0 - static_cast<double>(p) / kFactor) - j;
            const double sinc =
                t == 0.0 ? 1.0 : std::sin(std::numbers::pi * t) / (std::numbers::pi * t);
            const double r = t / halfWidth;
            const double window = besselI0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / besselI0(beta);
            h[static_cast<std::size_t>(j)] = sinc * window;
            sum += h[static_cast<std::size_t>(j)];
        }
        double absSum = 0.0;
        for (int j = 0; j < kTaps; ++j) {
            c[static_cast<std::size_t>(j)] = static_cast<float>(h[static_cast<std::size_t>(j)] / sum);
            absSum += std::abs(h[static_cast<std::size_t>(j)] / sum);
        }
        bound_ = std::max(bound_, static_cast<float>(absSum));
    }
}

float TruePeak::peak(const float* x, std::size_t n) noexcept {
    constexpr std::size_t h = kTaps - 1;
    float buffer[h + kMaxBlock];
    float best = 0.0f;
    while (n > 0) {
        const std::size_t count = std::min(n, kMaxBlock);
        std::copy(history_.begin(), history_.end(), buffer);
        std::copy(x, x + count, buffer + h);
        for (std::size_t i = 0; i < count; ++i)
            best = std::max(best, std::abs(x[i]));
        for (const auto& c : coeffs_) {
            float acc[kMaxBlock];
            for (std::size_t i = 0; i < count; ++i)
                acc[i] = 0.0f;
            for (std::size_t j = 0; j < kTaps; ++j) {
                const float cj = c[j];
                const float* src = buffer + h - j;
                for (std::size_t i = 0; i < count; ++i)
                    acc[i] += cj * src[i];
            }
            for (std::size_t i = 0; i < count; ++i)
                best = std::max(best, std::abs(acc[i]));
        }
        std::copy(buffer + count, buffer + count + h, history_.begin());
        x += count;
        n -= count;
    }
    return best;
}

void TruePeak::skip(const float* x, std::size_t n) noexcept {
    constexpr std::size_t h = kTaps - 1;
    if (n >= h) {
        std::copy(x + n - h, x + n, history_.begin());
    } else {
        std::copy(history_.begin() + static_cast<std::ptrdiff_t>(n), history_.end(), history_.begin());
        std::copy(x, x + n, history_.end() - static_cast<std::ptrdiff_t>(n));
    }
}

} // namespace dragoman::dsp

#include "dsp/TruePeak.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace dragoman::dsp {

namespace {

constexpr std::size_t kHistory = TruePeak::kTaps - 1;

double besselI0(double x) {
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 30; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
    }
    return sum;
}

// The three in-between phases at each of `count` positions; `buffer` holds kHistory samples
// of history followed by `count` new samples. Returns the largest |value|.
float scalarTail(const float* buffer, std::size_t from, std::size_t count,
                 const TruePeak::Coefficients& c) {
    float peak = 0.0f;
    for (std::size_t i = from; i < count; ++i)
        for (const auto& phase : c) {
            float acc = 0.0f;
            for (std::size_t j = 0; j < TruePeak::kTaps; ++j)
                acc += phase[j] * buffer[kHistory + i - j];
            peak = std::max(peak, std::abs(acc));
        }
    return peak;
}

#if defined(__SSE2__)
// Four positions per step, all three phases from one load of each input sample.
float kernelPortable(const float* buffer, std::size_t count, const TruePeak::Coefficients& c) {
    const __m128 absMask = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
    __m128 best = _mm_setzero_ps();
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        __m128 a1 = _mm_setzero_ps(), a2 = _mm_setzero_ps(), a3 = _mm_setzero_ps();
        for (std::size_t j = 0; j < TruePeak::kTaps; ++j) {
            const __m128 x = _mm_loadu_ps(buffer + kHistory + i - j);
            a1 = _mm_add_ps(a1, _mm_mul_ps(_mm_set1_ps(c[0][j]), x));
            a2 = _mm_add_ps(a2, _mm_mul_ps(_mm_set1_ps(c[1][j]), x));
            a3 = _mm_add_ps(a3, _mm_mul_ps(_mm_set1_ps(c[2][j]), x));
        }
        best = _mm_max_ps(best, _mm_and_ps(a1, absMask));
        best = _mm_max_ps(best, _mm_and_ps(a2, absMask));
        best = _mm_max_ps(best, _mm_and_ps(a3, absMask));
    }
    alignas(16) float lanes[4];
    _mm_store_ps(lanes, best);
    return std::max({lanes[0], lanes[1], lanes[2], lanes[3], scalarTail(buffer, i, count, c)});
}

[[gnu::target("avx2,fma")]] float kernelAvx2(const float* buffer, std::size_t count,
                                             const TruePeak::Coefficients& c) {
    const __m256 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    __m256 best = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (std::size_t j = 0; j < TruePeak::kTaps; ++j) {
            const __m256 x = _mm256_loadu_ps(buffer + kHistory + i - j);
            a1 = _mm256_fmadd_ps(_mm256_set1_ps(c[0][j]), x, a1);
            a2 = _mm256_fmadd_ps(_mm256_set1_ps(c[1][j]), x, a2);
            a3 = _mm256_fmadd_ps(_mm256_set1_ps(c[2][j]), x, a3);
        }
        best = _mm256_max_ps(best, _mm256_and_ps(a1, absMask));
        best = _mm256_max_ps(best, _mm256_and_ps(a2, absMask));
        best = _mm256_max_ps(best, _mm256_and_ps(a3, absMask));
    }
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, best);
    float peak = scalarTail(buffer, i, count, c);
    for (float lane : lanes)
        peak = std::max(peak, lane);
    return peak;
}
#else
float kernelPortable(const float* buffer, std::size_t count, const TruePeak::Coefficients& c) {
    return scalarTail(buffer, 0, count, c);
}
#endif

} // namespace

TruePeak::TruePeak()
    : kernel_(&kernelPortable) {
#if defined(__SSE2__)
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        kernel_ = &kernelAvx2;
#endif
    // Interpolated point p/4 after sample x[n - kTaps/2] uses x[n - kTaps + 1 .. n].
    constexpr double beta = 6.0;
    constexpr double halfWidth = kTaps / 2.0 + 0.5;
    for (int p = 1; p < kFactor; ++p) {
        auto& c = coeffs_[static_cast<std::size_t>(p - 1)];
        std::array<double, kTaps> h{};
        double sum = 0.0;
        for (std::size_t j = 0; j < kTaps; ++j) {
            // distance (in input samples) from the interpolated point to x[n - j]
            const double t =
                (kTaps / 2.0 - static_cast<double>(p) / kFactor) - static_cast<double>(j);
            const double sinc = std::sin(std::numbers::pi * t) / (std::numbers::pi * t);
            const double r = t / halfWidth;
            h[j] = sinc * besselI0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / besselI0(beta);
            sum += h[j];
        }
        double absSum = 0.0;
        for (std::size_t j = 0; j < kTaps; ++j) {
            c[j] = static_cast<float>(h[j] / sum); // unity gain at DC
            absSum += std::abs(h[j] / sum);
        }
        bound_ = std::max(bound_, static_cast<float>(absSum));
    }
}

float TruePeak::betweenPeak(const float* x, std::size_t n) noexcept {
    float buffer[kHistory + kMaxBlock];
    float best = 0.0f;
    while (n > 0) {
        const std::size_t count = std::min(n, kMaxBlock);
        std::copy(history_.begin(), history_.end(), buffer);
        std::copy(x, x + count, buffer + kHistory);
        best = std::max(best, kernel_(buffer, count, coeffs_));
        std::copy(buffer + count, buffer + count + kHistory, history_.begin());
        x += count;
        n -= count;
    }
    return best;
}

void TruePeak::skip(const float* x, std::size_t n) noexcept {
    if (n >= kHistory) {
        std::copy(x + n - kHistory, x + n, history_.begin());
    } else {
        std::copy(history_.begin() + static_cast<std::ptrdiff_t>(n), history_.end(),
                  history_.begin());
        std::copy(x, x + n, history_.end() - static_cast<std::ptrdiff_t>(n));
    }
}

} // namespace dragoman::dsp

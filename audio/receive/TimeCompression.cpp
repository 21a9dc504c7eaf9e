#include "receive/TimeCompression.h"

#include <algorithm>
#include <cmath>

namespace dragoman::receive {

std::size_t compress(std::span<float> x, std::size_t minCut, std::size_t maxCut,
                     std::size_t overlap) noexcept {
    if (overlap == 0 || x.size() < minCut + overlap)
        return 0;
    maxCut = std::min(maxCut, x.size() - overlap);
    // The lag whose next `overlap` samples correlate best (normalised) with the first ones.
    double head = 0.0;
    for (std::size_t i = 0; i < overlap; ++i)
        head += static_cast<double>(x[i]) * x[i];
    std::size_t best = maxCut;
    double bestScore = -2.0;
    for (std::size_t lag = maxCut; lag >= minCut && lag > 0; --lag) {
        double dot = 0.0, energy = 0.0;
        for (std::size_t i = 0; i < overlap; ++i) {
            dot += static_cast<double>(x[i]) * x[lag + i];
            energy += static_cast<double>(x[lag + i]) * x[lag + i];
        }
        const double norm = std::sqrt(head * energy);
        const double score = norm > 1e-12 ? dot / norm : 0.0;
        if (score > bestScore) { // ties keep the longer cut
            bestScore = score;
            best = lag;
        }
    }
    for (std::size_t i = 0; i < overlap; ++i) {
        const float w = static_cast<float>(i + 1) / static_cast<float>(overlap + 1);
        x[best + i] = (1.0f - w) * x[i] + w * x[best + i];
    }
    return best;
}

} // namespace dragoman::receive

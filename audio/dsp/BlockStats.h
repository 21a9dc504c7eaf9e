// What every meter and limiter wants to know about a block, in one vectorised pass: the
// sample peak, the sum of squares and how many samples reached full scale.
//
// Thread contract: pure functions; audio thread safe (no allocation).
#pragma once

#include <cstddef>
#include <cstdint>

namespace dragoman::dsp {

struct BlockStats {
    float peak = 0.0f;       // max |x|
    float sumSquares = 0.0f; // sum of x^2
    std::uint32_t clips = 0; // samples with |x| >= 1
};

BlockStats measure(const float* x, std::size_t n) noexcept;

} // namespace dragoman::dsp

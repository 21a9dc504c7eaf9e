// Decibel conversions shared by meters, limiters and controls.
//
// Thread contract: pure functions; any thread (they call std::log10/std::pow: fine on the
// audio thread, but keep them out of per-sample loops).
#pragma once

#include <algorithm>
#include <cmath>

namespace dragoman::dsp {

// What a meter shows for silence; finite so that it survives JSON and arithmetic.
inline constexpr float kSilenceDb = -120.0f;

inline float dbToGain(float db) {
    return std::pow(10.0f, db / 20.0f);
}

inline float gainToDb(float gain) {
    return gain > 1e-6f ? std::max(kSilenceDb, 20.0f * std::log10(gain)) : kSilenceDb;
}

inline float powerToDb(double meanSquare) {
    return meanSquare > 1e-12
               ? std::max(kSilenceDb, static_cast<float>(10.0 * std::log10(meanSquare)))
               : kSilenceDb;
}

} // namespace dragoman::dsp

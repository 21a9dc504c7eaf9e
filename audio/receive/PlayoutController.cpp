#include "receive/PlayoutController.h"

#include <algorithm>
#include <cmath>

namespace dragoman::receive {

PlayoutController::PlayoutController(PlayoutSettings settings)
    : settings_(settings) {
    settings_.windows = std::clamp<std::size_t>(settings_.windows, 1, kMaxWindows);
}

void PlayoutController::reset() {
    filled_ = 0;
    next_ = 0;
    windowStarted_ = false;
    windowFrames_ = 0.0;
    ppm_ = 0;
    excess_ = 0.0;
}

double PlayoutController::recentMinimum() const {
    if (filled_ == 0)
        return windowStarted_ ? windowMin_ : settings_.marginSamples;
    double m = minima_[0];
    for (std::size_t i = 1; i < filled_; ++i)
        m = std::min(m, minima_[i]);
    return windowStarted_ ? std::min(m, windowMin_) : m;
}

void PlayoutController::shift(double samples) {
    for (std::size_t i = 0; i < filled_; ++i)
        minima_[i] += samples; // +infinity (no packet) stays
    if (windowStarted_)
        windowMin_ += samples;
    if (filled_ > 0)
        excess_ += samples;
}

void PlayoutController::observe(double spare, std::size_t frames) {
    windowMin_ = windowStarted_ ? std::min(windowMin_, spare) : spare;
    windowStarted_ = true;
    windowFrames_ += static_cast<double>(frames);
    if (windowFrames_ < settings_.windowSamples)
        return;
    minima_[next_] = windowMin_;
    next_ = (next_ + 1) % settings_.windows;
    filled_ = std::min(filled_ + 1, settings_.windows);
    windowStarted_ = false;
    windowFrames_ = 0.0;
    // Shrink only when every recent window had spare audio; grow only when most of them were
    // short (a slower sender clock): a late packet now and then is the concealment's business.
    // Windows in which no packet arrived (a pause in the stream) say nothing.
    std::array<double, kMaxWindows> sorted{};
    const auto end =
        std::copy_if(minima_.begin(), minima_.begin() + static_cast<std::ptrdiff_t>(filled_),
                     sorted.begin(), [](double m) { return std::isfinite(m); });
    const auto known = static_cast<std::size_t>(end - sorted.begin());
    if (known == 0) {
        ppm_ = 0;
        excess_ = 0.0;
        return;
    }
    std::sort(sorted.begin(), end);
    const double lowest =
        sorted[known > settings_.outliers ? settings_.outliers : 0] - settings_.marginSamples;
    const double typical = sorted[(known - 1) / 2] - settings_.marginSamples;
    excess_ = lowest > 0.0 ? lowest : std::min(typical, 0.0);
    const double wanted = settings_.gainPpmPerSample * excess_;
    ppm_ = static_cast<int>(std::lround(std::clamp(wanted, -static_cast<double>(settings_.maxPpm),
                                                   static_cast<double>(settings_.maxShrinkPpm))));
}

} // namespace dragoman::receive

#include "dsp/Limiter.h"

#include "dsp/BlockStats.h"

#include <algorithm>
#include <cmath>

namespace dragoman::dsp {

namespace {
float fromDb(double db) {
    return static_cast<float>(std::pow(10.0, db / 20.0));
}
} // namespace

void Limiter::prepare(double sampleRate, const Settings& settings) {
    sampleRate_ = sampleRate;
    ceiling_ = fromDb(settings.ceilingDbfs);
    sustainedLimit_ = std::min(ceiling_, fromDb(settings.sustainedDbfs));
    warningPower_ = static_cast<float>(std::pow(10.0, settings.warningDbfs / 10.0));
    release_ = static_cast<float>(std::exp(-1.0 / (0.050 * sampleRate))); // 50 ms release
    thresholdStep_ = (ceiling_ - sustainedLimit_) / static_cast<float>(0.010 * sampleRate);
    sustainedAfter_ = static_cast<std::size_t>(settings.sustainedAfterMs * 1e-3 * sampleRate);
    releaseAfter_ = static_cast<std::size_t>(sampleRate); // a second below the limit
    envelope_ = 0.0f;
    threshold_ = ceiling_;
    minGain_ = 1.0f;
    sustainedMode_ = false;
    above_ = below_ = 0;
    seconds_.fill(0.0);
    filled_ = next_ = 0;
    secondSum_ = 0.0;
    secondCount_ = 0;
    averagePower_ = 0.0;
    warning_ = false;
}

void Limiter::process(float* x, std::size_t n) noexcept {
    const float blockPeak = measure(x, n).peak;

    // Fast path, exactly equivalent to the loop below: while the signal and the envelope stay
    // at or under the sustained limit (the lowest threshold there is), no sample is touched
    // and nothing counts as "above". The envelope is then kept as an upper bound that is
    // itself under the limit, so it can never decide anything: only a later sample above the
    // limit can, and that sample then sets the envelope exactly.
    const float target = sustainedMode_ ? sustainedLimit_ : ceiling_;
    if (blockPeak <= sustainedLimit_ && envelope_ <= sustainedLimit_ && threshold_ == target &&
        (!sustainedMode_ || below_ + n < releaseAfter_)) {
        if (n != releasePowFrames_) {
            releasePow_ = std::pow(release_, static_cast<float>(n));
            releasePowFrames_ = n;
        }
        envelope_ = std::max(envelope_ * releasePow_, blockPeak); // an upper bound, <= the limit
        above_ = 0;
        below_ += n;
        minGain_ = 1.0f;
        accountAverage(x, n);
        return;
    }

    float env = envelope_;
    float thr = threshold_;
    float gainFloor = 1.0f;
    for (std::size_t i = 0; i < n; ++i) {
        env = std::max(std::abs(x[i]), env * release_);
        if (env > sustainedLimit_) {
            ++above_;
            below_ = 0;
        } else {
            above_ = 0;
            ++below_;
        }
        if (!sustainedMode_ && above_ >= sustainedAfter_)
            sustainedMode_ = true;
        else if (sustainedMode_ && below_ >= releaseAfter_)
            sustainedMode_ = false;
        const float goal = sustainedMode_ ? sustainedLimit_ : ceiling_;
        if (thr > goal)
            thr = std::max(goal, thr - thresholdStep_);
        else if (thr < goal)
            thr = std::min(goal, thr + thresholdStep_ * 0.1f); // recover 10x slower
        if (env > thr) {
            const float g = thr / env; // env >= |x|, so |x * g| <= thr
            x[i] *= g;
            gainFloor = std::min(gainFloor, g);
        }
    }
    envelope_ = env;
    threshold_ = thr;
    minGain_ = gainFloor;
    accountAverage(x, n);
}

void Limiter::accountAverage(const float* x, std::size_t n) noexcept {
    const auto perSecond = static_cast<std::size_t>(sampleRate_);
    for (std::size_t i = 0; i < n;) {
        const std::size_t take = std::min(n - i, perSecond - secondCount_);
        secondSum_ += measure(x + i, take).sumSquares;
        secondCount_ += take;
        i += take;
        if (secondCount_ == perSecond) {
            seconds_[static_cast<std::size_t>(next_)] = secondSum_ / static_cast<double>(perSecond);
            next_ = (next_ + 1) % kAverageSeconds;
            filled_ = std::min(filled_ + 1, kAverageSeconds);
            secondSum_ = 0.0;
            secondCount_ = 0;
            double total = 0.0;
            for (int s = 0; s < filled_; ++s)
                total += seconds_[static_cast<std::size_t>(s)];
            averagePower_ = total / kAverageSeconds; // silence before the first minute
            warning_ = averagePower_ > warningPower_;
        }
    }
}

} // namespace dragoman::dsp

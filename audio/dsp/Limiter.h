// Hearing protection for one headphone feed (the behaviour of ISO 20109-compliant desks such
// as Televic's Lingua ID, in dBFS):
//  - an instant ceiling: no output sample ever exceeds it, from the first sample on (a peak
//    envelope with instant attack; no look-ahead, so it adds no latency);
//  - once the input's envelope has stayed above the sustained limit for `sustainedAfterMs`,
//    the ceiling glides down to that lower limit (over 10 ms), and back up after a second
//    below it;
//  - a warning flag while the one-minute average output level exceeds the warning level.
//
// Thread contract: prepare() on the control thread (may allocate nothing, but runs before
// audio); process() on the audio thread (wait-free, no allocation); readings on the thread
// that owns the limiter.
#pragma once

#include <array>
#include <cstddef>

namespace dragoman::dsp {

class Limiter {
public:
    struct Settings {
        double ceilingDbfs = -10.0;
        double sustainedDbfs = -16.0;
        double sustainedAfterMs = 100.0;
        double warningDbfs = -30.0;
    };

    void prepare(double sampleRate, const Settings& settings);
    void process(float* x, std::size_t n) noexcept;

    // Sample-exact: the same signal gives the same output whatever the block sizes.
    float minGain() const noexcept { return minGain_; }        // smallest gain in the last block
    bool sustained() const noexcept { return sustainedMode_; } // the lower limit is in force
    bool warning() const noexcept { return warning_; }
    double averagePower() const noexcept { return averagePower_; } // one-minute mean square
    float threshold() const noexcept { return threshold_; }

private:
    static constexpr int kAverageSeconds = 60;

    void accountAverage(const float* x, std::size_t n) noexcept;

    double sampleRate_ = 48000.0;
    float ceiling_ = 1.0f;
    float sustainedLimit_ = 1.0f;
    float warningPower_ = 1.0f;
    float release_ = 0.999f;     // envelope decay per sample
    float thresholdStep_ = 0.0f; // per-sample glide of the threshold
    std::size_t sustainedAfter_ = 4800;
    std::size_t releaseAfter_ = 48000;

    float releasePow_ = 1.0f; // release_^releasePowFrames_, cached for the fast path
    std::size_t releasePowFrames_ = 0;

    float envelope_ = 0.0f;
    float threshold_ = 1.0f;
    float minGain_ = 1.0f;
    bool sustainedMode_ = false;
    std::size_t above_ = 0; // samples the input has stayed above the sustained limit
    std::size_t below_ = 0; // samples it has stayed below, once in sustained mode

    std::array<double, kAverageSeconds> seconds_{}; // mean square of each past second
    int filled_ = 0;
    int next_ = 0;
    double secondSum_ = 0.0;
    std::size_t secondCount_ = 0;
    double averagePower_ = 0.0;
    bool warning_ = false;
};

} // namespace dragoman::dsp

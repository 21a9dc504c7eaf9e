// How much the receive path keeps buffered, and how it gets there without a click: it watches
// how early the packets come (the audio still ahead of each one as it arrives, beyond what the
// device block needs), keeps the smallest such spare of each tenth of a second, and trims the
// drift resampler's ratio. When the spare of the last 3 s is above a small safety margin, the
// three lowest tenths aside (a late packet or two: the concealment that waited for them
// already grew the buffer, and that growth should not stay), the buffer is played out faster,
// up to 2 % for a large excess (a calm link after a jittery spell, a sender clock that runs
// fast); when most tenths fell short of it (a slow sender clock) a little slower, up to 0.4 %.
// A lost packet is not a late one: it is never seen here, so it does not hold the buffer up.
// Windows without packets (a pause) say nothing; observe() takes +infinity for them.
//
// Thread contract: the audio thread (one thread at a time); wait-free, never allocates.
#pragma once

#include <array>
#include <cstddef>

namespace dragoman::receive {

struct PlayoutSettings {
    double windowSamples = 4800;  // 0.1 s of output per window
    std::size_t windows = 30;     // over the last 30 windows (3 s)
    double marginSamples = 48;    // the smallest spare to keep: 1 ms
    double gainPpmPerSample = 25; // resampler trim per sample of excess spare
    int maxPpm = 4000;            // 0.4 %: inaudible on speech
    int maxShrinkPpm = 20000;     // 2 %: playing out a spike after it has passed
    std::size_t outliers = 3;     // the lowest windows not to count: one late packet's spike
};

class PlayoutController {
public:
    static constexpr std::size_t kMaxWindows = 32;

    explicit PlayoutController(PlayoutSettings settings = {});

    // One device block of `frames` output samples; the packets that came for it had at least
    // `spare` input samples to spare (+infinity: none came).
    void observe(double spare, std::size_t frames);
    // The buffer just grew (or shrank) by `samples` at once (concealment while waiting for a
    // late packet, or time moving on): every packet remembered had that much more to spare.
    void shift(double samples);
    // The resampler trim to use now.
    int ppm() const { return ppm_; }
    // Samples the buffer holds beyond what the recent packets needed (the three lowest tenths
    // aside, less the margin); 0 or less when it holds none to spare.
    double excess() const { return excess_; }
    // The smallest spare of the recent windows (samples); the margin when nothing is known.
    double recentMinimum() const;
    const PlayoutSettings& settings() const { return settings_; }
    void reset();

private:
    PlayoutSettings settings_;
    std::array<double, kMaxWindows> minima_{};
    std::size_t filled_ = 0;
    std::size_t next_ = 0;
    double windowMin_ = 0.0;
    double windowFrames_ = 0.0;
    bool windowStarted_ = false;
    int ppm_ = 0;
    double excess_ = 0.0;
};

} // namespace dragoman::receive

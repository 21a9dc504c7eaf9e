// EBU R128 loudness of every channel, momentary (400 ms) and short-term (3 s), measured with
// libebur128 off the audio thread: the encoder thread hands it each channel's PCM as it drains
// the taps (stream::PcmSink), and the console reads the latest values at any time.
//
//   ChannelTap ─► EncoderThread ─► LoudnessMeter::onPcm ─► libebur128 ─► atomics ─► read()
//
// The readings are refreshed every 100 ms of audio (libebur128's loudness calls sum the whole
// window, so once per chunk would cost more than the measurement is worth).
//
// Thread contract: construction and destruction on the control thread (allocates libebur128's
// state); onPcm() on the encoder thread only (no allocation, no lock); read() from any thread.
#pragma once

#include "stream/PcmSink.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace dragoman::loudness {

inline constexpr float kSilenceLufs = -70.0f; // shown for silence (libebur128's -inf)

struct LoudnessReading {
    float momentaryLufs = kSilenceLufs; // 400 ms window
    float shortTermLufs = kSilenceLufs; // 3 s window
    std::uint64_t frames = 0;           // frames measured so far
};

class LoudnessMeter final : public stream::PcmSink {
public:
    // Throws std::runtime_error when libebur128 cannot create a state.
    LoudnessMeter(int channels, int sampleRate);
    ~LoudnessMeter() override;
    LoudnessMeter(const LoudnessMeter&) = delete;
    LoudnessMeter& operator=(const LoudnessMeter&) = delete;

    // Encoder thread.
    void onPcm(int channel, const core::TapChunk& chunk) noexcept override;

    // Any thread; a default reading for a channel out of range.
    LoudnessReading read(int channel) const noexcept;
    int channelCount() const { return static_cast<int>(channels_.size()); }

private:
    struct State; // libebur128's state (its header declares an anonymous struct)
    struct StateDeleter {
        void operator()(State* state) const noexcept;
    };
    struct Channel {
        std::unique_ptr<State, StateDeleter> state;
        std::uint64_t sinceUpdate = 0; // frames since the readings were last refreshed
        std::atomic<float> momentary{kSilenceLufs};
        std::atomic<float> shortTerm{kSilenceLufs};
        std::atomic<std::uint64_t> frames{0};
    };
    static_assert(std::atomic<float>::is_always_lock_free);

    std::vector<Channel> channels_;
    std::uint64_t updateFrames_; // 100 ms
};

} // namespace dragoman::loudness

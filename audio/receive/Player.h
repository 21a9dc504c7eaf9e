// The listener's AudioCallback: plays the tuned ReceiveChannel on every output (the same mono
// signal on out_0 and out_1), at a volume that ramps, and switches channels without a click or
// a gap: the new channel primes while the old one keeps playing, then a 10 ms crossfade hands
// over (after the new one has played 20 ms unheard, so its start is never heard). Channels
// are handed in and handed back by pointer; the audio thread never frees one.
//
// Thread contract: construction, tune(), setVolume(), collectRetired() and destruction on the
// control thread; process() on the audio thread (wait-free). A channel passed to tune() must
// stay alive until collectRetired() returns it (or the Player is destroyed, audio stopped).
#pragma once

#include "core/SpscQueue.h"
#include "device/AudioCallback.h"
#include "receive/ReceiveChannel.h"

#include <atomic>
#include <cstddef>
#include <vector>

namespace dragoman::receive {

class Player : public device::AudioCallback {
public:
    static constexpr int kCrossfadeSamples = 480; // 10 ms
    static constexpr int kVolumeRampSamples = 240;
    static constexpr std::size_t kSettleSamples = 960; // a new channel plays 20 ms unheard

    // `outputs`: the device outputs process() is given (each gets the same signal);
    // `maxBlock`: the largest block process() handles in one piece (larger ones are split).
    explicit Player(int outputs = 2, std::size_t maxBlock = 4096);

    // Control thread: plays `channel` next (after it primes, with a crossfade from the current
    // one). Returns the channel handed in before that never reached the audio thread (the
    // caller frees it), or nullptr.
    [[nodiscard]] ReceiveChannel* tune(ReceiveChannel* channel);
    // Control thread: a channel the audio thread let go of, or nullptr.
    ReceiveChannel* collectRetired();
    // Control thread: linear gain, 0..4 (ramps on the audio thread).
    void setVolume(float gain) { volume_.store(gain, std::memory_order_relaxed); }
    float volume() const { return volume_.load(std::memory_order_relaxed); }

    // Any thread: the channel that is heard now (or is being faded in), or nullptr.
    const ReceiveChannel* current() const { return current_.load(std::memory_order_acquire); }

    // Audio thread.
    void process(const float* const* inputs, float* const* outputs,
                 std::size_t frames) noexcept override;

private:
    void processBlock(float* const* outputs, std::size_t offset, std::size_t frames) noexcept;
    void retire(ReceiveChannel* channel) noexcept;

    const int outputs_;
    const std::size_t maxBlock_;
    std::atomic<ReceiveChannel*> pending_{nullptr};
    core::SpscQueue<ReceiveChannel*> retired_;
    ReceiveChannel* playing_ = nullptr;  // audio thread
    ReceiveChannel* incoming_ = nullptr; // audio thread
    std::atomic<const ReceiveChannel*> current_{nullptr};
    int fade_ = -1;           // crossfade position, -1 when none
    std::size_t settled_ = 0; // samples the incoming channel has played unheard
    std::atomic<float> volume_{1.0f};
    float gain_ = 1.0f; // audio thread
    std::vector<float> a_, b_;
};

} // namespace dragoman::receive

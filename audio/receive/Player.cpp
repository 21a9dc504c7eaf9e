#include "receive/Player.h"

#include <algorithm>
#include <cmath>

namespace dragoman::receive {

Player::Player(int outputs, std::size_t maxBlock)
    : outputs_(std::max(outputs, 0))
    , maxBlock_(std::max<std::size_t>(maxBlock, 64))
    , retired_(64)
    , a_(maxBlock_)
    , b_(maxBlock_) {
}

ReceiveChannel* Player::tune(ReceiveChannel* channel) {
    return pending_.exchange(channel, std::memory_order_acq_rel);
}

ReceiveChannel* Player::collectRetired() {
    ReceiveChannel* channel = nullptr;
    return retired_.try_dequeue(channel) ? channel : nullptr;
}

void Player::retire(ReceiveChannel* channel) noexcept {
    // 64 places for at most three channels in flight: it never fills.
    if (channel)
        retired_.try_enqueue(channel);
}

void Player::process(const float* const* /*inputs*/, float* const* outputs,
                     std::size_t frames) noexcept {
    for (std::size_t offset = 0; offset < frames; offset += maxBlock_)
        processBlock(outputs, offset, std::min(maxBlock_, frames - offset));
}

void Player::processBlock(float* const* outputs, std::size_t offset, std::size_t frames) noexcept {
    if (ReceiveChannel* next = pending_.exchange(nullptr, std::memory_order_acq_rel)) {
        if (incoming_ && fade_ < 0) {
            retire(incoming_); // tuned again before it played: drop it
        } else if (incoming_) {
            retire(playing_); // tuned again mid-fade: the incoming one takes over at once
            playing_ = incoming_;
            current_.store(playing_, std::memory_order_release);
            fade_ = -1;
        }
        incoming_ = next;
        settled_ = 0;
        if (!playing_) {
            playing_ = incoming_; // nothing to fade from: the channel fades itself in
            incoming_ = nullptr;
            current_.store(playing_, std::memory_order_release);
        }
    }

    float* mix = a_.data();
    if (playing_)
        playing_->render(mix, frames);
    else
        std::fill_n(mix, frames, 0.0f);

    if (incoming_) {
        float* in = b_.data();
        incoming_->render(in, frames);
        // The new channel plays unheard for 20 ms first: its decoder's start, and the first
        // adjustments of its buffer, are over before anyone hears it.
        if (incoming_->playing())
            settled_ += frames;
        if (fade_ < 0 && settled_ >= kSettleSamples) {
            fade_ = 0;
            current_.store(incoming_, std::memory_order_release);
        }
        if (fade_ >= 0) {
            for (std::size_t i = 0; i < frames; ++i) {
                const float t = std::min(1.0f, static_cast<float>(fade_) / kCrossfadeSamples);
                // Equal power: sin/cos keep the loudness of two unrelated signals steady.
                const float gIn = std::sin(t * 1.5707963f);
                const float gOut = std::cos(t * 1.5707963f);
                mix[i] = gOut * mix[i] + gIn * in[i];
                if (fade_ < kCrossfadeSamples)
                    ++fade_;
            }
            if (fade_ >= kCrossfadeSamples) {
                retire(playing_);
                playing_ = incoming_;
                incoming_ = nullptr;
                fade_ = -1;
            }
        }
    }

    const float target = std::clamp(volume_.load(std::memory_order_relaxed), 0.0f, 4.0f);
    const float step = (target - gain_) / kVolumeRampSamples;
    for (std::size_t i = 0; i < frames; ++i) {
        if (gain_ != target)
            gain_ = std::abs(target - gain_) <= std::abs(step) ? target : gain_ + step;
        mix[i] *= gain_;
    }
    for (int o = 0; o < outputs_; ++o)
        std::copy_n(mix, frames, outputs[o] + offset);
}

} // namespace dragoman::receive

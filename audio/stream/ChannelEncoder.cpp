#include "stream/ChannelEncoder.h"

#include <algorithm>
#include <stdexcept>

namespace dragoman::stream {

ChannelEncoder::ChannelEncoder(int channel, const venue::OpusSettings& settings)
    : channel_(channel) {
    auto created = codec::OpusEncoder::create(settings);
    if (!created)
        throw std::runtime_error("channel " + std::to_string(channel) +
                                 ": cannot create its Opus encoder: " + created.error);
    encoder_ = std::move(created.value);
    frame_.assign(static_cast<std::size_t>(encoder_->frameSamples()), 0.0f);
    packet_.channel = channel;
}

void ChannelEncoder::push(const core::TapChunk& chunk,
                          std::span<PacketSink* const> sinks) noexcept {
    if (!started_) {
        started_ = true;
        next_ = chunk.frame;
        framePosition_ = chunk.frame;
    }
    if (chunk.frame != next_) { // chunks were lost between the previous one and this one
        overruns_.fetch_add(1, std::memory_order_relaxed);
        if (filled_ > 0) {
            std::fill(frame_.begin() + static_cast<std::ptrdiff_t>(filled_), frame_.end(), 0.0f);
            filled_ = frame_.size();
            encodeFrame(sinks);
        }
        framePosition_ = chunk.frame;
        discontinuity_ = true;
    }
    next_ = chunk.frame + chunk.frames;
    std::size_t at = 0;
    while (at < chunk.frames) {
        if (filled_ == 0)
            framePosition_ = chunk.frame + at;
        const std::size_t n = std::min<std::size_t>(chunk.frames - at, frame_.size() - filled_);
        std::copy_n(chunk.samples + at, n, frame_.begin() + static_cast<std::ptrdiff_t>(filled_));
        filled_ += n;
        at += n;
        if (filled_ == frame_.size())
            encodeFrame(sinks);
    }
}

void ChannelEncoder::encodeFrame(std::span<PacketSink* const> sinks) noexcept {
    filled_ = 0;
    const auto result = encoder_->encode(frame_, packet_.data);
    if (!result) {
        encodeErrors_.fetch_add(1, std::memory_order_relaxed);
        discontinuity_ = true; // the listener misses this frame
        return;
    }
    packet_.position = framePosition_;
    packet_.durationSamples = static_cast<std::uint32_t>(frame_.size());
    packet_.discontinuity = discontinuity_;
    packet_.bytes = static_cast<std::uint16_t>(result.value);
    discontinuity_ = false;
    for (auto* sink : sinks)
        sink->onPacket(packet_);
    packets_.fetch_add(1, std::memory_order_relaxed);
    bytes_.fetch_add(result.value, std::memory_order_relaxed);
}

ChannelStats ChannelEncoder::stats() const noexcept {
    return {packets_.load(std::memory_order_relaxed), bytes_.load(std::memory_order_relaxed),
            overruns_.load(std::memory_order_relaxed),
            encodeErrors_.load(std::memory_order_relaxed)};
}

} // namespace dragoman::stream

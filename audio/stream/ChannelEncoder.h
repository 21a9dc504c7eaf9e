// One channel's encoding: gathers the tap's chunks into frames of the channel's frame size,
// encodes each with Opus and hands the packet to the channel's sinks.
//
// Thread contract: constructed on the control thread (allocates); push(), flush() and the
// sinks run on the encoder thread only (no allocation, no blocking, no I/O); stats() from any
// thread.
#pragma once

#include "codec/OpusEncoder.h"
#include "core/ChannelTap.h"
#include "stream/EncodedPacket.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace dragoman::stream {

struct ChannelStats {
    std::uint64_t packets = 0;      // packets handed to the sinks
    std::uint64_t bytes = 0;        // their Opus bytes
    std::uint64_t overruns = 0;     // gaps seen in the tap's chunk frames (a tap overrun)
    std::uint64_t encodeErrors = 0; // frames libopus refused (lost)
};

class ChannelEncoder {
public:
    // Throws std::runtime_error with libopus's reason when the encoder cannot be created.
    ChannelEncoder(int channel, const venue::OpusSettings& settings);

    // Encoder thread. Appends the chunk's samples; every full frame is encoded and sent to
    // `sinks`. A chunk that does not follow the previous one (its frame jumps: the tap
    // overran) ends the frame in progress (padded with silence) and marks the next packet
    // as a discontinuity.
    void push(const core::TapChunk& chunk, std::span<PacketSink* const> sinks) noexcept;

    int channel() const { return channel_; }
    int frameSamples() const { return encoder_->frameSamples(); }
    int lookahead() const { return encoder_->lookahead(); }
    const venue::OpusSettings& settings() const { return encoder_->settings(); }

    ChannelStats stats() const noexcept; // any thread

private:
    void encodeFrame(std::span<PacketSink* const> sinks) noexcept;

    int channel_;
    std::unique_ptr<codec::OpusEncoder> encoder_;
    std::vector<float> frame_; // frameSamples() samples
    std::size_t filled_ = 0;
    bool started_ = false;
    std::uint64_t next_ = 0;          // engine frame the next chunk should start at
    std::uint64_t framePosition_ = 0; // engine frame of frame_[0]
    bool discontinuity_ = false;
    EncodedPacket packet_;

    std::atomic<std::uint64_t> packets_{0};
    std::atomic<std::uint64_t> bytes_{0};
    std::atomic<std::uint64_t> overruns_{0};
    std::atomic<std::uint64_t> encodeErrors_{0};
};

} // namespace dragoman::stream

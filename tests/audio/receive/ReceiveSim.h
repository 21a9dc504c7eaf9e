// An offline link for the receive tests: a sender that makes Opus packets of a tone on its own
// clock (which may run fast or slow), a network that delays, drops, reorders and duplicates
// them, and a receiver that renders device blocks on its clock. No real time: a simulated
// half hour takes seconds.
#pragma once

#include "codec/OpusEncoder.h"
#include "receive/ReceiveChannel.h"
#include "stream/RtpPacket.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <vector>

namespace dragoman::test {

inline venue::OpusSettings lowDelayProfile() {
    venue::OpusSettings s;
    s.application = venue::OpusApplication::LowDelay;
    s.frameMs = 2.5;
    s.fec = false;
    s.lossPercent = 0;
    s.bitrate = 64000;
    return s;
}

inline venue::OpusSettings speechProfile() {
    return venue::OpusSettings{};
} // audio, 20 ms, FEC

// One second of a 480 Hz tone, encoded once and looped (the loop is seamless: 480 whole cycles).
class ToneSource {
public:
    explicit ToneSource(const venue::OpusSettings& settings, float amplitude = 0.3f) {
        auto encoder = codec::OpusEncoder::create(settings);
        REQUIRE(encoder);
        frame_ = encoder.value->frameSamples();
        std::vector<float> pcm(static_cast<std::size_t>(frame_));
        std::vector<std::uint8_t> out(1500);
        // Two seconds through the encoder; keep the second (the encoder has settled).
        for (int k = 0; k < 2 * 48000 / frame_; ++k) {
            for (int i = 0; i < frame_; ++i)
                pcm[static_cast<std::size_t>(i)] =
                    amplitude *
                    static_cast<float>(std::sin(2 * M_PI * 480.0 * (k * frame_ + i) / 48000.0));
            auto n = encoder.value->encode(pcm, out);
            REQUIRE(n);
            if (k >= 48000 / frame_)
                packets_.emplace_back(out.begin(), out.begin() + static_cast<long>(n.value));
        }
    }
    int frameSamples() const { return frame_; }
    const std::vector<std::uint8_t>& packet(std::size_t k) const {
        return packets_[k % packets_.size()];
    }

private:
    int frame_ = 0;
    std::vector<std::vector<std::uint8_t>> packets_;
};

struct LinkModel {
    double senderPpm = 0.0;   // the sender's clock runs this much fast (+) or slow (-)
    double delayMs = 1.0;     // base one-way delay
    double jitterMs = 0.0;    // extra delay, uniform in [0, jitterMs] (order kept)
    double lossRate = 0.0;    // independent drops
    double reorderRate = 0.0; // a packet swaps places with the next one
    double duplicateRate = 0.0;
    std::uint32_t seed = 1;
    // The sender stalls once (a busy machine): what it sends in [stallAtS, stallAtS + stallMs]
    // leaves together at the end of it.
    double stallAtS = -1.0;
    double stallMs = 0.0;
};

// Drives a ReceiveChannel: sender packets arrive by their simulated arrival time, the receiver
// renders `block` samples at a time.
class SimLink {
public:
    SimLink(const ToneSource& source, LinkModel model, receive::ReceiveChannel& channel,
            std::size_t block = 128)
        : source_(source)
        , model_(model)
        , channel_(channel)
        , block_(block)
        , random_(model.seed)
        , out_(block) {}

    // Renders `seconds` of receiver time; `onBlock` sees each block's samples.
    void run(double seconds, const std::function<void(const float*, std::size_t)>& onBlock = {}) {
        const auto blocks =
            static_cast<std::uint64_t>(seconds * 48000.0 / static_cast<double>(block_));
        for (std::uint64_t b = 0; b < blocks; ++b) {
            const double now = static_cast<double>(receiverSamples_);
            sendUntil(now + 4800.0); // 100 ms of packets in flight
            while (!inFlight_.empty() && inFlight_.begin()->first <= now) {
                auto node = inFlight_.begin();
                channel_.push(node->second, node->first);
                inFlight_.erase(node);
            }
            channel_.render(out_.data(), block_);
            receiverSamples_ += block_;
            if (onBlock)
                onBlock(out_.data(), block_);
        }
    }

    std::uint64_t sent() const { return sequence_; }
    std::uint64_t dropped() const { return dropped_; }
    // From now on (packets not yet sent), the link behaves like this.
    void setModel(const LinkModel& model) { model_ = model; }
    std::uint32_t ssrc = 0x12345678;

private:
    void sendUntil(double until) {
        const double frame = source_.frameSamples();
        const double scale = 1.0 / (1.0 + model_.senderPpm * 1e-6); // sender samples -> ours
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        while (true) {
            const double sendTime = static_cast<double>(sequence_) * frame * scale;
            const double stallStart = model_.stallAtS * 48000.0;
            const double stallEnd = stallStart + model_.stallMs * 48.0;
            const double leaves =
                sendTime >= stallStart && sendTime < stallEnd ? stallEnd : sendTime;
            double arrival =
                leaves + model_.delayMs * 48.0 + unit(random_) * model_.jitterMs * 48.0;
            if (arrival > until)
                return;
            arrival = std::max(arrival, lastArrival_ + 1e-3); // jitter keeps the order
            lastArrival_ = arrival;
            stream::RtpHeader h;
            h.sequence = static_cast<std::uint16_t>(sequence_ + 1000);
            h.timestamp =
                static_cast<std::uint32_t>(sequence_ * static_cast<std::uint64_t>(frame)) +
                0xfff00000u;
            h.ssrc = ssrc;
            const auto& payload = source_.packet(sequence_);
            std::vector<std::uint8_t> datagram(stream::kRtpHeaderBytes + payload.size());
            stream::writeRtpPacket(h, payload, datagram);
            ++sequence_;
            if (unit(random_) < model_.lossRate) {
                ++dropped_;
                continue;
            }
            if (unit(random_) < model_.reorderRate)
                arrival += frame * 1.5; // arrives after the next one
            inFlight_.emplace(arrival, datagram);
            if (unit(random_) < model_.duplicateRate)
                inFlight_.emplace(arrival + 0.5, datagram);
        }
    }

    const ToneSource& source_;
    LinkModel model_;
    receive::ReceiveChannel& channel_;
    std::size_t block_;
    std::mt19937 random_;
    std::vector<float> out_;
    std::multimap<double, std::vector<std::uint8_t>> inFlight_;
    std::uint64_t sequence_ = 0;
    std::uint64_t dropped_ = 0;
    std::uint64_t receiverSamples_ = 0;
    double lastArrival_ = -1.0;
};

// The RMS of a block.
inline double rms(const float* x, std::size_t n) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        s += static_cast<double>(x[i]) * x[i];
    return n ? std::sqrt(s / static_cast<double>(n)) : 0.0;
}

} // namespace dragoman::test

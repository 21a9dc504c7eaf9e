// Helpers for the RTP tests: Opus packets made with libopus directly (a sine, 20 ms frames,
// 48 kHz mono), UDP sockets on loopback, and a WAV reader for what ffmpeg writes.
#pragma once

#include "stream/EncodedPacket.h"
#include "stream/Subscriptions.h"
#include "support/Signals.h"

#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <netinet/in.h>
#include <optional>
#include <opus.h>
#include <poll.h>
#include <random>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace dragoman::test {

// Encodes a continuous sine into EncodedPackets of one channel.
class SinePackets {
public:
    SinePackets(int channel, double hz, double dbfs, int bitrate = 64000)
        : channel_(channel)
        , hz_(hz)
        , amplitude_(std::pow(10.0, dbfs / 20.0)) {
        int error = 0;
        encoder_.reset(opus_encoder_create(48000, 1, OPUS_APPLICATION_AUDIO, &error));
        if (error != OPUS_OK || !encoder_)
            throw std::runtime_error("opus_encoder_create failed");
        opus_encoder_ctl(encoder_.get(), OPUS_SET_BITRATE(bitrate));
    }

    stream::EncodedPacket next() {
        constexpr int kFrame = 960; // 20 ms
        float pcm[kFrame];
        for (int i = 0; i < kFrame; ++i)
            pcm[i] = static_cast<float>(
                amplitude_ *
                std::sin(2.0 * std::numbers::pi * hz_ *
                         static_cast<double>(position_ + static_cast<unsigned>(i)) / 48000.0));
        stream::EncodedPacket p;
        p.channel = channel_;
        p.position = position_;
        p.durationSamples = kFrame;
        const int n = opus_encode_float(encoder_.get(), pcm, kFrame, p.data.data(),
                                        static_cast<opus_int32>(p.data.size()));
        if (n <= 0)
            throw std::runtime_error("opus_encode_float failed");
        p.bytes = static_cast<std::uint16_t>(n);
        position_ += kFrame;
        return p;
    }

    // Skips `samples` (a tap overrun upstream): the next packet carries discontinuity.
    void skip(std::uint64_t samples) { position_ += samples; }

private:
    struct Destroy {
        void operator()(OpusEncoder* e) const { opus_encoder_destroy(e); }
    };
    std::unique_ptr<OpusEncoder, Destroy> encoder_;
    int channel_;
    double hz_;
    double amplitude_;
    std::uint64_t position_ = 0;
};

// A UDP socket bound on 127.0.0.1 (or `address`), closed when it goes.
class UdpSocket {
public:
    explicit UdpSocket(std::uint16_t port = 0, const char* address = "127.0.0.1") {
        fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0)
            throw std::runtime_error("socket");
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        inet_pton(AF_INET, address, &a.sin_addr);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(fd_);
            fd_ = -1;
            return;
        }
        socklen_t length = sizeof a;
        getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &length);
        port_ = ntohs(a.sin_port);
    }
    ~UdpSocket() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;

    bool ok() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    std::uint16_t port() const { return port_; }
    stream::Endpoint endpoint() const { return {0x7f000001u, port_}; }

    // One datagram within `timeout`, or nullopt.
    std::optional<std::vector<std::uint8_t>>
    receive(std::chrono::milliseconds timeout = std::chrono::milliseconds(1000)) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0)
            return std::nullopt;
        std::vector<std::uint8_t> buffer(2048);
        const auto n = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (n < 0)
            return std::nullopt;
        buffer.resize(static_cast<std::size_t>(n));
        return buffer;
    }

    void sendTo(const std::vector<std::uint8_t>& data, stream::Endpoint to) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(to.port);
        a.sin_addr.s_addr = htonl(to.address);
        ::sendto(fd_, data.data(), data.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

// Two sockets on an even port and the next one (an RTP player: RTP on P, RTCP on P + 1).
struct PortPair {
    std::unique_ptr<UdpSocket> rtp;
    std::unique_ptr<UdpSocket> rtcp;
};

inline PortPair bindPortPair() {
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> pick(15000, 29999);
    for (int attempt = 0; attempt < 200; ++attempt) {
        const auto port = static_cast<std::uint16_t>(2 * pick(random));
        auto rtp = std::make_unique<UdpSocket>(port);
        auto rtcp = std::make_unique<UdpSocket>(static_cast<std::uint16_t>(port + 1));
        if (rtp->ok() && rtcp->ok())
            return {std::move(rtp), std::move(rtcp)};
    }
    throw std::runtime_error("no free UDP port pair on loopback");
}

// A free even port whose pair is free too (nothing bound on either when it returns).
inline std::uint16_t freePortPair() {
    const auto pair = bindPortPair();
    return pair.rtp->port();
}

// The first channel of a 16-bit or float WAV file, as floats.
inline std::vector<float> readWavChannel0(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto u16 = [&](std::size_t at) {
        return static_cast<unsigned>(static_cast<unsigned char>(bytes[at]) |
                                     (static_cast<unsigned char>(bytes[at + 1]) << 8));
    };
    auto u32 = [&](std::size_t at) { return u16(at) | (u16(at + 2) << 16); };
    std::vector<float> out;
    if (bytes.size() < 12 || std::memcmp(bytes.data(), "RIFF", 4) != 0)
        return out;
    unsigned format = 0, channels = 0, bits = 0;
    std::size_t at = 12;
    while (at + 8 <= bytes.size()) {
        const std::string id(bytes.data() + at, 4);
        std::size_t size = u32(at + 4);
        const std::size_t body = at + 8;
        if (id == "fmt ") {
            format = u16(body);
            channels = u16(body + 2);
            bits = u16(body + 14);
        } else if (id == "data") {
            size = std::min(size, bytes.size() - body);
            const std::size_t frameBytes = channels * bits / 8;
            if (frameBytes == 0)
                return out;
            for (std::size_t f = body; f + frameBytes <= body + size; f += frameBytes) {
                if (bits == 16) {
                    const auto v = static_cast<std::int16_t>(u16(f));
                    out.push_back(static_cast<float>(v) / 32768.0f);
                } else if (bits == 32 && (format == 3 || format == 0xfffe)) {
                    float v;
                    std::memcpy(&v, bytes.data() + f, sizeof v);
                    out.push_back(v);
                }
            }
            return out;
        }
        at = body + size + (size & 1);
    }
    return out;
}

} // namespace dragoman::test

// One Opus packet of one language channel, as the encoder thread hands it to every
// distribution path (RTP, live Ogg over HTTP, Icecast, recordings).
//
// Thread contract: a plain value, built on the encoder thread and copied to the sinks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace dragoman::stream {

struct EncodedPacket {
    static constexpr std::size_t kMaxBytes = 1275; // the largest Opus packet (RFC 6716)

    int channel = 0;                   // venue channel index (0 = floor)
    std::uint64_t position = 0;        // the first sample's position in the channel, 48 kHz
    std::uint32_t durationSamples = 0; // 48 kHz samples the packet decodes to (120..960)
    bool discontinuity = false;        // samples were lost before this packet (a tap overrun)
    std::uint16_t bytes = 0;
    std::array<std::uint8_t, kMaxBytes> data{};
};

// Receives every packet of the channels it is attached to, on the encoder thread. An
// implementation must return quickly and never block (hand the packet to its own thread or
// queue if it does I/O that can stall).
class PacketSink {
public:
    virtual ~PacketSink() = default;
    virtual void onPacket(const EncodedPacket& packet) = 0;
};

} // namespace dragoman::stream

// RTP packets (RFC 3550) carrying one Opus packet each (RFC 7587): the 12-byte fixed header
// (version 2, no padding, no extension, no CSRC) followed by the Opus payload.
//
// Thread contract: pure functions on caller-owned buffers; any thread; never allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace dragoman::stream {

inline constexpr std::uint8_t kOpusPayloadType = 96;  // dynamic payload type used for Opus
inline constexpr std::uint32_t kRtpClockRate = 48000; // RFC 7587: always 48 kHz
inline constexpr std::size_t kRtpHeaderBytes = 12;

struct RtpHeader {
    bool marker = false;
    std::uint8_t payloadType = kOpusPayloadType;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;

    bool operator==(const RtpHeader&) const = default;
};

// Writes header + payload into `out`; returns the packet's size, or 0 when `out` is too small.
std::size_t writeRtpPacket(const RtpHeader& header, std::span<const std::uint8_t> payload,
                           std::span<std::uint8_t> out);

struct RtpPacketView {
    RtpHeader header;
    std::span<const std::uint8_t> payload; // points into the parsed buffer
};

// Parses an RTP packet (CSRCs, header extension and padding are skipped); nullopt when it is
// not a well-formed version-2 RTP packet.
std::optional<RtpPacketView> parseRtpPacket(std::span<const std::uint8_t> packet);

} // namespace dragoman::stream

// RTCP (RFC 3550 section 6): the sender reports Dragoman sends for every channel, the
// receiver reports listeners send back, and a strict parser for compound packets.
//
// Thread contract: pure functions and plain values; any thread. The writers never allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace dragoman::stream {

// RTCP packet types.
inline constexpr std::uint8_t kRtcpSenderReport = 200;
inline constexpr std::uint8_t kRtcpReceiverReport = 201;
inline constexpr std::uint8_t kRtcpSourceDescription = 202;
inline constexpr std::uint8_t kRtcpBye = 203;
inline constexpr std::uint8_t kRtcpApp = 204;

// One reception report block: how a receiver hears the source `ssrc`.
struct ReportBlock {
    std::uint32_t ssrc = 0;             // the source this block is about
    std::uint8_t fractionLost = 0;      // lost since the last report, in 1/256
    std::int32_t cumulativeLost = 0;    // 24-bit signed
    std::uint32_t highestSequence = 0;  // extended highest sequence number received
    std::uint32_t jitter = 0;           // interarrival jitter, RTP timestamp units
    std::uint32_t lastSenderReport = 0; // LSR: middle 32 bits of the last SR's NTP time
    std::uint32_t delaySinceLastSr = 0; // DLSR, 1/65536 s

    bool operator==(const ReportBlock&) const = default;
};

struct SenderReport {
    std::uint32_t ssrc = 0;
    std::uint64_t ntpTimestamp = 0; // NTP format: seconds since 1900 << 32 | fraction
    std::uint32_t rtpTimestamp = 0; // the same instant on the RTP clock
    std::uint32_t packetCount = 0;
    std::uint32_t octetCount = 0; // payload octets (without RTP headers)

    bool operator==(const SenderReport&) const = default;
};

// What a compound RTCP packet says (the parts Dragoman uses).
struct RtcpMessage {
    std::optional<SenderReport> senderReport;
    std::uint32_t reporterSsrc = 0;  // the SSRC of the SR/RR's sender
    std::vector<ReportBlock> blocks; // report blocks of the SR or RR
    std::vector<std::uint32_t> byeSsrcs;
};

// Writes a compound packet of an SR (no report blocks) and an SDES with CNAME `cname`
// (at most 255 bytes). Returns its size, or 0 when `out` is too small.
std::size_t writeSenderReport(const SenderReport& report, std::string_view cname,
                              std::span<std::uint8_t> out);

// Writes a compound packet of an RR with `blocks` (at most 31) and an SDES CNAME. Listeners
// (and tests) use it. Returns its size, or 0 when `out` is too small.
std::size_t writeReceiverReport(std::uint32_t reporterSsrc, std::span<const ReportBlock> blocks,
                                std::string_view cname, std::span<std::uint8_t> out);

// Writes a compound packet of an empty RR, an SDES CNAME and a BYE for `reporterSsrc`: a
// listener leaving (RFC 3550 6.6). Returns its size, or 0 when `out` is too small.
std::size_t writeGoodbye(std::uint32_t reporterSsrc, std::string_view cname,
                         std::span<std::uint8_t> out);

// Parses a compound RTCP packet strictly: every packet version 2, lengths that add up to the
// datagram, the first packet an SR or RR (RFC 3550 6.1). nullopt when malformed.
std::optional<RtcpMessage> parseRtcp(std::span<const std::uint8_t> datagram);

// The wall clock now, in NTP format.
std::uint64_t ntpNow();

// The middle 32 bits of an NTP timestamp (what LSR carries).
constexpr std::uint32_t ntpMiddle32(std::uint64_t ntp) {
    return static_cast<std::uint32_t>(ntp >> 16);
}

} // namespace dragoman::stream

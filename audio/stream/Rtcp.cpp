#include "stream/Rtcp.h"

#include "stream/BigEndian.h"

#include <chrono>
#include <cstring>

namespace dragoman::stream {

namespace {

using namespace bigendian;

constexpr std::size_t kBlockBytes = 24;

void putBlock(std::uint8_t* p, const ReportBlock& b) {
    put32(p, b.ssrc);
    const auto lost = static_cast<std::uint32_t>(b.cumulativeLost) & 0x00ffffffu;
    put32(p + 4, (std::uint32_t{b.fractionLost} << 24) | lost);
    put32(p + 8, b.highestSequence);
    put32(p + 12, b.jitter);
    put32(p + 16, b.lastSenderReport);
    put32(p + 20, b.delaySinceLastSr);
}

ReportBlock getBlock(const std::uint8_t* p) {
    ReportBlock b;
    b.ssrc = get32(p);
    const std::uint32_t word = get32(p + 4);
    b.fractionLost = static_cast<std::uint8_t>(word >> 24);
    std::uint32_t lost = word & 0x00ffffffu;
    if ((lost & 0x00800000u) != 0)
        lost |= 0xff000000u; // sign-extend the 24-bit value
    b.cumulativeLost = static_cast<std::int32_t>(lost);
    b.highestSequence = get32(p + 8);
    b.jitter = get32(p + 12);
    b.lastSenderReport = get32(p + 16);
    b.delaySinceLastSr = get32(p + 20);
    return b;
}

// SDES with one chunk: SSRC, CNAME item, END, padded to 32 bits. Returns its size or 0.
std::size_t putSdes(std::uint32_t ssrc, std::string_view cname, std::uint8_t* p, std::size_t room) {
    if (cname.size() > 255)
        cname = cname.substr(0, 255);
    const std::size_t items = 2 + cname.size() + 1; // type, length, text, END
    const std::size_t chunk = 4 + ((items + 3) / 4) * 4;
    const std::size_t size = 4 + chunk;
    if (size > room)
        return 0;
    std::memset(p, 0, size);
    p[0] = 0x81; // V=2, SC=1
    p[1] = kRtcpSourceDescription;
    put16(p + 2, static_cast<std::uint16_t>(size / 4 - 1));
    put32(p + 4, ssrc);
    p[8] = 1; // CNAME
    p[9] = static_cast<std::uint8_t>(cname.size());
    if (!cname.empty())
        std::memcpy(p + 10, cname.data(), cname.size());
    return size;
}

} // namespace

std::size_t writeSenderReport(const SenderReport& report, std::string_view cname,
                              std::span<std::uint8_t> out) {
    constexpr std::size_t srBytes = 28;
    if (out.size() < srBytes)
        return 0;
    std::uint8_t* p = out.data();
    p[0] = 0x80; // V=2, RC=0
    p[1] = kRtcpSenderReport;
    put16(p + 2, srBytes / 4 - 1);
    put32(p + 4, report.ssrc);
    put32(p + 8, static_cast<std::uint32_t>(report.ntpTimestamp >> 32));
    put32(p + 12, static_cast<std::uint32_t>(report.ntpTimestamp));
    put32(p + 16, report.rtpTimestamp);
    put32(p + 20, report.packetCount);
    put32(p + 24, report.octetCount);
    const std::size_t sdes = putSdes(report.ssrc, cname, p + srBytes, out.size() - srBytes);
    return sdes == 0 ? 0 : srBytes + sdes;
}

std::size_t writeReceiverReport(std::uint32_t reporterSsrc, std::span<const ReportBlock> blocks,
                                std::string_view cname, std::span<std::uint8_t> out) {
    if (blocks.size() > 31)
        blocks = blocks.first(31);
    const std::size_t rrBytes = 8 + kBlockBytes * blocks.size();
    if (out.size() < rrBytes)
        return 0;
    std::uint8_t* p = out.data();
    p[0] = static_cast<std::uint8_t>(0x80 | blocks.size());
    p[1] = kRtcpReceiverReport;
    put16(p + 2, static_cast<std::uint16_t>(rrBytes / 4 - 1));
    put32(p + 4, reporterSsrc);
    for (std::size_t i = 0; i < blocks.size(); ++i)
        putBlock(p + 8 + kBlockBytes * i, blocks[i]);
    const std::size_t sdes = putSdes(reporterSsrc, cname, p + rrBytes, out.size() - rrBytes);
    return sdes == 0 ? 0 : rrBytes + sdes;
}

std::size_t writeGoodbye(std::uint32_t reporterSsrc, std::string_view cname,
                         std::span<std::uint8_t> out) {
    const std::size_t report = writeReceiverReport(reporterSsrc, {}, cname, out);
    constexpr std::size_t kByeBytes = 8;
    if (report == 0 || out.size() - report < kByeBytes)
        return 0;
    std::uint8_t* p = out.data() + report;
    p[0] = 0x80 | 1; // one SSRC, no reason
    p[1] = kRtcpBye;
    put16(p + 2, kByeBytes / 4 - 1);
    put32(p + 4, reporterSsrc);
    return report + kByeBytes;
}

std::optional<RtcpMessage> parseRtcp(std::span<const std::uint8_t> datagram) {
    if (datagram.size() < 8 || datagram.size() % 4 != 0)
        return std::nullopt;
    RtcpMessage message;
    std::size_t offset = 0;
    bool first = true;
    while (offset < datagram.size()) {
        if (datagram.size() - offset < 4)
            return std::nullopt;
        const std::uint8_t* p = datagram.data() + offset;
        if ((p[0] >> 6) != 2)
            return std::nullopt;
        const bool padding = (p[0] & 0x20) != 0;
        const std::size_t count = p[0] & 0x1f;
        const std::uint8_t type = p[1];
        const std::size_t length = (std::size_t{get16(p + 2)} + 1) * 4;
        if (length > datagram.size() - offset)
            return std::nullopt;
        // Padding is only allowed on the last packet of a compound (RFC 3550 A.2).
        if (padding && offset + length != datagram.size())
            return std::nullopt;
        if (first && type != kRtcpSenderReport && type != kRtcpReceiverReport)
            return std::nullopt;
        switch (type) {
        case kRtcpSenderReport: {
            if (length < 28 + kBlockBytes * count || message.senderReport)
                return std::nullopt;
            SenderReport sr;
            sr.ssrc = get32(p + 4);
            sr.ntpTimestamp = (std::uint64_t{get32(p + 8)} << 32) | get32(p + 12);
            sr.rtpTimestamp = get32(p + 16);
            sr.packetCount = get32(p + 20);
            sr.octetCount = get32(p + 24);
            message.senderReport = sr;
            message.reporterSsrc = sr.ssrc;
            for (std::size_t i = 0; i < count; ++i)
                message.blocks.push_back(getBlock(p + 28 + kBlockBytes * i));
            break;
        }
        case kRtcpReceiverReport: {
            if (length < 8 + kBlockBytes * count)
                return std::nullopt;
            message.reporterSsrc = get32(p + 4);
            for (std::size_t i = 0; i < count; ++i)
                message.blocks.push_back(getBlock(p + 8 + kBlockBytes * i));
            break;
        }
        case kRtcpBye: {
            if (length < 4 + 4 * count)
                return std::nullopt;
            for (std::size_t i = 0; i < count; ++i)
                message.byeSsrcs.push_back(get32(p + 4 + 4 * i));
            break;
        }
        default:
            break; // SDES, APP and later types: length-checked above, contents unused
        }
        first = false;
        offset += length;
    }
    return message;
}

std::uint64_t ntpNow() {
    using namespace std::chrono;
    constexpr std::uint64_t kUnixToNtp = 2208988800ull; // seconds from 1900 to 1970
    const auto since = system_clock::now().time_since_epoch();
    const auto secs = duration_cast<seconds>(since);
    const auto nanos = duration_cast<nanoseconds>(since - secs).count();
    const std::uint64_t fraction = (static_cast<std::uint64_t>(nanos) << 32) / 1'000'000'000ull;
    return ((static_cast<std::uint64_t>(secs.count()) + kUnixToNtp) << 32) | fraction;
}

} // namespace dragoman::stream

#include "stream/RtpPacket.h"

#include "stream/BigEndian.h"

#include <cstring>

namespace dragoman::stream {

namespace {

using namespace bigendian;

} // namespace

std::size_t writeRtpPacket(const RtpHeader& header, std::span<const std::uint8_t> payload,
                           std::span<std::uint8_t> out) {
    const std::size_t size = kRtpHeaderBytes + payload.size();
    if (out.size() < size)
        return 0;
    std::uint8_t* p = out.data();
    p[0] = 0x80; // V=2, P=0, X=0, CC=0
    p[1] = static_cast<std::uint8_t>((header.marker ? 0x80 : 0x00) | (header.payloadType & 0x7f));
    put16(p + 2, header.sequence);
    put32(p + 4, header.timestamp);
    put32(p + 8, header.ssrc);
    if (!payload.empty())
        std::memcpy(p + kRtpHeaderBytes, payload.data(), payload.size());
    return size;
}

std::optional<RtpPacketView> parseRtpPacket(std::span<const std::uint8_t> packet) {
    if (packet.size() < kRtpHeaderBytes)
        return std::nullopt;
    const std::uint8_t* p = packet.data();
    if ((p[0] >> 6) != 2)
        return std::nullopt;
    const bool padding = (p[0] & 0x20) != 0;
    const bool extension = (p[0] & 0x10) != 0;
    const std::size_t csrcCount = p[0] & 0x0f;
    RtpPacketView view;
    view.header.marker = (p[1] & 0x80) != 0;
    view.header.payloadType = p[1] & 0x7f;
    view.header.sequence = get16(p + 2);
    view.header.timestamp = get32(p + 4);
    view.header.ssrc = get32(p + 8);
    std::size_t offset = kRtpHeaderBytes + 4 * csrcCount;
    if (offset > packet.size())
        return std::nullopt;
    if (extension) {
        if (offset + 4 > packet.size())
            return std::nullopt;
        offset += 4 + 4 * std::size_t{get16(p + offset + 2)};
        if (offset > packet.size())
            return std::nullopt;
    }
    std::size_t end = packet.size();
    if (padding) {
        const std::size_t pad = p[end - 1];
        if (pad == 0 || offset + pad > end)
            return std::nullopt;
        end -= pad;
    }
    view.payload = packet.subspan(offset, end - offset);
    return view;
}

} // namespace dragoman::stream

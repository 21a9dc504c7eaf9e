// One RTP packet as the receive path keeps it: the parsed header and a copy of the Opus
// payload, in a fixed-size value that moves through a pre-allocated queue.
//
// Thread contract: a plain value; any thread.
#pragma once

#include "stream/RtpPacket.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace dragoman::receive {

// The largest Opus payload kept (a UDP datagram on an Ethernet MTU); larger ones are dropped.
inline constexpr std::size_t kMaxPayloadBytes = 1500 - stream::kRtpHeaderBytes;

struct ReceivedPacket {
    stream::RtpHeader header;
    std::uint16_t size = 0; // payload bytes
    std::array<std::uint8_t, kMaxPayloadBytes> payload{};
};

} // namespace dragoman::receive

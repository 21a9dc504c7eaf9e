// The SDP (RFC 4566) that tells an RTP player how to receive one channel (RFC 7587 Opus).
// ffmpeg (`-protocol_whitelist file,udp,rtp -i ch.sdp`), VLC and GStreamer open it.
//
// Thread contract: a pure function; any thread; allocates.
#pragma once

#include <cstdint>
#include <string>

namespace dragoman::stream {

struct SdpChannel {
    std::string name;       // session name: "Albanian"
    std::string nativeName; // i=: "Shqip"
    std::string language;   // a=lang: "sq"; left out when empty or "floor"
    double frameMs = 20.0;  // a=ptime
    bool fec = false;       // useinbandfec=1
};

struct SdpDestination {
    std::string address = "127.0.0.1"; // where the RTP goes (c=), IPv4
    std::uint16_t port = 0;            // RTP port (RTCP: port + 1)
    int multicastTtl = 16;             // written as c=IN IP4 ADDR/TTL for multicast addresses
    std::string origin = "127.0.0.1";  // the sender's address, for o=
    std::uint64_t sessionId = 0;       // o= session id (for example the channel's SSRC)
};

std::string makeSdp(const SdpChannel& channel, const SdpDestination& destination);

} // namespace dragoman::stream

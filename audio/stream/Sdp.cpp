#include "stream/Sdp.h"

#include <arpa/inet.h>
#include <cstdio>

namespace dragoman::stream {

namespace {

bool isMulticast(const std::string& address) {
    in_addr a{};
    if (inet_pton(AF_INET, address.c_str(), &a) != 1)
        return false;
    return (ntohl(a.s_addr) >> 28) == 0xe;
}

// "20", "2.5": the shortest decimal form of a frame length.
std::string formatMs(double ms) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", ms);
    return buffer;
}

// SDP text fields end at CR/LF: keep a name from breaking the description.
std::string oneLine(const std::string& text) {
    std::string out;
    for (char c : text)
        out += (c == '\r' || c == '\n') ? ' ' : c;
    return out;
}

} // namespace

std::string makeSdp(const SdpChannel& channel, const SdpDestination& destination) {
    std::string connection = destination.address;
    if (isMulticast(destination.address))
        connection += "/" + std::to_string(destination.multicastTtl);
    std::string fmtp = "a=fmtp:96 sprop-stereo=0; ";
    if (channel.fec)
        fmtp += "useinbandfec=1; ";
    fmtp += "maxplaybackrate=48000";

    std::string sdp;
    sdp += "v=0\r\n";
    sdp +=
        "o=- " + std::to_string(destination.sessionId) + " 1 IN IP4 " + destination.origin + "\r\n";
    sdp += "s=" + (channel.name.empty() ? std::string("Dragoman") : oneLine(channel.name)) + "\r\n";
    if (!channel.nativeName.empty())
        sdp += "i=" + oneLine(channel.nativeName) + "\r\n";
    sdp += "c=IN IP4 " + connection + "\r\n";
    sdp += "t=0 0\r\n";
    sdp += "a=tool:Dragoman\r\n";
    sdp += "a=recvonly\r\n";
    if (!channel.language.empty() && channel.language != "floor")
        sdp += "a=lang:" + oneLine(channel.language) + "\r\n";
    sdp += "m=audio " + std::to_string(destination.port) + " RTP/AVP 96\r\n";
    sdp += "a=rtpmap:96 opus/48000/2\r\n";
    sdp += fmtp + "\r\n";
    sdp += "a=ptime:" + formatMs(channel.frameMs) + "\r\n";
    return sdp;
}

} // namespace dragoman::stream

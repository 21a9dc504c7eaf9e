#include "listeners/RtpSenderJson.h"

namespace dragoman::listeners {

QJsonObject rtpSenderJson(const stream::RtpSenderStats& s) {
    const auto n = [](std::uint64_t v) { return static_cast<qint64>(v); };
    return QJsonObject{
        {"datagramsSent", n(s.datagramsSent)},   {"queueDrops", n(s.queueDrops)},
        {"sendErrors", n(s.sendErrors)},         {"unreachable", n(s.unreachable)},
        {"invalidPackets", n(s.invalidPackets)}, {"rtcpReceived", n(s.rtcpReceived)},
        {"rtcpMalformed", n(s.rtcpMalformed)},   {"rtcpUnmatched", n(s.rtcpUnmatched)},
        {"expiredSubscriptions", n(s.expired)}};
}

} // namespace dragoman::listeners

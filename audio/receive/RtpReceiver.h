// The network side of one tuned channel: a UDP socket pair (RTP on an even port P, RTCP on
// P + 1, as the router's /sdp/CODE.sdp?port=P expects) and a thread that feeds every RTP
// datagram to a ReceiveChannel and sends an RTCP receiver report (RFC 3550) to the router's
// RTCP port every few seconds. The reports renew the router's 60 s subscription and tell it the
// listener's loss and jitter; stop() says goodbye (RTCP BYE), which ends the subscription.
//
// Thread contract: construction, start(), stop() and destruction on the control thread; the
// receiving thread only calls ReceiveChannel::push() and receptionReport(). stats() from any
// thread.
#pragma once

#include "receive/ReceiveChannel.h"
#include "stream/Subscriptions.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <thread>

namespace dragoman::receive {

struct RtpReceiverSettings {
    std::string bindAddress = "0.0.0.0";
    std::uint16_t port = 0;                     // even; 0: a free pair
    std::optional<stream::Endpoint> routerRtcp; // where receiver reports go; none: no reports
    std::chrono::milliseconds reportInterval{5000};
    std::string cname = "dragoman-listener";
};

class RtpReceiver {
public:
    // Binds the sockets; throws std::runtime_error naming the address and the error.
    RtpReceiver(ReceiveChannel& channel, RtpReceiverSettings settings);
    ~RtpReceiver(); // stops
    RtpReceiver(const RtpReceiver&) = delete;
    RtpReceiver& operator=(const RtpReceiver&) = delete;

    void start();
    void stop();

    std::uint16_t rtpPort() const { return port_; }
    std::uint64_t reportsSent() const { return reports_.load(std::memory_order_relaxed); }
    std::uint64_t senderReports() const { return senderReports_.load(std::memory_order_relaxed); }
    // Seconds since the last RTP datagram (or since start when none came).
    double secondsSinceLastPacket() const;

private:
    void run();
    void sendReport();
    bool sendToRouter(std::span<const std::uint8_t> packet); // false: none configured, or failed

    ReceiveChannel& channel_;
    RtpReceiverSettings settings_;
    int rtp_ = -1;
    int rtcp_ = -1;
    std::uint16_t port_ = 0;
    std::uint32_t ssrc_ = 0; // ours, for the reports
    std::chrono::steady_clock::time_point epoch_;
    std::atomic<std::int64_t> lastPacketNs_{0};
    std::atomic<bool> running_{false};
    std::atomic<std::uint64_t> reports_{0}, senderReports_{0};
    std::thread thread_;
};

} // namespace dragoman::receive

// RTP distribution of the language channels (RFC 3550, RFC 7587 Opus): one RTP stream per
// channel with its own random SSRC, payload type 96, the 48 kHz clock (timestamp = the
// packet's sample position plus a random offset), one Opus packet per RTP packet and the
// marker bit on the first packet after a discontinuity. Each channel goes to its fixed
// destinations (unicast or multicast, address:port) and to its dynamic subscribers
// (Subscriptions.h). RTCP runs on port + 1: a sender report per channel every ~5 s to every
// destination, and receiver reports from listeners renew their subscriptions and give their
// loss and jitter.
//
// Sockets: one local pair, RTP on an even port P and RTCP on P + 1 (listeners send their
// receiver reports to P + 1). IPv4.
//
// Thread contract:
// - onPacket(): the encoder thread (one producer); wait-free apart from one eventfd write that
//   never blocks. A full queue drops the packet and counts it.
// - everything else: any control thread (thread-safe), never the audio thread.
// - the sending, RTCP and expiry happen on the sender's own thread, started by start().
#pragma once

#include "core/SpscQueue.h"
#include "stream/EncodedPacket.h"
#include "stream/Sdp.h"
#include "stream/Subscriptions.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dragoman::stream {

struct RtpSenderConfig {
    int channels = 1;                // venue channel count: indices 0 .. channels - 1
    std::size_t queueCapacity = 512; // packets between the encoder and the sender thread
    std::string bindAddress = "0.0.0.0";
    std::uint16_t rtpPort = 0; // local RTP port (even; RTCP = +1); 0: a free pair
    int multicastTtl = 16;
    std::string multicastInterface; // IPv4 address of the multicast interface; "" = routing
    std::chrono::milliseconds senderReportInterval{5000};
    std::chrono::milliseconds subscriptionExpiry{60000};
    std::string cname = "dragoman"; // RTCP CNAME prefix ("<cname>-<channel>")
};

struct RtpChannelStats {
    int channel = 0;
    std::uint32_t ssrc = 0;
    std::uint64_t packets = 0;
    std::uint64_t octets = 0; // payload octets
    std::uint64_t senderReports = 0;
    std::size_t destinations = 0; // fixed ones
    std::size_t listeners = 0;    // subscribers
};

struct RtpSenderStats {
    std::uint64_t queued = 0;
    std::uint64_t queueDrops = 0;     // the queue was full: packets the encoder could not hand over
    std::uint64_t invalidPackets = 0; // a channel out of range or an empty packet
    std::uint64_t datagramsSent = 0;
    std::uint64_t sendErrors = 0;  // sendto failed (other than ECONNREFUSED)
    std::uint64_t unreachable = 0; // ECONNREFUSED (ICMP port unreachable): nobody listens yet
    std::uint64_t rtcpReceived = 0;
    std::uint64_t rtcpMalformed = 0;
    std::uint64_t rtcpUnmatched = 0; // report blocks matching no subscriber
    std::uint64_t expired = 0;       // subscriptions that timed out
    std::vector<RtpChannelStats> channels;
};

class RtpSender : public PacketSink {
public:
    // Opens the sockets (throws std::runtime_error naming the address and the error).
    explicit RtpSender(RtpSenderConfig config);
    ~RtpSender() override;
    RtpSender(const RtpSender&) = delete;
    RtpSender& operator=(const RtpSender&) = delete;

    void start(); // starts the sender thread
    void stop();  // stops and joins it (also in the destructor); queued packets are dropped

    // Encoder thread; wait-free (see the contract above).
    void onPacket(const EncodedPacket& packet) override;

    // Fixed destinations: unicast or multicast address:port per channel. False when the channel
    // is out of range or the destination is already there.
    bool addDestination(int channel, Endpoint rtp);
    bool removeDestination(int channel, Endpoint rtp);

    // Dynamic listeners (see Subscriptions.h). False for a channel out of range.
    bool subscribe(int channel, Endpoint rtp);
    bool unsubscribe(int channel, Endpoint rtp);
    std::size_t listenerCount(int channel) const { return subscriptions_.count(channel); }
    std::vector<ListenerStats> listeners(int channel = -1) const {
        return subscriptions_.listeners(channel);
    }

    RtpSenderStats stats() const;
    std::uint32_t ssrc(int channel) const;
    std::uint16_t rtpPort() const { return rtpPort_; }
    std::uint16_t rtcpPort() const { return static_cast<std::uint16_t>(rtpPort_ + 1); }
    const RtpSenderConfig& config() const { return config_; }

    // The SDP for `channel` sent to `destination` (the multicast TTL is the configured one).
    std::string sdp(int channel, const SdpChannel& description, Endpoint destination,
                    const std::string& origin = "127.0.0.1") const;

private:
    struct ChannelState;
    struct Socket {
        int fd = -1;
        Socket() = default;
        explicit Socket(int f)
            : fd(f) {}
        Socket(Socket&& o) noexcept
            : fd(o.fd) {
            o.fd = -1;
        }
        Socket& operator=(Socket&& o) noexcept;
        ~Socket();
    };

    void run();
    void sendPacket(const EncodedPacket& packet);
    void sendSenderReports(std::chrono::steady_clock::time_point now, bool force);
    void receiveRtcp();
    void destinationsOf(int channel, std::vector<Endpoint>& out);
    bool sendTo(int fd, const std::uint8_t* data, std::size_t size, Endpoint to);
    void sendToAll(int fd, const std::uint8_t* data, std::size_t size,
                   const std::vector<Endpoint>& to);
    bool validChannel(int channel) const { return channel >= 0 && channel < config_.channels; }

    RtpSenderConfig config_;
    Subscriptions subscriptions_;
    Socket rtp_;
    Socket rtcp_;
    Socket wake_; // eventfd: the encoder wakes the sender thread
    std::uint16_t rtpPort_ = 0;
    std::vector<std::unique_ptr<ChannelState>> channels_;

    mutable std::mutex destinationsMutex_;
    std::vector<std::vector<Endpoint>> fixed_; // per channel

    core::SpscQueue<EncodedPacket> queue_;
    std::atomic<bool> running_{false};
    std::thread thread_;

    std::atomic<std::uint64_t> queued_{0}, queueDrops_{0}, invalid_{0}, datagrams_{0},
        sendErrors_{0}, unreachable_{0}, rtcpReceived_{0}, rtcpMalformed_{0}, rtcpUnmatched_{0},
        expired_{0};

    // Sender-thread scratch space, sized once.
    std::vector<Endpoint> scratchFixed_;
    std::vector<Endpoint> scratchSubs_;
    std::vector<Endpoint> scratchAll_;
};

} // namespace dragoman::stream

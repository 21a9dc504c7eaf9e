// Dynamic RTP listeners: who asked for which channel, until when, and how they hear it.
//
// A subscriber receives one channel's RTP at an IPv4 address and port. A subscription expires
// after `expiry` (60 s by default) unless renewed by another subscribe() or by an RTCP
// receiver report from the subscriber's RTCP port (its RTP port + 1). Delivery errors
// (ICMP port unreachable while a player starts) never remove a subscriber: only expiry and
// unsubscribe() do.
//
// Thread contract: every member is thread-safe (one mutex, held briefly); called from the
// control thread (subscribe, stats) and the RTP sender's thread (endpoints, reports, expiry).
// Never called from the audio thread.
#pragma once

#include "stream/Rtcp.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dragoman::stream {

// An IPv4 address (host byte order) and a UDP port.
struct Endpoint {
    std::uint32_t address = 0;
    std::uint16_t port = 0;

    bool operator==(const Endpoint&) const = default;

    // "a.b.c.d" (dotted quad only: no name lookup) and a port; nullopt when it is not one.
    static std::optional<Endpoint> parse(std::string_view address, std::uint16_t port);
    std::string addressText() const; // "a.b.c.d"
    std::string toString() const;    // "a.b.c.d:port"
    bool isMulticast() const { return (address >> 28) == 0xe; }
};

struct ListenerStats {
    using Clock = std::chrono::steady_clock;

    int channel = 0;
    Endpoint rtp;                 // where its RTP goes (RTCP goes to port + 1)
    Clock::time_point subscribed; // first subscribe
    Clock::time_point lastSeen;   // last subscribe or RTCP report
    Clock::time_point expires;
    std::uint32_t reports = 0; // RTCP report blocks received about this channel
    double fractionLost = 0.0; // 0..1, from the last report
    std::int32_t cumulativeLost = 0;
    double jitterMs = 0.0; // interarrival jitter from the last report
    std::uint32_t highestSequence = 0;
};

class Subscriptions {
public:
    using Clock = std::chrono::steady_clock;

    explicit Subscriptions(Clock::duration expiry = std::chrono::seconds(60));

    Clock::duration expiry() const { return expiry_; }

    // Adds a subscriber or renews it. Returns true when it is new.
    bool subscribe(int channel, Endpoint rtp, Clock::time_point now = Clock::now());
    // Removes a subscriber; false when there was none.
    bool unsubscribe(int channel, Endpoint rtp);

    // An RTCP report block about `channel`'s stream, received from `rtcpSource`: renews the
    // subscription at (address, port - 1) and records its loss and jitter. False when no
    // subscriber matches.
    bool applyReport(int channel, Endpoint rtcpSource, const ReportBlock& block,
                     Clock::time_point now = Clock::now());

    // Removes every subscription whose time is up; returns how many.
    std::size_t expire(Clock::time_point now = Clock::now());

    std::size_t count(int channel) const;
    std::size_t total() const;
    // Every listener (of one channel, or of all when channel < 0).
    std::vector<ListenerStats> listeners(int channel = -1) const;

    // Copies `channel`'s RTP endpoints into `out` (cleared first; reuses its capacity).
    void endpoints(int channel, std::vector<Endpoint>& out) const;

private:
    std::vector<ListenerStats>* channelList(int channel);
    const std::vector<ListenerStats>* channelList(int channel) const;

    Clock::duration expiry_;
    mutable std::mutex mutex_;
    std::vector<std::vector<ListenerStats>> byChannel_; // indexed by channel
};

} // namespace dragoman::stream

// RTP distribution: packet formats, sender reports, subscriptions and their expiry, receiver
// reports, all against real UDP sockets on loopback.
#include "RtpTestSupport.h"
#include "stream/Rtcp.h"
#include "stream/RtpPacket.h"
#include "stream/RtpSender.h"
#include "stream/Sdp.h"
#include "stream/Subscriptions.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace dragoman;
using namespace dragoman::stream;
using namespace std::chrono_literals;
using dragoman::test::SinePackets;
using dragoman::test::UdpSocket;

namespace {

RtpSenderConfig smallConfig(int channels = 2) {
    RtpSenderConfig c;
    c.channels = channels;
    c.bindAddress = "127.0.0.1";
    return c;
}

template <typename Predicate>
bool waitFor(Predicate done, std::chrono::milliseconds timeout = 2000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done())
            return true;
        std::this_thread::sleep_for(5ms);
    }
    return done();
}

// Reads RTP packets of `ssrc` from `socket` until `count` arrived or a second passes quietly.
std::vector<std::vector<std::uint8_t>> receiveRtp(UdpSocket& socket, std::size_t count) {
    std::vector<std::vector<std::uint8_t>> packets;
    while (packets.size() < count) {
        auto d = socket.receive(1000ms);
        if (!d)
            break;
        const auto view = parseRtpPacket(*d);
        if (view && view->header.payloadType == kOpusPayloadType)
            packets.push_back(std::move(*d));
    }
    return packets;
}

} // namespace

TEST_CASE("RTP headers round-trip and malformed packets are refused", "[rtp]") {
    const std::array<std::uint8_t, 3> payload{1, 2, 3};
    std::array<std::uint8_t, 64> buffer{};
    const RtpHeader header{true, 96, 65535, 0xdeadbeef, 0x01020304};
    const auto size = writeRtpPacket(header, payload, buffer);
    REQUIRE(size == 15);
    CHECK(buffer[0] == 0x80);
    CHECK(buffer[1] == (0x80 | 96));
    const auto view = parseRtpPacket({buffer.data(), size});
    REQUIRE(view);
    CHECK(view->header == header);
    CHECK(std::vector<std::uint8_t>(view->payload.begin(), view->payload.end()) ==
          std::vector<std::uint8_t>{1, 2, 3});
    CHECK(writeRtpPacket(header, payload, std::span(buffer).first(14)) == 0);

    struct Case {
        const char* what;
        std::vector<std::uint8_t> bytes;
    };
    const std::vector<Case> bad{
        {"too short", {0x80, 96, 0, 1}},
        {"version 1", {0x40, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}},
        {"CSRCs beyond the end", {0x83, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}},
        {"padding beyond the end", {0xa0, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 40}},
    };
    for (const auto& c : bad) {
        INFO(c.what);
        CHECK_FALSE(parseRtpPacket(c.bytes));
    }
}

TEST_CASE("RTCP sender and receiver reports and goodbyes round-trip and malformed compounds are "
          "refused",
          "[rtp][rtcp]") {
    std::array<std::uint8_t, 512> buffer{};
    const SenderReport sr{0x11223344, 0xe1234567'89abcdefull, 123456, 1000, 64000};
    const auto srSize = writeSenderReport(sr, "dragoman-1", buffer);
    REQUIRE(srSize > 28);
    REQUIRE(srSize % 4 == 0);
    const auto parsedSr = parseRtcp({buffer.data(), srSize});
    REQUIRE(parsedSr);
    REQUIRE(parsedSr->senderReport);
    CHECK(*parsedSr->senderReport == sr);
    CHECK(parsedSr->blocks.empty());

    const std::vector<ReportBlock> blocks{{0x11223344, 64, -3, 70000, 480, 0x12345678, 65536},
                                          {0x55667788, 0, 1000, 5, 0, 0, 0}};
    const auto rrSize = writeReceiverReport(0xabcdef01, blocks, "listener", buffer);
    REQUIRE(rrSize > 0);
    const auto rr = parseRtcp({buffer.data(), rrSize});
    REQUIRE(rr);
    CHECK_FALSE(rr->senderReport);
    CHECK(rr->reporterSsrc == 0xabcdef01);
    CHECK(rr->blocks == blocks);

    std::array<std::uint8_t, 128> byeBuffer{};
    const auto byeSize = writeGoodbye(0xabcdef02, "listener", byeBuffer);
    REQUIRE(byeSize > 0);
    const auto bye = parseRtcp({byeBuffer.data(), byeSize});
    REQUIRE(bye);
    CHECK(bye->reporterSsrc == 0xabcdef02);
    CHECK(bye->blocks.empty());
    CHECK(bye->byeSsrcs == std::vector<std::uint32_t>{0xabcdef02});
    CHECK(writeGoodbye(1, "listener", std::span(byeBuffer).first(byeSize - 4)) == 0);

    std::vector<std::uint8_t> good(buffer.begin(), buffer.begin() + static_cast<long>(rrSize));
    struct Case {
        const char* what;
        std::vector<std::uint8_t> bytes;
    };
    std::vector<Case> bad{
        {"empty", {}},
        {"not a multiple of 4", {0x80, 201, 0, 1, 0, 0, 0, 0, 0}},
        {"version 0", {0x00, 201, 0, 1, 0, 0, 0, 0}},
        {"starts with SDES", {0x81, 202, 0, 1, 0, 0, 0, 0}},
        {"length beyond the datagram", {0x80, 201, 0, 9, 0, 0, 0, 0}},
        {"report count beyond the length", {0x81, 201, 0, 1, 0, 0, 0, 0}},
        {"trailing garbage", good},
        {"truncated", std::vector<std::uint8_t>(good.begin(), good.end() - 4)},
    };
    bad[6].bytes.insert(bad[6].bytes.end(), {0x12, 0x34, 0x56, 0x78});
    for (const auto& c : bad) {
        INFO(c.what);
        CHECK_FALSE(parseRtcp(c.bytes));
    }
}

TEST_CASE("SDP describes the channel for RTP players (RFC 4566, RFC 7587)", "[rtp][sdp]") {
    SdpChannel channel{"Albanian", "Shqip", "sq", 20.0, true};
    SdpDestination unicast{"127.0.0.1", 5004, 16, "127.0.0.1", 42};
    const auto sdp = makeSdp(channel, unicast);
    for (const char* line :
         {"v=0\r\n", "o=- 42 1 IN IP4 127.0.0.1\r\n", "s=Albanian\r\n", "i=Shqip\r\n",
          "c=IN IP4 127.0.0.1\r\n", "t=0 0\r\n", "a=recvonly\r\n", "a=lang:sq\r\n",
          "m=audio 5004 RTP/AVP 96\r\n", "a=rtpmap:96 opus/48000/2\r\n",
          "a=fmtp:96 sprop-stereo=0; useinbandfec=1; maxplaybackrate=48000\r\n",
          "a=ptime:20\r\n"}) {
        INFO(line);
        CHECK(sdp.find(line) != std::string::npos);
    }

    channel.fec = false;
    channel.frameMs = 2.5;
    SdpDestination multicast{"239.1.2.3", 6000, 4, "10.0.0.1", 1};
    const auto m = makeSdp(channel, multicast);
    CHECK(m.find("c=IN IP4 239.1.2.3/4\r\n") != std::string::npos);
    CHECK(m.find("a=fmtp:96 sprop-stereo=0; maxplaybackrate=48000\r\n") != std::string::npos);
    CHECK(m.find("a=ptime:2.5\r\n") != std::string::npos);

    const auto floor = makeSdp({"Floor", "", "floor", 20.0, false}, unicast);
    CHECK(floor.find("a=lang:") == std::string::npos);
}

TEST_CASE("Each channel is one RTP stream: own SSRC, PT 96, 48 kHz timestamps, sequence, "
          "marker after a discontinuity",
          "[rtp]") {
    RtpSender sender(smallConfig(2));
    UdpSocket a;
    UdpSocket b;
    REQUIRE(sender.addDestination(0, a.endpoint()));
    REQUIRE(sender.addDestination(1, b.endpoint()));
    CHECK_FALSE(sender.addDestination(1, b.endpoint()));
    CHECK_FALSE(sender.addDestination(2, b.endpoint()));
    CHECK(sender.ssrc(0) != sender.ssrc(1));
    sender.start();

    SinePackets ch0(0, 1000.0, -12.0);
    SinePackets ch1(1, 440.0, -12.0);
    std::vector<EncodedPacket> sent;
    for (int i = 0; i < 10; ++i) {
        if (i == 6) {
            ch0.skip(960 * 3);
        }
        auto p = ch0.next();
        p.discontinuity = (i == 6);
        sent.push_back(p);
        sender.onPacket(p);
        sender.onPacket(ch1.next());
    }
    const auto got = receiveRtp(a, 10);
    REQUIRE(got.size() == 10);
    const auto first = parseRtpPacket(got[0]);
    REQUIRE(first);
    for (std::size_t i = 0; i < got.size(); ++i) {
        const auto v = parseRtpPacket(got[i]);
        REQUIRE(v);
        INFO("packet " << i);
        CHECK(v->header.payloadType == 96);
        CHECK(v->header.ssrc == sender.ssrc(0));
        CHECK(v->header.sequence == static_cast<std::uint16_t>(first->header.sequence + i));
        CHECK(v->header.timestamp ==
              first->header.timestamp + static_cast<std::uint32_t>(sent[i].position));
        CHECK(v->header.marker == (i == 0 || i == 6));
        CHECK(std::equal(v->payload.begin(), v->payload.end(), sent[i].data.begin()));
        CHECK(v->payload.size() == sent[i].bytes);
    }
    const auto other = receiveRtp(b, 10);
    REQUIRE(other.size() == 10);
    CHECK(parseRtpPacket(other[0])->header.ssrc == sender.ssrc(1));

    const auto stats = sender.stats();
    CHECK(stats.queueDrops == 0);
    CHECK(stats.channels[0].packets == 10);
    CHECK(stats.channels[0].destinations == 1);
    CHECK(stats.channels[0].listeners == 0);
}

TEST_CASE("A full queue drops and counts, never blocking the encoder", "[rtp]") {
    auto config = smallConfig(1);
    config.queueCapacity = 8;
    RtpSender sender(config); // not started: nothing drains the queue
    SinePackets ch0(0, 1000.0, -12.0);
    const auto p = ch0.next();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 100; ++i)
        sender.onPacket(p);
    CHECK(std::chrono::steady_clock::now() - start < 100ms);
    const auto stats = sender.stats();
    CHECK(stats.queued >= 8);
    CHECK(stats.queueDrops == 100 - stats.queued);
    CHECK(stats.queueDrops > 0);
}

TEST_CASE("Sender reports on port + 1 carry the NTP and RTP clocks and the counts", "[rtp][rtcp]") {
    auto config = smallConfig(1);
    config.senderReportInterval = 200ms;
    RtpSender sender(config);
    auto player = test::bindPortPair();
    sender.addDestination(0, player.rtp->endpoint());
    sender.start();

    SinePackets ch0(0, 1000.0, -12.0);
    std::uint64_t octets = 0;
    for (int i = 0; i < 25; ++i) {
        const auto p = ch0.next();
        octets += p.bytes;
        sender.onPacket(p);
    }
    const auto rtp = receiveRtp(*player.rtp, 25);
    REQUIRE(rtp.size() == 25);
    const auto last = parseRtpPacket(rtp.back());

    // The first report follows the first packet; wait for one that counts all 25.
    std::optional<SenderReport> report;
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto d = player.rtcp->receive(500ms);
        if (!d)
            continue;
        const auto message = parseRtcp(*d);
        REQUIRE(message);
        REQUIRE(message->senderReport);
        if (message->senderReport->packetCount == 25) {
            report = message->senderReport;
            break;
        }
    }
    REQUIRE(report);
    const auto ntpNowValue = ntpNow();
    CHECK(report->ssrc == sender.ssrc(0));
    CHECK(report->octetCount == octets);
    // The SR's NTP time is "now" to within a second; its RTP time is the last packet's
    // timestamp moved on by the wall time since (here < 1 s = 48000 ticks).
    const auto ntpDiff = static_cast<std::int64_t>(ntpNowValue - report->ntpTimestamp);
    CHECK(ntpDiff >= 0);
    CHECK(ntpDiff < (std::int64_t{1} << 32));
    const auto rtpAhead = report->rtpTimestamp - last->header.timestamp;
    CHECK(rtpAhead < 48000u);
    CHECK(sender.stats().channels[0].senderReports >= 1);
}

TEST_CASE("Receiver reports renew a subscriber and give its loss and jitter, and malformed RTCP is "
          "counted and ignored",
          "[rtp][rtcp][subscriptions]") {
    RtpSender sender(smallConfig(2));
    auto player = test::bindPortPair();
    REQUIRE(sender.subscribe(1, player.rtp->endpoint()));
    CHECK(sender.listenerCount(1) == 1);
    CHECK(sender.listenerCount(0) == 0);
    sender.start();

    const Endpoint senderRtcp{0x7f000001u, sender.rtcpPort()};
    player.rtcp->sendTo({0x80, 201, 0, 9, 1, 2, 3, 4}, senderRtcp); // length beyond the end
    player.rtcp->sendTo({0x12, 0x34}, senderRtcp);
    REQUIRE(waitFor([&] { return sender.stats().rtcpMalformed == 2; }));

    std::array<std::uint8_t, 256> buffer{};
    const ReportBlock block{sender.ssrc(1), 64, 7, 1234, 480, 0, 0};
    const auto size = writeReceiverReport(0x5eed, std::span(&block, 1), "player", buffer);
    player.rtcp->sendTo({buffer.begin(), buffer.begin() + static_cast<long>(size)}, senderRtcp);
    REQUIRE(waitFor([&] {
        const auto l = sender.listeners(1);
        return l.size() == 1 && l[0].reports == 1;
    }));
    const auto listener = sender.listeners(1).at(0);
    CHECK(listener.rtp == player.rtp->endpoint());
    CHECK(listener.fractionLost == Approx(0.25));
    CHECK(listener.cumulativeLost == 7);
    CHECK(listener.jitterMs == Approx(10.0));
    CHECK(listener.highestSequence == 1234);

    // A report about another stream, or from a port that is no subscriber's, matches nothing.
    const ReportBlock stranger{0x0badf00d, 0, 0, 0, 0, 0, 0};
    const auto n = writeReceiverReport(0x5eed, std::span(&stranger, 1), "player", buffer);
    player.rtcp->sendTo({buffer.begin(), buffer.begin() + static_cast<long>(n)}, senderRtcp);
    REQUIRE(waitFor([&] { return sender.stats().rtcpUnmatched == 1; }));
    CHECK(sender.stats().rtcpMalformed == 2);
    CHECK(sender.listenerCount(1) == 1);
}

TEST_CASE("A subscriber that stops renewing expires, one that sends receiver reports stays",
          "[rtp][subscriptions]") {
    auto config = smallConfig(1);
    config.subscriptionExpiry = 500ms;
    RtpSender sender(config);
    auto quiet = test::bindPortPair();
    auto reporting = test::bindPortPair();
    sender.subscribe(0, quiet.rtp->endpoint());
    sender.subscribe(0, reporting.rtp->endpoint());
    REQUIRE(sender.listenerCount(0) == 2);
    sender.start();

    const Endpoint senderRtcp{0x7f000001u, sender.rtcpPort()};
    std::array<std::uint8_t, 256> buffer{};
    const ReportBlock block{sender.ssrc(0), 0, 0, 0, 0, 0, 0};
    const auto size = writeReceiverReport(0x77, std::span(&block, 1), "player", buffer);
    const std::vector<std::uint8_t> rr(buffer.begin(), buffer.begin() + static_cast<long>(size));
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < 1100ms) {
        reporting.rtcp->sendTo(rr, senderRtcp);
        std::this_thread::sleep_for(100ms);
    }
    const auto listeners = sender.listeners(0);
    REQUIRE(listeners.size() == 1);
    CHECK(listeners[0].rtp == reporting.rtp->endpoint());
    CHECK(listeners[0].reports >= 5);
    CHECK(sender.stats().expired == 1);

    // subscribe() renews too.
    Subscriptions table(std::chrono::seconds(60));
    const auto t0 = Subscriptions::Clock::now();
    const Endpoint e{0x7f000001u, 4000};
    CHECK(table.subscribe(3, e, t0));
    CHECK_FALSE(table.subscribe(3, e, t0 + 50s));
    CHECK(table.expire(t0 + 100s) == 0);
    CHECK(table.expire(t0 + 111s) == 1);
    CHECK(table.count(3) == 0);
}

TEST_CASE("ICMP port unreachable while a player starts never drops its subscription",
          "[rtp][subscriptions]") {
    RtpSender sender(smallConfig(1));
    const auto port = test::freePortPair(); // nothing listens there yet
    const Endpoint player{0x7f000001u, port};
    REQUIRE(sender.subscribe(0, player));
    sender.start();
    SinePackets ch0(0, 1000.0, -12.0);
    for (int i = 0; i < 20; ++i) {
        sender.onPacket(ch0.next());
        std::this_thread::sleep_for(2ms);
    }
    REQUIRE(waitFor([&] { return sender.stats().channels[0].packets == 20; }));
    CHECK(sender.listenerCount(0) == 1);

    UdpSocket started(port); // the player is up now
    REQUIRE(started.ok());
    for (int i = 0; i < 10; ++i)
        sender.onPacket(ch0.next());
    CHECK(receiveRtp(started, 10).size() == 10);
    CHECK(sender.listenerCount(0) == 1);
    CHECK(sender.stats().sendErrors == 0);
}

TEST_CASE("500 subscribed receivers on loopback each get every packet of their channel",
          "[rtp][subscriptions][load]") {
    constexpr int kReceivers = 500;
    constexpr int kPackets = 100;
    RtpSender sender(smallConfig(2));
    std::vector<std::unique_ptr<UdpSocket>> receivers;
    for (int i = 0; i < kReceivers; ++i) {
        receivers.push_back(std::make_unique<UdpSocket>());
        REQUIRE(receivers.back()->ok());
        REQUIRE(sender.subscribe(i % 2, receivers.back()->endpoint()));
    }
    CHECK(sender.listenerCount(0) == kReceivers / 2);
    CHECK(sender.listenerCount(1) == kReceivers / 2);
    sender.start();

    SinePackets ch0(0, 1000.0, -12.0);
    SinePackets ch1(1, 440.0, -12.0);
    for (int i = 0; i < kPackets; ++i) {
        sender.onPacket(ch0.next());
        sender.onPacket(ch1.next());
    }

    std::vector<int> counts(kReceivers, 0);
    std::vector<int> wrong(kReceivers, 0);
    std::vector<pollfd> fds;
    for (const auto& r : receivers)
        fds.push_back({r->fd(), POLLIN, 0});
    std::array<std::uint8_t, 2048> buffer{};
    int complete = 0;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (complete < kReceivers && std::chrono::steady_clock::now() < deadline) {
        if (::poll(fds.data(), fds.size(), 200) <= 0)
            continue;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if ((fds[i].revents & POLLIN) == 0)
                continue;
            for (;;) {
                const auto n = ::recv(fds[i].fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
                if (n <= 0)
                    break;
                const auto v = parseRtpPacket({buffer.data(), static_cast<std::size_t>(n)});
                if (!v || v->header.payloadType != kOpusPayloadType)
                    continue; // an RTCP report meant for a neighbour's port + 1
                if (v->header.ssrc != sender.ssrc(static_cast<int>(i % 2)))
                    ++wrong[i];
                else if (++counts[i] == kPackets)
                    ++complete;
            }
        }
    }
    CHECK(complete == kReceivers);
    CHECK(std::count(wrong.begin(), wrong.end(), 0) == kReceivers);
    const auto stats = sender.stats();
    CHECK(stats.queueDrops == 0);
    CHECK(stats.sendErrors == 0);
}

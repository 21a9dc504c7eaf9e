// The network side against the router's own RTP sender, in one process on loopback: the
// receiver hears the subscribed channel and its RTCP receiver reports renew the subscription
// and tell the sender the listener's loss and jitter, as /sdp/CODE.sdp?port=N promises; its
// goodbye ends the subscription.
#include "receive/RtpReceiver.h"

#include "ReceiveSim.h"
#include "stream/RtpSender.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace dragoman;
using namespace std::chrono_literals;

TEST_CASE(
    "The receiver plays what the router's sender sends it, renews its subscription by RTCP and "
    "ends it when it leaves",
    "[receive][rtp]") {
    stream::RtpSenderConfig config;
    config.channels = 2;
    config.bindAddress = "127.0.0.1";
    config.subscriptionExpiry = 2s;
    stream::RtpSender sender(config);
    sender.start();

    receive::ReceiveChannel channel;
    receive::RtpReceiverSettings settings;
    settings.bindAddress = "127.0.0.1";
    settings.routerRtcp = stream::Endpoint::parse("127.0.0.1", sender.rtcpPort());
    settings.reportInterval = 200ms;
    receive::RtpReceiver receiver(channel, settings);
    receiver.start();
    REQUIRE(receiver.rtpPort() % 2 == 0);
    REQUIRE(sender.subscribe(1, *stream::Endpoint::parse("127.0.0.1", receiver.rtpPort())));

    // 4 s of channel 1 in real time: twice the subscription's life.
    const test::ToneSource tone(test::lowDelayProfile());
    std::vector<float> out(240);
    const auto start = std::chrono::steady_clock::now();
    for (std::uint64_t k = 0; k < 4 * 400; ++k) {
        stream::EncodedPacket packet;
        packet.channel = 1;
        packet.position = k * 120;
        packet.durationSamples = 120;
        const auto& payload = tone.packet(k);
        packet.bytes = static_cast<std::uint16_t>(payload.size());
        std::copy(payload.begin(), payload.end(), packet.data.begin());
        sender.onPacket(packet);
        std::this_thread::sleep_until(start + std::chrono::microseconds(2500 * (k + 1)));
        if (k % 2 == 1)
            channel.render(out.data(), out.size()); // the device keeps pace
    }
    const auto listeners = sender.listeners(1);
    REQUIRE(listeners.size() == 1); // still subscribed after twice its expiry
    CHECK(listeners[0].reports > 5);
    CHECK(listeners[0].cumulativeLost == 0);
    CHECK(receiver.reportsSent() > 5);
    CHECK(channel.stats().datagrams > 1000);
    CHECK(channel.stats().playing);

    // Leaving says goodbye: the sender stops sending there at once, not at expiry.
    receiver.stop();
    const auto left = std::chrono::steady_clock::now();
    while (!sender.listeners(1).empty() && std::chrono::steady_clock::now() - left < 1s)
        std::this_thread::sleep_for(5ms);
    CHECK(sender.listeners(1).empty());
    sender.stop();
}

// The receive path's audio side never allocates: every block rendered through the Player, with
// packets lost and duplicated, volume changes and a channel switch on the way, runs inside an
// rt::AudioThreadScope while the program's allocation functions count.
#include "ReceiveSim.h"
#include "receive/Player.h"
#include "rt/AllocationProbe.h"

#include <catch2/catch.hpp>

using namespace dragoman;

TEST_CASE("Rendering never allocates on the audio thread", "[receive][realtime]") {
    REQUIRE(rt::hooksInstalled());
    const test::ToneSource lowDelay(test::lowDelayProfile());
    const test::ToneSource speech(test::speechProfile());
    receive::ReceiveChannel a, b;
    receive::Player player(2, 4096);
    REQUIRE(player.tune(&a) == nullptr);

    // Packets arrive on the test thread (5 % lost, 2 % duplicated); blocks render inside the
    // audio-thread scope.
    const double lossRate = 0.05, duplicateRate = 0.02;
    std::vector<float> left(128), right(128);
    float* outs[2] = {left.data(), right.data()};
    std::mt19937 random(5);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto datagram = [](const test::ToneSource& s, std::uint64_t k, std::uint32_t ssrc) {
        stream::RtpHeader h;
        h.sequence = static_cast<std::uint16_t>(k);
        h.timestamp = static_cast<std::uint32_t>(k * static_cast<std::uint64_t>(s.frameSamples()));
        h.ssrc = ssrc;
        const auto& p = s.packet(k);
        std::vector<std::uint8_t> d(stream::kRtpHeaderBytes + p.size());
        stream::writeRtpPacket(h, p, d);
        return d;
    };
    const std::uint64_t before = rt::audioThreadAllocations();
    std::uint64_t ka = 0, kb = 0;
    for (int block = 0; block < 48000 * 6 / 128; ++block) {
        const double t = block * 128.0;
        while (static_cast<double>(ka) * lowDelay.frameSamples() <= t) {
            if (unit(random) > lossRate)
                a.push(datagram(lowDelay, ka, 1), t);
            if (unit(random) < duplicateRate)
                a.push(datagram(lowDelay, ka, 1), t);
            ++ka;
        }
        if (block == 48000 * 3 / 128)
            REQUIRE(player.tune(&b) == nullptr);
        if (block >= 48000 * 3 / 128) {
            while (static_cast<double>(kb) * speech.frameSamples() <= t - 48000 * 3) {
                if (unit(random) > lossRate)
                    b.push(datagram(speech, kb, 2), t);
                ++kb;
            }
        }
        if (block % 100 == 0)
            player.setVolume(block % 200 == 0 ? 0.5f : 1.0f);
        rt::AudioThreadScope audioThread;
        player.process(nullptr, outs, 128);
    }
    CHECK(rt::audioThreadAllocations() == before);
    CHECK(player.current() == &b);
    CHECK(a.stats().concealedSamples > 0);
}

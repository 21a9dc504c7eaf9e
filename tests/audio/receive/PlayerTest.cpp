#include "receive/Player.h"

#include "ReceiveSim.h"

#include <catch2/catch.hpp>

using namespace dragoman;
using test::ToneSource;

TEST_CASE("Switching channels crossfades with no gap and no click", "[receive][player]") {
    const ToneSource a(test::lowDelayProfile(), 0.3f);
    const ToneSource b(test::speechProfile(), 0.3f);
    receive::ReceiveChannel chA, chB;
    receive::Player player(2, 4096);
    std::vector<float> left(128), right(128);
    float* outs[2] = {left.data(), right.data()};
    // The player renders the channels, so the packets are fed here, each on time.
    struct Feed {
        const ToneSource& source;
        receive::ReceiveChannel& channel;
        std::uint64_t seq = 0;
        void until(double samples, std::uint32_t ssrc) {
            while (static_cast<double>(seq) * source.frameSamples() + 48.0 <= samples) {
                stream::RtpHeader h;
                h.sequence = static_cast<std::uint16_t>(seq);
                h.timestamp = static_cast<std::uint32_t>(
                    seq * static_cast<std::uint64_t>(source.frameSamples()));
                h.ssrc = ssrc;
                const auto& p = source.packet(seq);
                std::vector<std::uint8_t> d(12 + p.size());
                stream::writeRtpPacket(h, p, d);
                channel.push(d, static_cast<double>(seq) * source.frameSamples() + 48.0);
                ++seq;
            }
        }
    };
    Feed feedA{a, chA}, feedB{b, chB};
    REQUIRE(player.tune(&chA) == nullptr);

    double t = 0.0;
    std::vector<float> heard;
    bool switched = false;
    for (int block = 0; block < 48000 * 3 / 128; ++block) {
        feedA.until(t, 1);
        if (t >= 48000.0 * 1.5) {
            if (!switched) {
                REQUIRE(player.tune(&chB) == nullptr);
                switched = true;
            }
            feedB.until(t - 48000.0 * 1.5, 2); // channel B's packets start when we tune
        }
        player.process(nullptr, outs, 128);
        CHECK(left == right);
        heard.insert(heard.end(), left.begin(), left.end());
        t += 128;
    }
    CHECK(player.current() == &chB);
    CHECK(player.collectRetired() == &chA);

    // No gap: after the first sound, no run of near-silence longer than 100 ms (none at all).
    const std::size_t firstSound = static_cast<std::size_t>(
        std::find_if(heard.begin(), heard.end(), [](float x) { return std::abs(x) > 0.01f; }) -
        heard.begin());
    std::size_t longestQuiet = 0, quiet = 0;
    for (std::size_t i = firstSound; i < heard.size(); ++i) {
        // A 480 Hz tone crosses zero every ~1 ms: a quiet run longer than that is a gap.
        quiet = std::abs(heard[i]) < 0.01f ? quiet + 1 : 0;
        longestQuiet = std::max(longestQuiet, quiet);
    }
    CHECK(longestQuiet < 96);
    // No click: no sample-to-sample step larger than the tone's own steepest step (plus slack).
    const double toneStep = 0.3 * 2 * M_PI * 480.0 / 48000.0;
    double worstStep = 0.0;
    std::size_t worstAt = 0;
    for (std::size_t i = firstSound + 1; i < heard.size(); ++i) {
        const double step = std::abs(heard[i] - heard[i - 1]);
        if (step > worstStep) {
            worstStep = step;
            worstAt = i;
        }
    }
    INFO("worst step at " << worstAt / 48.0 << " ms (the switch at 1500 ms), first sound at "
                          << firstSound / 48.0 << " ms");
    CHECK(worstStep < 2.5 * toneStep);
}

TEST_CASE("Volume changes ramp", "[receive][player]") {
    const ToneSource a(test::lowDelayProfile(), 0.3f);
    receive::ReceiveChannel ch;
    receive::Player player(1, 4096);
    REQUIRE(player.tune(&ch) == nullptr);
    std::vector<float> out(128);
    float* outs[1] = {out.data()};
    std::uint64_t seq = 0;
    auto feed = [&](double t) {
        while (static_cast<double>(seq) * 120 <= t) {
            stream::RtpHeader h;
            h.sequence = static_cast<std::uint16_t>(seq);
            h.timestamp = static_cast<std::uint32_t>(seq * 120);
            h.ssrc = 5;
            const auto& p = a.packet(seq);
            std::vector<std::uint8_t> d(12 + p.size());
            stream::writeRtpPacket(h, p, d);
            ch.push(d, static_cast<double>(seq) * 120);
            ++seq;
        }
    };
    double t = 0;
    double loud = 0;
    for (int b = 0; b < 400; ++b, t += 128) {
        feed(t);
        player.process(nullptr, outs, 128);
        loud = test::rms(out.data(), 128);
    }
    player.setVolume(0.25f);
    double worstStep = 0;
    float prev = out.back();
    for (int b = 0; b < 20; ++b, t += 128) {
        feed(t);
        player.process(nullptr, outs, 128);
        for (float x : out) {
            worstStep = std::max(worstStep, static_cast<double>(std::abs(x - prev)));
            prev = x;
        }
    }
    CHECK(test::rms(out.data(), 128) == Approx(loud * 0.25).epsilon(0.1));
    CHECK(worstStep < 0.3 * 2 * M_PI * 480.0 / 48000.0 * 1.5);
}

#include "ReceiveSim.h"

#include <catch2/catch.hpp>

using namespace dragoman;
using test::LinkModel;
using test::SimLink;
using test::ToneSource;

namespace {

// Mean buffer (the receive path's latency, ms) over a stretch of simulated time.
double meanBufferMs(SimLink& link, const receive::ReceiveChannel& channel, double seconds) {
    double sum = 0.0;
    int n = 0;
    link.run(seconds, [&](const float*, std::size_t) {
        sum += channel.stats().bufferMs;
        ++n;
    });
    return sum / n;
}

} // namespace

TEST_CASE("A clean link plays the tone with nothing concealed and a small buffer",
          "[receive][channel]") {
    struct Case {
        const char* profile;
        venue::OpusSettings settings;
    };
    for (const auto& c : {Case{"lowdelay 2.5 ms", test::lowDelayProfile()},
                          Case{"speech 20 ms", test::speechProfile()}}) {
        SECTION(c.profile) {
            const ToneSource source(c.settings);
            receive::ReceiveChannel channel;
            SimLink link(source, LinkModel{}, channel);
            double worstStep = 0.0;
            float previous = 0.0f;
            double at = 0.0, worstAt = 0.0;
            link.run(1.0, [&](const float* x, std::size_t n) {
                for (std::size_t i = 0; i < n; ++i, ++at) {
                    if (std::abs(x[i] - previous) > worstStep)
                        worstStep = std::abs(x[i] - previous), worstAt = at;
                    previous = x[i];
                }
            });
            INFO("worst step " << worstStep << " at " << worstAt / 48.0 << " ms");
            CHECK(worstStep < 2.5 * 0.3 * 2 * M_PI * 480.0 / 48000.0); // no click, from the start
            double level = 0.0;
            link.run(2.0, [&](const float* x, std::size_t n) {
                level = std::max(level, test::rms(x, n));
            });
            const auto s = channel.stats();
            CHECK(s.playing);
            CHECK(s.concealedSamples == 0);
            CHECK(s.lost == 0);
            CHECK(s.underruns == 0);
            CHECK(level == Approx(0.3 / std::sqrt(2.0)).epsilon(0.15));
            // Never more than one packet and one block beyond the safety margin.
            CHECK(s.bufferMs < (source.frameSamples() + 128 + 48 + 48) / 48.0);
        }
    }
}

TEST_CASE("A packet that comes late is waited for and played on without a click",
          "[receive][channel]") {
    struct Case {
        const char* profile;
        venue::OpusSettings settings;
        double stallMs;
    };
    // Stalls of a few milliseconds to tens, at different phases of the tone. SILK (the speech
    // profile is hybrid) conceals in steps of 10 ms: asked for 2.5 ms, it clicked here.
    for (const auto& c : {Case{"lowdelay 2.5 ms, a 10 ms stall", test::lowDelayProfile(), 10.0},
                          Case{"lowdelay 2.5 ms, a 33 ms stall", test::lowDelayProfile(), 33.0},
                          Case{"speech 20 ms, a 13 ms stall", test::speechProfile(), 13.0},
                          Case{"speech 20 ms, a 30 ms stall", test::speechProfile(), 30.0}}) {
        SECTION(c.profile) {
            const ToneSource source(c.settings);
            receive::ReceiveChannel channel;
            LinkModel model;
            model.stallAtS = 2.0 + c.stallMs * 0.0007;
            model.stallMs = c.stallMs;
            SimLink link(source, model, channel);
            link.run(1.5);
            double worstStep = 0.0;
            float previous = 0.0f;
            bool first = true;
            link.run(2.0, [&](const float* x, std::size_t n) {
                for (std::size_t i = 0; i < n; ++i) {
                    if (!first)
                        worstStep =
                            std::max(worstStep, static_cast<double>(std::abs(x[i] - previous)));
                    previous = x[i];
                    first = false;
                }
            });
            const auto s = channel.stats();
            INFO("worst step " << worstStep << ", concealed " << s.concealedSamples
                               << ", compressed " << s.compressedSamples);
            CHECK(s.underruns == 1); // the stall was waited for
            CHECK(s.concealedSamples > 0);
            // A 480 Hz tone at 0.3 moves at most 0.019 a sample; a click is several times that.
            CHECK(worstStep < 2.5 * 0.3 * 2 * M_PI * 480.0 / 48000.0);
        }
    }
}

TEST_CASE("A lost packet is recovered from the next one's FEC when it can be, concealed otherwise",
          "[receive][channel]") {
    struct Case {
        const char* profile;
        venue::OpusSettings settings;
        bool fec;
    };
    for (const auto& c : {Case{"speech: SILK/hybrid with in-band FEC", test::speechProfile(), true},
                          Case{"lowdelay: CELT, no FEC", test::lowDelayProfile(), false}}) {
        SECTION(c.profile) {
            const ToneSource source(c.settings);
            receive::ReceiveChannel channel;
            LinkModel model;
            model.lossRate = 0.05;
            model.jitterMs = 25.0; // the cushion jitter builds lets the next packet be here
            model.seed = 7;
            SimLink link(source, model, channel);
            link.run(20.0);
            const auto s = channel.stats();
            CHECK(s.lost > 0);
            CHECK(s.concealedSamples > 0);
            if (c.fec) {
                CHECK(s.fecFrames > 0);
            } else {
                CHECK(s.fecFrames == 0);
                CHECK(s.plcFrames > 0);
            }
            // Concealment covers the losses, and the waits for late packets: not much more.
            CHECK(s.concealedPercent() < 2.0 * s.lossPercent() + 1.0);
            // The loss shown is the loss on the link (the last packets may still be on the way).
            CHECK(s.lost >= static_cast<std::int64_t>(link.dropped()) - 2);
            CHECK(s.lost <= static_cast<std::int64_t>(link.dropped()));
        }
    }
}

TEST_CASE("Duplicates are decoded once and reordered packets still play", "[receive][channel]") {
    const ToneSource source(test::speechProfile());
    receive::ReceiveChannel channel;
    LinkModel model;
    model.duplicateRate = 0.05;
    model.reorderRate = 0.05;
    model.delayMs = 1.0;
    model.seed = 3;
    SimLink link(source, model, channel);
    link.run(10.0);
    const auto s = channel.stats();
    CHECK(s.duplicates > 0);
    CHECK(s.reordered > 0);
    CHECK(s.lost <= 0); // duplicates make RFC 3550's "lost" negative
    // Every sample decoded exactly once: nothing beyond what was sent, nothing concealed for
    // long (a reordered packet that came after its time is the only loss).
    CHECK(s.decodedSamples <= link.sent() * static_cast<std::uint64_t>(source.frameSamples()));
    CHECK(s.packets + s.duplicates + s.late == s.datagrams);
}

TEST_CASE("The buffer grows at once after late packets and shrinks slowly when calm",
          "[receive][channel]") {
    const ToneSource source(test::lowDelayProfile());
    receive::ReceiveChannel channel;
    LinkModel calm;
    SimLink link(source, calm, channel);
    link.run(3.0);
    const double before = meanBufferMs(link, channel, 2.0);

    LinkModel jittery = calm;
    jittery.jitterMs = 20.0; // up to 20 ms more delay, order kept
    link.setModel(jittery);
    link.run(1.0);
    const auto early = channel.stats();
    CHECK(early.underruns > 0); // the first late packets found the buffer empty
    link.run(9.0);
    const double grown = meanBufferMs(link, channel, 5.0);
    const auto learnt = channel.stats();
    CHECK(grown > before + 5.0);
    CHECK(learnt.underruns - early.underruns < early.underruns + 20); // few new ones: it learnt

    link.setModel(calm);
    link.run(2.5); // the old packets drain; the buffer must not shrink at once
    const double stillGrown = meanBufferMs(link, channel, 0.5);
    link.run(30.0);
    const double after = meanBufferMs(link, channel, 5.0);
    INFO("before " << before << " ms, grown " << grown << " ms, 3 s later " << stillGrown
                   << " ms, 38 s later " << after << " ms; underruns " << early.underruns
                   << " then " << learnt.underruns);
    CHECK(stillGrown > before + 5.0);
    CHECK(after < before + 2.0);
    CHECK(channel.stats().underruns == learnt.underruns + 0);
}

TEST_CASE("Through 5 % loss, 20 ms jitter, 1 % reordering and 1 % duplicates the latency stays "
          "within 25 ms of the clean link's at every second",
          "[receive][channel]") {
    // The simulated twin of scripts/listener-impaired (which runs the real thing for 5 minutes):
    // a minute of the buffer (the path's latency, averaged over half a second), every second.
    const double seconds = 60.0;
    struct Case {
        const char* profile;
        venue::OpusSettings settings;
    };
    for (const auto& c : {Case{"lowdelay 2.5 ms", test::lowDelayProfile()},
                          Case{"speech 20 ms with FEC", test::speechProfile()}}) {
        SECTION(c.profile) {
            const ToneSource source(c.settings);
            receive::ReceiveChannel clean;
            SimLink calm(source, LinkModel{}, clean);
            calm.run(10.0);
            const double cleanMs = meanBufferMs(calm, clean, 10.0);

            receive::ReceiveChannel channel;
            LinkModel bad;
            bad.lossRate = 0.05;
            bad.jitterMs = 20.0;
            bad.reorderRate = 0.01;
            bad.duplicateRate = 0.01;
            bad.seed = 42;
            SimLink link(source, bad, channel);
            link.run(10.0);
            double sum = 0.0, worst = 0.0;
            for (int second = 0; second < seconds; ++second) {
                link.run(1.0);
                const double ms = channel.stats().bufferMs;
                sum += ms;
                worst = std::max(worst, ms);
            }
            const auto s = channel.stats();
            const double mean = sum / seconds;
            WARN(c.profile << ": clean " << cleanMs << " ms; impaired mean " << mean
                           << " ms, worst " << worst << " ms; concealed " << s.concealedPercent()
                           << " % (FEC " << s.fecFrames << ", PLC " << s.plcFrames << "), late "
                           << s.late);
            CHECK(s.restarts == 0);
            CHECK(worst < cleanMs + 25.0);
            CHECK(s.concealedPercent() < 2.0 * s.lossPercent());
        }
    }
}

TEST_CASE("Clock drift of +-200 ppm keeps the latency within 5 ms of its start",
          "[receive][drift]") {
    // 5 simulated minutes by default (the uncorrected drift would be 60 ms);
    // `test_receive "[drift-long]"` runs the half hour.
    for (const double ppm : {200.0, -200.0}) {
        DYNAMIC_SECTION("sender " << ppm << " ppm") {
            const ToneSource source(test::lowDelayProfile());
            receive::ReceiveChannel channel;
            LinkModel model;
            model.senderPpm = ppm;
            SimLink link(source, model, channel);
            link.run(10.0); // settle
            const double start = meanBufferMs(link, channel, 10.0);
            double worst = 0.0;
            for (int minute = 0; minute < 5 * 6; ++minute)
                worst = std::max(worst, std::abs(meanBufferMs(link, channel, 10.0) - start));
            INFO("start " << start << " ms, worst deviation " << worst << " ms, trim "
                          << channel.stats().ppm << " ppm");
            CHECK(worst < 5.0);
            CHECK(channel.stats().underruns == 0);
            CHECK(std::abs(channel.stats().ppm - ppm) < 100);
        }
    }
}

TEST_CASE("Clock drift of +-200 ppm over a simulated half hour", "[.][drift-long]") {
    for (const double ppm : {200.0, -200.0}) {
        DYNAMIC_SECTION("sender " << ppm << " ppm") {
            const ToneSource source(test::lowDelayProfile());
            receive::ReceiveChannel channel;
            LinkModel model;
            model.senderPpm = ppm;
            SimLink link(source, model, channel);
            link.run(10.0);
            const double start = meanBufferMs(link, channel, 10.0);
            double worst = 0.0;
            for (int step = 0; step < 30 * 6; ++step)
                worst = std::max(worst, std::abs(meanBufferMs(link, channel, 10.0) - start));
            WARN("sender " << ppm << " ppm: start " << start << " ms, worst deviation over 30 min "
                           << worst << " ms");
            CHECK(worst < 5.0);
        }
    }
}

TEST_CASE("Garbage datagrams are counted and dropped without disturbing playback",
          "[receive][channel]") {
    const ToneSource source(test::lowDelayProfile());
    receive::ReceiveChannel channel;
    SimLink link(source, LinkModel{}, channel);
    link.run(0.5);
    std::mt19937 random(11);
    std::vector<std::uint8_t> junk(200);
    for (int i = 0; i < 2000; ++i) {
        for (auto& b : junk)
            b = static_cast<std::uint8_t>(random());
        junk[0] = 0x80; // looks like RTP v2
        junk[1] = 96;
        channel.push(std::span(junk).first(random() % junk.size()), 0.0);
    }
    link.run(1.0);
    const auto s = channel.stats();
    CHECK(s.playing);
    CHECK(s.malformed + s.foreign > 0);
}

// Building blocks of the signal path, each against its specification.
#include "dsp/Crossfader.h"
#include "dsp/GainRamp.h"
#include "dsp/Limiter.h"
#include "dsp/Meter.h"
#include "dsp/ToneControl.h"
#include "dsp/TruePeak.h"
#include "support/Signals.h"

#include <catch2/catch.hpp>

using namespace dragoman;
using Catch::Matchers::WithinAbs;

TEST_CASE("GainRamp reaches its target linearly in exactly the ramp time") {
    dsp::GainRamp ramp(0.0f);
    ramp.setTarget(1.0f, 240);
    std::vector<float> x(480, 1.0f);
    ramp.apply(x.data(), 100);
    ramp.apply(x.data() + 100, 380);
    CHECK(x[0] == Approx(1.0f / 240));
    CHECK(x[119] == Approx(0.5f));
    CHECK(x[238] < 1.0f);
    CHECK(x[239] == 1.0f);
    CHECK(x[479] == 1.0f);
    CHECK_FALSE(ramp.ramping());
}

TEST_CASE("Crossfader stays continuous when choices arrive faster than the fade") {
    dsp::Crossfader fader;
    fader.reset(0);
    std::vector<std::vector<float>> sources(10);
    for (std::size_t s = 0; s < sources.size(); ++s)
        sources[s] = test::sine(1000, -6, 48000, 48000.0, static_cast<double>(s));
    std::vector<float> out(48000);
    std::size_t pos = 0;
    for (int step = 0; step < 40; ++step) {
        fader.select(step % 10, 240);
        const std::size_t n = 32; // a new choice every 32 samples, far inside the 240-sample fade
        fader.render(out.data() + pos, n,
                     [&](int s) { return sources[static_cast<std::size_t>(s)].data() + pos; });
        pos += n;
    }
    fader.render(out.data() + pos, 4800,
                 [&](int s) { return sources[static_cast<std::size_t>(s)].data() + pos; });
    pos += 4800;
    const float sineStep = test::maxStep(sources[0], 0, 48000);
    CHECK(test::maxStep(out, 0, pos) < 1.5f * sineStep);
    CHECK(out[pos - 1] == sources[39 % 10][pos - 1]); // settles on the last choice
}

TEST_CASE("ToneControl shelves: +/-12 dB at the band's end, flat at the other") {
    const auto gainAt = [](double hz, float bass, float treble) {
        dsp::ToneControl tone;
        tone.prepare(48000.0);
        tone.setBassDb(bass, 1);
        tone.setTrebleDb(treble, 1);
        auto x = test::sine(hz, -20, 48000);
        tone.process(x.data(), x.size());
        return test::toDb(test::toneAmplitude(x, hz, 24000, 48000)) + 20.0;
    };
    CHECK_THAT(gainAt(30, 12, 0), WithinAbs(11.5, 0.6));
    CHECK_THAT(gainAt(12000, 12, 0), WithinAbs(0.0, 0.3));
    CHECK_THAT(gainAt(30, -12, 0), WithinAbs(-11.5, 0.6));
    CHECK_THAT(gainAt(16000, 0, 12), WithinAbs(11.0, 1.0));
    CHECK_THAT(gainAt(50, 0, 12), WithinAbs(0.0, 0.3));
    CHECK_THAT(gainAt(1000, 0, 0), WithinAbs(0.0, 1e-6));
}

TEST_CASE("TruePeak: a full-scale sine reads 0 dBTP whatever its phase, within 4x sampling") {
    for (double phase : {0.0, 0.3, 0.785, 1.2}) {
        for (double hz : {997.0, 5000.0, 11025.0, 16000.0}) {
            dsp::TruePeak tp;
            const auto x = test::sine(hz, 0, 4800, 48000.0, phase);
            tp.betweenPeak(x.data(),
                           480); // the onset of a sine overshoots: measure the steady part
            const float peak = std::max(tp.betweenPeak(x.data() + 480, x.size() - 480),
                                        test::maxAbs(x, 480, x.size()));
            // 4x oversampling samples a sine 4*48000/hz times a cycle: it may miss the crest by
            // up to cos(pi * hz / 192000), the limit ITU-R BS.1770 accepts.
            const double lowest = 20.0 * std::log10(std::cos(std::numbers::pi * hz / 192000.0));
            INFO(hz << " Hz, phase " << phase << ": " << test::toDb(peak) << " dBTP");
            CHECK(test::toDb(peak) >= lowest - 0.05);
            CHECK(test::toDb(peak) <= 0.1);
        }
    }
}

TEST_CASE("Meter ballistics: the peak falls back at 12 dB/s, RMS follows within a second") {
    dsp::Meter meter;
    const auto b = dsp::Meter::Ballistics::forBlock(48000.0, 480);
    auto tone = test::sine(1000, -10, 2 * 48000);
    for (std::size_t i = 0; i < tone.size(); i += 480)
        meter.process(tone.data() + i, 480, b);
    CHECK_THAT(meter.peakDb(), WithinAbs(-10.0, 0.05));
    CHECK_THAT(meter.rmsDb(), WithinAbs(-13.0, 0.1));
    const std::vector<float> silence(480, 0.0f);
    for (int block = 0; block < 50; ++block) // half a second of silence
        meter.process(silence.data(), 480, b);
    CHECK_THAT(meter.peakDb(), WithinAbs(-16.0, 0.1));
    CHECK(meter.rmsDb() < -13.0 - 6.0);
}

namespace {
dsp::Limiter::Settings protection() {
    return {-10.0, -16.0, 100.0, -30.0};
}
} // namespace

TEST_CASE("Limiter: instant ceiling, sustained limit after 100 ms, release after a quiet second") {
    dsp::Limiter limiter;
    limiter.prepare(48000.0, protection());
    const float ceiling = static_cast<float>(std::pow(10.0, -10.0 / 20.0)) * 1.000001f;
    const float sustained = static_cast<float>(std::pow(10.0, -16.0 / 20.0)) * 1.000001f;
    auto loud = test::sine(1000, 6, 48000); // 16 dB over the ceiling
    for (std::size_t i = 0; i < loud.size(); i += 64)
        limiter.process(loud.data() + i, 64);
    CHECK(test::maxAbs(loud, 0, loud.size()) <= ceiling);
    CHECK(test::maxAbs(loud, 0, 4800 - 64) > sustained); // the first 100 ms may use the ceiling
    CHECK(test::maxAbs(loud, 4800 + 960, loud.size()) <= sustained);
    CHECK(limiter.sustained());

    auto quiet = test::sine(1000, -30, 2 * 48000);
    for (std::size_t i = 0; i < quiet.size(); i += 64)
        limiter.process(quiet.data() + i, 64);
    CHECK_FALSE(limiter.sustained());
    CHECK(limiter.minGain() == 1.0f); // a quiet signal passes untouched
    CHECK(quiet[quiet.size() - 10] == test::sine(1000, -30, 2 * 48000)[quiet.size() - 10]);
}

TEST_CASE("Limiter: a single-sample spike is caught on its first sample") {
    dsp::Limiter limiter;
    limiter.prepare(48000.0, protection());
    std::vector<float> x(256, 0.0f);
    x[0] = 10.0f; // +20 dBFS
    x[1] = -8.0f;
    limiter.process(x.data(), x.size());
    CHECK(std::abs(x[0]) <= static_cast<float>(std::pow(10.0, -0.5)) * 1.000001f);
    CHECK(std::abs(x[1]) <= static_cast<float>(std::pow(10.0, -0.5)) * 1.000001f);
}

TEST_CASE("Limiter: warning when the one-minute average exceeds the warning level") {
    dsp::Limiter limiter;
    limiter.prepare(48000.0, protection());
    auto block = test::sine(1000, -20, 4800); // -23 dB RMS: above the -30 dBFS warning level
    for (int i = 0; i < 10 * 5; ++i) {        // 5 s: the minute's average is still low
        auto copy = block;
        limiter.process(copy.data(), copy.size());
    }
    CHECK_FALSE(limiter.warning());
    for (int i = 0; i < 10 * 60; ++i) {
        auto copy = block;
        limiter.process(copy.data(), copy.size());
    }
    CHECK(limiter.warning());
    CHECK_THAT(dsp::powerToDb(limiter.averagePower()), WithinAbs(-23.0, 0.1));
    const std::vector<float> silence(4800, 0.0f);
    for (int i = 0; i < 10 * 60; ++i) {
        auto copy = silence;
        limiter.process(copy.data(), copy.size());
    }
    CHECK_FALSE(limiter.warning());
}

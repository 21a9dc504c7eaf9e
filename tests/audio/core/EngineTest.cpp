// The engine as a device sees it: signals in, signals out, on the default venue.
// Device inputs: 0-1 floor mics, 2-9 desk mics (en.1 en.2 sq.1 sq.2 bsm.1 bsm.2 mk.1 mk.2).
// Device outputs: 0-4 line-outs (floor en sq bsm mk), 5-12 headphones (same desk order),
// 13-14 monitor L/R.
#include "support/EngineHarness.h"
#include "support/Signals.h"

#include <catch2/catch.hpp>
#include <numbers>

using namespace dragoman;
using Catch::Matchers::WithinAbs;
using core::Command;
using core::MeterPoint;

namespace {

enum Desk { EN1, EN2, SQ1, SQ2, BSM1, BSM2, MK1, MK2 };
enum Channel { FLOOR, EN, SQ, BSM, MK };
constexpr int kFloorMic = 0;
constexpr int kMicEn1 = 2;
constexpr int kMicSq1 = 4;
constexpr int kLineOut[] = {0, 1, 2, 3, 4};
constexpr int kPhonesEn1 = 5;
constexpr int kPhonesSq1 = 7;
constexpr int kMonitorL = 13;
constexpr int kMonitorR = 14;
constexpr std::size_t kSecond = 48000;

double level(const std::vector<float>& x, double hz, std::size_t from, std::size_t to) {
    return test::toDb(test::toneAmplitude(x, hz, from, to));
}

} // namespace

TEST_CASE("Auto-floor: the floor reaches every line-out and headphone while no desk is live") {
    test::EngineHarness h(test::tirana());
    h.feed(kFloorMic, test::sine(440, -20, kSecond));
    h.run(kSecond);
    for (int out : {0, 1, 2, 3, 4, 5, 9, 12})
        CHECK_THAT(level(h.output(out), 440, kSecond / 2, kSecond), WithinAbs(-20.0, 0.05));
    CHECK(test::maxAbs(h.output(15), 0, kSecond) == 0.0f); // an unused output stays silent
}

TEST_CASE("A live desk replaces the floor on its channel, and mic off brings the floor back") {
    test::EngineHarness h(test::tirana());
    h.feed(kFloorMic, test::sine(440, -20, 3 * kSecond));
    h.feed(kMicEn1, test::sine(1000, -20, 3 * kSecond));
    h.run(kSecond);
    REQUIRE(h.command(Command::deskMic(EN1, true)).accepted);
    h.run(kSecond - 128);
    REQUIRE(h.command(Command::deskMic(EN1, false)).accepted);
    h.run(kSecond - 128);
    const auto& en = h.output(kLineOut[EN]);
    CHECK(level(en, 440, 0, kSecond) > -20.1);
    CHECK(level(en, 1000, 0, kSecond) < -60.0);
    CHECK(level(en, 1000, kSecond + 480, 2 * kSecond) > -20.1);
    CHECK(level(en, 440, kSecond + 480, 2 * kSecond) < -60.0);
    CHECK(level(en, 440, 2 * kSecond + 480, 3 * kSecond) > -20.1);
    // The other channels kept the floor throughout; the interpreter still hears the floor.
    CHECK(level(h.output(kLineOut[SQ]), 1000, 0, 3 * kSecond) < -60.0);
    CHECK(level(h.output(kPhonesEn1), 440, kSecond + 480, 2 * kSecond) > -20.1);
}

TEST_CASE("Cough mutes the live desk's channel without handing it back to the floor") {
    test::EngineHarness h(test::tirana());
    h.feed(kFloorMic, test::sine(440, -20, 2 * kSecond));
    h.feed(kMicEn1, test::sine(1000, -20, 2 * kSecond));
    h.command(Command::deskMic(EN1, true));
    h.run(kSecond / 2);
    h.command(Command::deskCough(EN1, true));
    h.run(kSecond / 2);
    h.command(Command::deskCough(EN1, false));
    h.run(kSecond / 2);
    const auto& en = h.output(kLineOut[EN]);
    const std::size_t coughStart = kSecond / 2 + 128 + 480;
    CHECK(test::maxAbs(en, coughStart, kSecond) < 1e-6f);
    CHECK(level(en, 1000, kSecond + 128 + 480, kSecond * 3 / 2) > -20.1);
}

struct SwitchCase {
    std::string name;
    std::vector<Command> before;
    Command change;
    int output;
};

TEST_CASE("Every routing or gain change is click-free") {
    // Floor and desk mics carry the same 1 kHz sine in opposite phase, the worst case for a
    // switch: a hard cut would jump by up to twice the amplitude.
    const auto row = GENERATE(values<SwitchCase>({
        {"mic on", {}, Command::deskMic(EN1, true), kLineOut[EN]},
        {"mic off", {Command::deskMic(EN1, true)}, Command::deskMic(EN1, false), kLineOut[EN]},
        {"cough on", {Command::deskMic(EN1, true)}, Command::deskCough(EN1, true), kLineOut[EN]},
        {"cough off",
         {Command::deskMic(EN1, true), Command::deskCough(EN1, true)},
         Command::deskCough(EN1, false),
         kLineOut[EN]},
        {"handover in the booth",
         {Command::deskMic(EN2, true)},
         Command::deskMic(EN1, true),
         kLineOut[EN]},
        {"auto-floor off", {}, Command::channelAutoFloor(EN, false), kLineOut[EN]},
        {"live desk moves from A to B",
         {Command::deskMic(SQ1, true)},
         Command::deskOut(SQ1, venue::Slot::B),
         kLineOut[SQ]},
        {"incoming select to a relay",
         {Command::deskMic(SQ1, true)},
         Command::deskIn(EN1, SQ),
         kPhonesEn1},
        {"volume -20 dB", {}, Command::deskVolume(EN1, -20.0f), kPhonesEn1},
        {"volume off", {}, Command::deskVolume(EN1, -60.0f), kPhonesEn1},
        {"bass +12 dB", {}, Command::deskBass(EN1, 12.0f), kPhonesEn1},
        {"treble -12 dB", {}, Command::deskTreble(EN1, -12.0f), kPhonesEn1},
        {"monitor to a desk mic",
         {},
         Command::monitorSource(core::MonitorSource::DeskMic, SQ1),
         kMonitorL},
        {"channel trim -24 dB", {}, Command::channelTrim(EN, -24.0f), kLineOut[EN]},
        {"floor trim -6 dB", {}, Command::channelTrim(FLOOR, -6.0f), kLineOut[FLOOR]},
        {"input trim -24 dB on the floor mic",
         {},
         Command::inputTrim(kFloorMic, -24.0f),
         kLineOut[FLOOR]},
        {"input trim -12 dB on a live desk's mic",
         {Command::deskMic(EN1, true)},
         Command::inputTrim(kMicEn1, -12.0f),
         kLineOut[EN]},
    }));
    SECTION(row.name) {
        auto v = test::tirana();
        v.hearing.calibrationDbSpl = 90.0; // ceiling at +10 dBFS: keep the limiter out of it
        test::EngineHarness h(v);
        const auto floor = test::sine(1000, -12, kSecond);
        h.feed(kFloorMic, floor);
        for (int mic = 2; mic <= 9; ++mic) // opposite phase, and desk-mates a quarter apart
            h.feed(mic, test::sine(1000, -12, kSecond, 48000.0,
                                   mic % 2 ? std::numbers::pi / 2 : std::numbers::pi));
        for (const auto& c : row.before)
            REQUIRE(h.command(c).accepted);
        h.run(kSecond / 4);
        const std::size_t at = h.position;
        REQUIRE(h.command(row.change).accepted);
        h.run(kSecond / 4);
        const float sineStep = test::maxStep(floor, 0, kSecond);
        const float switchStep = test::maxStep(h.output(row.output), at - 64, at + 2048);
        INFO("switch step " << switchStep << ", sine step " << sineStep);
        CHECK(switchStep < 1.5f * sineStep);
    }
}

TEST_CASE("A switch is complete within 10 ms") {
    test::EngineHarness h(test::tirana());
    const auto desk = test::sine(1000, -12, kSecond, 48000.0, 1.0);
    h.feed(kFloorMic, test::sine(1000, -12, kSecond));
    h.feed(kMicEn1, desk);
    h.run(kSecond / 4);
    const std::size_t at = h.position;
    h.command(Command::deskMic(EN1, true));
    h.run(kSecond / 4);
    const auto& en = h.output(kLineOut[EN]);
    CHECK(en[at + 100] != desk[at + 100]); // still fading
    for (std::size_t i = at + 480; i < h.position; ++i)
        REQUIRE(en[i] == desk[i]);
}

TEST_CASE("Meters read a -20 dBFS 1 kHz sine as -20.0 dBFS peak and -23.0 dBFS RMS") {
    test::EngineHarness h(test::tirana());
    h.feed(kFloorMic, test::sine(1000, -20, 3 * kSecond, 48000.0, 0.3));
    h.run(3 * kSecond);
    const auto& meters = h.engine.meters();
    for (const auto& [point, index] :
         {std::pair{MeterPoint::FloorMic, 0}, std::pair{MeterPoint::Channel, 0},
          std::pair{MeterPoint::Channel, 3}, std::pair{MeterPoint::DeskFeed, 4}}) {
        const auto reading = meters.read(point, index);
        INFO("point " << static_cast<int>(point) << " index " << index);
        CHECK_THAT(reading.peakDb, WithinAbs(-20.0, 0.1));
        CHECK_THAT(reading.rmsDb, WithinAbs(-23.0, 0.1));
        CHECK_THAT(reading.truePeakDb, WithinAbs(-20.0, 0.1));
        CHECK(reading.truePeakDb >= reading.peakDb);
        CHECK(reading.clips == 0);
    }
    CHECK(meters.read(MeterPoint::DeskMic, EN1).peakDb <= -119.0f); // a silent mic reads silence
}

TEST_CASE("True peak sees the peaks between the samples") {
    // A sine at a quarter of the sample rate, sampled 45 degrees off its peaks: every sample
    // reads 0.707 of the true amplitude (-3 dB).
    test::EngineHarness h(test::tirana());
    h.feed(kFloorMic, test::sine(12000, -6, kSecond, 48000.0, std::numbers::pi / 4));
    h.run(kSecond);
    const auto reading = h.engine.meters().read(MeterPoint::FloorMic, 0);
    CHECK_THAT(reading.peakDb, WithinAbs(-9.0, 0.1));
    CHECK_THAT(reading.truePeakDb, WithinAbs(-6.0, 0.3));
}

TEST_CASE("Clipped samples are counted") {
    test::EngineHarness h(test::tirana());
    std::vector<float> signal(1000, 0.5f);
    signal[100] = 1.0f;
    signal[200] = -1.5f;
    h.feed(kMicSq1, signal);
    h.run(1024);
    CHECK(h.engine.meters().read(MeterPoint::DeskMic, SQ1).clips == 2);
}

TEST_CASE("Hearing protection: a +20 dB burst never leaves the limiter above its ceiling") {
    const auto v = test::tirana();
    // (the limits as the limiter computes them, plus one float rounding step)
    const float ceiling =
        static_cast<float>(std::pow(10.0, v.hearing.ceilingDbfs() / 20.0)) * 1.000001f;
    const float sustained =
        static_cast<float>(std::pow(10.0, v.hearing.sustainedDbfs() / 20.0)) * 1.000001f;
    test::EngineHarness h(v);
    auto floor = test::sine(1000, -20, kSecond);
    const auto burst = test::sine(1000, 0, kSecond); // +20 dB
    floor.insert(floor.end(), burst.begin(), burst.end());
    h.feed(kFloorMic, floor);
    REQUIRE(h.command(Command::deskVolume(SQ1, 12.0f)).accepted); // and the volume at maximum
    h.run(2 * kSecond - 128);
    for (int phones = 5; phones <= 12; ++phones)
        CHECK(test::maxAbs(h.output(phones), 0, h.position) <= ceiling);
    // After ~100 ms above the sustained limit, the lower limit holds.
    CHECK(test::maxAbs(h.output(kPhonesEn1), kSecond + kSecond / 5, 2 * kSecond - 128) <=
          sustained);
    CHECK(h.engine.meters().limiter(EN1).sustained);
    CHECK(h.engine.meters().limiter(EN1).gainReductionDb > 5.0f);
    // Line-outs are not limited: only headphones are.
    CHECK(test::maxAbs(h.output(kLineOut[EN]), kSecond, 2 * kSecond - 128) > 0.99f);
}

TEST_CASE("Desk volume, bass and treble shape only that desk's headphones") {
    test::EngineHarness h(test::tirana());
    std::vector<float> mix(2 * kSecond);
    const auto low = test::sine(100, -30, 2 * kSecond);
    const auto high = test::sine(8000, -30, 2 * kSecond);
    for (std::size_t i = 0; i < mix.size(); ++i)
        mix[i] = low[i] + high[i];
    h.feed(kFloorMic, mix);
    h.command(Command::deskVolume(EN1, -6.0f));
    h.command(Command::deskBass(SQ1, 12.0f));
    h.command(Command::deskTreble(SQ1, -12.0f));
    h.run(kSecond);
    const std::size_t from = kSecond / 2;
    const std::size_t to = kSecond;
    CHECK_THAT(level(h.output(kPhonesEn1), 100, from, to), WithinAbs(-36.0, 0.1));
    CHECK_THAT(level(h.output(kPhonesEn1), 8000, from, to), WithinAbs(-36.0, 0.1));
    CHECK(level(h.output(kPhonesSq1), 100, from, to) > -30.0 + 9.0);
    CHECK(level(h.output(kPhonesSq1), 8000, from, to) < -30.0 - 6.0);     // first-order shelf
    CHECK_THAT(level(h.output(6), 100, from, to), WithinAbs(-30.0, 0.1)); // en.2 untouched
}

TEST_CASE("Trims: a channel trim sets its line-out level, an input trim its mic everywhere") {
    struct TrimCase {
        const char* name;
        std::vector<Command> commands;
        std::vector<std::pair<int, double>> expected; // output, level in dBFS
    };
    const auto row = GENERATE(values<TrimCase>({
        {"channel trim en -6 dB: en's line-out only",
         {Command::channelTrim(EN, -6.0f)},
         {{kLineOut[EN], -26.0}, {kLineOut[SQ], -20.0}, {kLineOut[FLOOR], -20.0}}},
        {"floor trim +6 dB: the floor and every auto-floor channel",
         {Command::channelTrim(FLOOR, 6.0f)},
         {{kLineOut[FLOOR], -14.0}, {kLineOut[EN], -14.0}, {kLineOut[MK], -14.0}}},
        {"input trim -12 dB on the floor mic",
         {Command::inputTrim(kFloorMic, -12.0f)},
         {{kLineOut[FLOOR], -32.0}, {kLineOut[MK], -32.0}}},
        {"input trim +6 dB on en.1's mic while it is live",
         {Command::deskMic(EN1, true), Command::inputTrim(kMicEn1, 6.0f)},
         {{kLineOut[EN], -24.0}, {kLineOut[SQ], -20.0}}},
        {"trims back at 0 dB leave the signal untouched",
         {Command::channelTrim(EN, -6.0f), Command::channelTrim(EN, 0.0f),
          Command::inputTrim(kFloorMic, 6.0f), Command::inputTrim(kFloorMic, 0.0f)},
         {{kLineOut[EN], -20.0}, {kLineOut[FLOOR], -20.0}}},
    }));
    SECTION(row.name) {
        test::EngineHarness h(test::tirana());
        h.feed(kFloorMic, test::sine(440, -20, kSecond));
        h.feed(kMicEn1, test::sine(440, -30, kSecond));
        for (const auto& c : row.commands)
            REQUIRE(h.command(c).accepted);
        h.run(kSecond / 2);
        for (const auto& [output, db] : row.expected) {
            INFO("output " << output);
            CHECK_THAT(level(h.output(output), 440, kSecond / 4, kSecond / 2), WithinAbs(db, 0.1));
        }
    }
}

TEST_CASE("Trims out of range or on unknown targets are refused") {
    const auto row = GENERATE(values<std::pair<Command, core::Refusal>>({
        {Command::channelTrim(EN, 12.5f), core::Refusal::OutOfRange},
        {Command::channelTrim(EN, -24.5f), core::Refusal::OutOfRange},
        {Command::inputTrim(0, 13.0f), core::Refusal::OutOfRange},
        {Command::channelTrim(99, 0.0f), core::Refusal::UnknownTarget},
        {Command::inputTrim(16, 0.0f), core::Refusal::UnknownTarget},
        {Command::inputTrim(-1, 0.0f), core::Refusal::UnknownTarget},
    }));
    test::EngineHarness h(test::tirana());
    const auto result = h.command(row.first);
    CHECK_FALSE(result.accepted);
    CHECK(result.reason == row.second);
}

TEST_CASE("The monitor (PFL) puts the chosen source on both monitor outputs") {
    test::EngineHarness h(test::tirana());
    h.feed(kFloorMic, test::sine(440, -20, kSecond));
    h.feed(kMicSq1, test::sine(1000, -20, kSecond));
    h.command(Command::monitorSource(core::MonitorSource::DeskMic, SQ1));
    h.run(kSecond / 2);
    for (int out : {kMonitorL, kMonitorR}) {
        CHECK(level(h.output(out), 1000, kSecond / 4, kSecond / 2) > -20.1);
        CHECK(level(h.output(out), 440, kSecond / 4, kSecond / 2) < -60.0);
    }
}

TEST_CASE("The output does not depend on the block size") {
    const auto render = [](std::size_t block) {
        test::EngineHarness h(test::tirana());
        h.feed(kFloorMic, test::sine(440, -20, 2 * 32768));
        h.feed(kMicEn1, test::sine(1000, -14, 2 * 32768));
        h.engine.post(Command::deskVolume(EN1, -3.0f));
        h.engine.post(Command::deskTreble(EN1, 6.0f));
        h.run(32768, block);
        h.engine.post(Command::deskMic(EN1, true));
        h.engine.post(Command::deskIn(SQ1, EN));
        h.run(32768, block);
        return h.outputs;
    };
    const auto reference = render(128);
    for (std::size_t block : {16, 64, 256, 1024, 2048}) {
        INFO("block " << block);
        const auto outputs = render(block);
        for (std::size_t o = 0; o < outputs.size(); ++o) {
            REQUIRE(outputs[o].size() == reference[o].size());
            float worst = 0.0f;
            for (std::size_t i = 0; i < outputs[o].size(); ++i)
                worst = std::max(worst, std::abs(outputs[o][i] - reference[o][i]));
            INFO("output " << o);
            CHECK(worst <= 1e-6f);
        }
    }
}

TEST_CASE("A channel's tap carries exactly its line-out, and a full tap counts overruns") {
    core::EngineOptions options;
    options.tapChunks = 8;
    test::EngineHarness h(test::tirana(), options);
    h.feed(kFloorMic, test::sine(440, -20, kSecond));
    h.run(4 * 256, 256);
    std::vector<float> tapped;
    core::TapChunk chunk;
    std::uint64_t expectedFrame = 0;
    while (h.engine.tap(EN).pop(chunk)) {
        CHECK(chunk.frame == expectedFrame);
        tapped.insert(tapped.end(), chunk.samples, chunk.samples + chunk.frames);
        expectedFrame += chunk.frames;
    }
    REQUIRE(tapped.size() == 4 * 256);
    for (std::size_t i = 0; i < tapped.size(); ++i)
        REQUIRE(tapped[i] == h.output(kLineOut[EN])[i]);
    CHECK(h.engine.tap(EN).overruns() == 0);
    h.run(64 * 128, 128); // nobody drains: the tap fills and drops
    CHECK(h.engine.tap(EN).overruns() > 0);
}

TEST_CASE("Results come back in posting order with their ids, and a full queue refuses posts") {
    core::EngineOptions options;
    options.commandCapacity = 16;
    test::EngineHarness h(test::tirana(), options);
    int posted = 0;
    while (h.engine.post(Command::deskVolume(EN1, -1.0f * static_cast<float>(posted % 10))
                             .withId(static_cast<std::uint32_t>(posted))))
        ++posted;
    CHECK(posted >= 16);
    CHECK(h.engine.stats().commandsDropped == 1);
    h.run(128);
    core::CommandResult result;
    std::uint32_t expected = 0;
    while (h.engine.nextResult(result))
        CHECK(result.id == expected++);
    CHECK(expected == static_cast<std::uint32_t>(posted));
    CHECK(h.engine.routing().desks[EN1].volumeDb == -1.0f * static_cast<float>((posted - 1) % 10));
}

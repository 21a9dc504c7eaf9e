// Recordings: a tone through a real Engine, its taps, the encoder thread and the recorder,
// decoded by the decoders listeners use (opusdec and ffmpeg).
#include "stream/Recorder.h"

#include "StreamSupport.h"
#include "core/Command.h"
#include "stream/EncoderThread.h"
#include "support/EngineHarness.h"
#include "support/Signals.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace dragoman;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr double kFloorHz = 440.0;
constexpr double kDeskHz = 1000.0;
constexpr std::size_t kSeconds = 2;
constexpr std::size_t kFrames = kSeconds * 48000;

// Waits (up to 5 s) until `done` holds.
template <typename Done> bool waitFor(Done done) {
    for (int i = 0; i < 500 && !done(); ++i)
        std::this_thread::sleep_for(10ms);
    return done();
}

void checkTone(const std::vector<float>& decoded, double hz, double expectedAmplitude,
               double otherHz) {
    // Steady state: skip the start (ramps, encoder warm-up) and the end.
    const std::size_t begin = 9600;
    const std::size_t end = decoded.size() - 4800;
    CHECK(test::zeroCrossingHz(decoded, begin, end) == Approx(hz).epsilon(0.005));
    const double level = test::toDb(test::toneAmplitude(decoded, hz, begin, end));
    CHECK(level == Approx(test::toDb(expectedAmplitude)).margin(1.0));
    CHECK(test::toDb(test::toneAmplitude(decoded, otherHz, begin, end)) < level - 30.0);
}

} // namespace

TEST_CASE("A recording decodes with opusdec and ffmpeg to the rendered duration, tone and level") {
    const auto venue = test::tirana();
    core::EngineOptions options;
    options.tapChunks = 4096; // the test renders faster than real time
    test::EngineHarness harness(venue, options);
    const int floorMic = venue.floorMics[0].input;
    const int en1 = *venue.deskIndex("en.1");
    harness.feed(floorMic, test::sine(kFloorHz, -20.0, kFrames));
    harness.feed(venue.desk(en1).mic, test::sine(kDeskHz, -20.0, kFrames));
    const int en = *venue.channelIndex("en");

    test::ScratchFolder scratch;
    stream::EncoderThread encoders(harness.engine);
    stream::Recorder recorder(venue, encoders, scratch.path());
    encoders.attach(recorder);
    recorder.start();
    encoders.start();

    harness.engine.post(core::Command::deskMic(en1, true));
    harness.run(kFrames / 2 + 24000); // 1.5 s
    // A crash while recording: copy the file as it is on disk now, pages flushed so far.
    REQUIRE(waitFor([&] { return encoders.stats(en).packets >= 70; }));
    REQUIRE(waitFor([&] { return recorder.stats().written >= 5 * 70; }));
    const auto crashCopy = scratch.path() / "crash.opus";
    fs::copy_file(recorder.file(en), crashCopy);
    harness.run(kFrames - harness.position);
    encoders.stop();
    recorder.stop();

    for (int c = 0; c < encoders.channelCount(); ++c) {
        CHECK(encoders.stats(c).overruns == 0);
        CHECK(encoders.stats(c).encodeErrors == 0);
        CHECK(encoders.stats(c).packets == kFrames / 960);
    }
    CHECK(recorder.stats().dropped == 0);
    CHECK(recorder.stats().writeErrors == 0);
    CHECK(recorder.stats().written == 5 * kFrames / 960);

    const auto session = recorder.sessionFolder();
    CHECK(session.parent_path() == scratch.path());
    CHECK(session.filename().string().size() == std::string("2026-11-25T14-30-00").size());
    for (const auto* name : {"floor.opus", "en.opus", "sq.opus", "bsm.opus", "mk.opus"})
        CHECK(fs::exists(session / name));
    CHECK(recorder.file(0) == session / "floor.opus");

    SECTION("pre-skip is the encoder's lookahead") {
        CHECK(test::preSkipOf(recorder.file(0)) == encoders.lookahead(0));
        CHECK(test::preSkipOf(recorder.file(en)) == encoders.lookahead(en));
    }

    // The line-outs carry what the channels carry: the reference levels.
    const auto& floorOut = harness.outputs[static_cast<std::size_t>(venue.channels[0].lineOut)];
    const auto& enOut = harness.outputs[static_cast<std::size_t>(venue.channels[1].lineOut)];
    const double floorAmplitude = test::toneAmplitude(floorOut, kFloorHz, 9600, kFrames - 4800);
    const double deskAmplitude = test::toneAmplitude(enOut, kDeskHz, 9600, kFrames - 4800);
    REQUIRE(test::toDb(floorAmplitude) > -30.0);
    REQUIRE(test::toDb(deskAmplitude) > -30.0);

    SECTION("opusdec") {
        const auto floor = test::decodeWithOpusdec(recorder.file(0));
        const auto english = test::decodeWithOpusdec(recorder.file(en));
        CHECK(static_cast<double>(floor.size()) == Approx(kFrames).margin(960));
        CHECK(static_cast<double>(english.size()) == Approx(kFrames).margin(960));
        checkTone(floor, kFloorHz, floorAmplitude, kDeskHz);
        checkTone(english, kDeskHz, deskAmplitude, kFloorHz);
    }

    SECTION("ffmpeg") {
        const auto floor = test::decodeWithFfmpeg(recorder.file(0));
        const auto english = test::decodeWithFfmpeg(recorder.file(en));
        CHECK(static_cast<double>(floor.size()) == Approx(kFrames).margin(960));
        CHECK(static_cast<double>(english.size()) == Approx(kFrames).margin(960));
        checkTone(floor, kFloorHz, floorAmplitude, kDeskHz);
        checkTone(english, kDeskHz, deskAmplitude, kFloorHz);
    }

    SECTION("a copy taken while recording (a crash) still decodes up to its last page") {
        const auto english = test::decodeWithOpusdec(crashCopy);
        // Pages reach the file at least every second of audio (less the pre-skip).
        CHECK(english.size() >= 48000 - static_cast<std::size_t>(encoders.lookahead(en)));
        CHECK(english.size() <= kFrames / 2 + 24000);
        checkTone(english, kDeskHz, deskAmplitude, kFloorHz);
        CHECK(test::decodeWithFfmpeg(crashCopy).size() == english.size());
    }
}

TEST_CASE("Samples lost in a tap overrun keep their time in the recording") {
    const auto venue = test::tirana();
    core::EngineOptions options;
    options.tapChunks = 4;
    test::EngineHarness harness(venue, options);
    harness.feed(venue.floorMics[0].input, test::sine(kFloorHz, -20.0, 48000));
    test::ScratchFolder scratch;
    stream::EncoderThread encoders(harness.engine);
    stream::Recorder recorder(venue, encoders, scratch.path());
    encoders.attach(recorder);

    // Drive the encoder by hand: 2560 frames of which the tap keeps only the first few.
    harness.run(20 * 128);
    encoders.poll();
    for (int i = 0; i < 30; ++i) { // then 30 x 512 frames, drained in time
        harness.run(512);
        encoders.poll();
    }
    recorder.stop(); // writes the queue on this thread (the recorder thread never started)

    REQUIRE(encoders.stats(0).overruns == 1);
    const std::size_t rendered = 20 * 128 + 30 * 512;
    const auto floor = test::decodeWithOpusdec(recorder.file(0));
    CHECK(static_cast<double>(floor.size()) == Approx(rendered).margin(960));
}

TEST_CASE("Session folders are named by their local start time, a second one gets a suffix") {
    const auto venue = test::tirana();
    core::Engine engine(venue);
    stream::EncoderThread encoders(engine);
    test::ScratchFolder scratch;
    const auto start = std::chrono::system_clock::now();
    stream::Recorder first(venue, encoders, scratch.path(), start);
    stream::Recorder second(venue, encoders, scratch.path(), start);
    const auto name = stream::Recorder::sessionName(start);
    CHECK(first.sessionFolder() == scratch.path() / name);
    CHECK(second.sessionFolder() == scratch.path() / (name + "-2"));
    CHECK(name[4] == '-');
    CHECK(name[10] == 'T');
    CHECK(name[13] == '-');
}

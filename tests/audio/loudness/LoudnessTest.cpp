// EBU R128 loudness of the channels: the meter against the standard's reference (a 997 Hz sine
// in one channel reads its RMS level in LUFS: 0 dBFS peak -> -3.01 LUFS), and the encoder
// thread handing the taps' PCM to it without a second consumer on the taps.
#include "loudness/LoudnessMeter.h"
#include "stream/EncoderThread.h"
#include "support/EngineHarness.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using namespace dragoman;

namespace {

constexpr double kTwoPi = 6.283185307179586;

// Feeds `seconds` of a 997 Hz sine at `peakDb` dBFS to channel `channel`, in tap-sized chunks.
void feedSine(loudness::LoudnessMeter& meter, int channel, double peakDb, double seconds,
              int rate = 48000) {
    const double amplitude = std::pow(10.0, peakDb / 20.0);
    core::TapChunk chunk{};
    const auto total = static_cast<std::uint64_t>(seconds * rate);
    for (std::uint64_t at = 0; at < total; at += core::TapChunk::kCapacity) {
        chunk.frame = at;
        chunk.frames = static_cast<std::uint32_t>(
            std::min<std::uint64_t>(core::TapChunk::kCapacity, total - at));
        for (std::uint32_t k = 0; k < chunk.frames; ++k)
            chunk.samples[k] =
                static_cast<float>(amplitude * std::sin(kTwoPi * 997.0 * double(at + k) / rate));
        meter.onPcm(channel, chunk);
    }
}

// Counts what a PCM sink receives per channel.
struct CountingSink final : stream::PcmSink {
    explicit CountingSink(std::size_t channels)
        : frames(channels, 0) {}
    void onPcm(int channel, const core::TapChunk& chunk) noexcept override {
        frames[static_cast<std::size_t>(channel)] += chunk.frames;
    }
    std::vector<std::uint64_t> frames;
};

} // namespace

TEST_CASE("A 997 Hz sine reads its RMS level in LUFS, momentary and short-term") {
    const double peakDb = GENERATE(-10.0, -20.0, -30.0, -40.0);
    loudness::LoudnessMeter meter(2, 48000);
    feedSine(meter, 1, peakDb, 4.0);
    const double expected = peakDb + 10.0 * std::log10(0.5); // RMS of a sine: peak - 3.01 dB
    const auto reading = meter.read(1);
    INFO("peak " << peakDb << " dBFS");
    CHECK(reading.momentaryLufs == Approx(expected).margin(0.1));
    CHECK(reading.shortTermLufs == Approx(expected).margin(0.1));
    CHECK(reading.frames == 4 * 48000);
    SECTION("a channel that was never fed reads silence") {
        CHECK(meter.read(0).momentaryLufs == loudness::kSilenceLufs);
        CHECK(meter.read(0).shortTermLufs == loudness::kSilenceLufs);
    }
}

TEST_CASE("Momentary loudness follows a level change within its 400 ms window, short-term "
          "lags") {
    loudness::LoudnessMeter meter(1, 48000);
    feedSine(meter, 0, -20.0, 3.0);
    feedSine(meter, 0, -40.0, 0.5);
    const auto reading = meter.read(0);
    CHECK(reading.momentaryLufs == Approx(-43.01).margin(0.2));
    CHECK(reading.shortTermLufs > -35.0); // still remembers the louder 2.5 s
}

TEST_CASE("Chunks for channels out of range are ignored") {
    loudness::LoudnessMeter meter(1, 48000);
    core::TapChunk chunk{};
    chunk.frames = 128;
    meter.onPcm(-1, chunk);
    meter.onPcm(1, chunk);
    CHECK(meter.read(0).frames == 0);
    CHECK(meter.read(5).momentaryLufs == loudness::kSilenceLufs);
}

TEST_CASE("The encoder thread hands every tap's PCM to its PCM sinks, and encodes only channels "
          "with packet sinks") {
    auto venue = test::tirana();
    test::EngineHarness harness(venue);
    stream::EncoderThread encoders(harness.engine);
    CountingSink counts(venue.channels.size());
    loudness::LoudnessMeter meter(static_cast<int>(venue.channels.size()), venue.sampleRate);
    encoders.attachPcm(counts);
    encoders.attachPcm(meter);

    // A -20 dBFS 997 Hz tone on the first floor mic: the floor channel and, by auto-floor,
    // every language channel carry it.
    const int floorInput = venue.floorMics.at(0).input;
    std::vector<float> tone(48000 * 2);
    for (std::size_t k = 0; k < tone.size(); ++k)
        tone[k] = static_cast<float>(0.1 * std::sin(kTwoPi * 997.0 * double(k) / 48000.0));
    harness.feed(floorInput, tone);
    for (int i = 0; i < 20; ++i) { // 2 s, drained every 100 ms like the running thread
        harness.run(4800);
        encoders.poll();
    }

    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        INFO("channel " << venue.channels[c].code);
        CHECK(counts.frames[c] == harness.engine.stats().frames);
        CHECK(harness.engine.tap(static_cast<int>(c)).overruns() == 0);
        CHECK(encoders.stats(static_cast<int>(c)).packets == 0);
        const auto m = meter.read(static_cast<int>(c)).momentaryLufs;
        CHECK(m == Approx(meter.read(0).momentaryLufs).margin(0.5));
        CHECK(m > -30.0);
    }
}

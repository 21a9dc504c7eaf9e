// The encoder thread: every venue setting gives packets of the right duration, a tap overrun
// becomes a discontinuity and a counter, and the engine must run at Opus's 48 kHz.
#include "StreamSupport.h"
#include "codec/OpusEncoder.h"
#include "stream/ChannelEncoder.h"
#include "stream/EncoderThread.h"
#include "support/EngineHarness.h"
#include "support/Signals.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <opus.h>
#include <sched.h>
#include <set>
#include <stdexcept>
#include <thread>
#include <tuple>

using namespace dragoman;
using Catch::Matchers::Contains;

namespace {

// Feeds `frames` samples of a tone into `encoder` as the engine's tap would: 128-frame chunks.
void feedTone(stream::ChannelEncoder& encoder, stream::PacketSink& sink, std::size_t frames) {
    const auto tone = test::sine(440.0, -12.0, frames);
    stream::PacketSink* sinks[] = {&sink};
    core::TapChunk chunk;
    for (std::size_t at = 0; at < frames; at += 128) {
        chunk.frame = at;
        chunk.frames = static_cast<std::uint32_t>(std::min<std::size_t>(128, frames - at));
        std::copy_n(tone.data() + at, chunk.frames, chunk.samples);
        encoder.push(chunk, sinks);
    }
}

} // namespace

TEST_CASE("Every application, frame size and bitrate gives packets of the frame's duration") {
    using A = venue::OpusApplication;
    const auto application = GENERATE(A::Voip, A::Audio, A::LowDelay);
    const auto frameMs = GENERATE(2.5, 5.0, 10.0, 20.0, 40.0, 60.0);
    const auto bitrate = GENERATE(6000, 32000, 128000, 510000);
    venue::OpusSettings settings;
    settings.application = application;
    settings.frameMs = frameMs;
    settings.bitrate = bitrate;
    settings.fec = application != A::LowDelay;
    INFO(std::string(venue::toString(application))
         << " " << frameMs << " ms " << bitrate << " bit/s");

    stream::ChannelEncoder encoder(3, settings);
    test::CollectingSink sink;
    const auto frame = static_cast<std::size_t>(settings.frameSamples());
    feedTone(encoder, sink, frame * 4 + 100); // four whole frames and a partial one

    REQUIRE(sink.packets.size() == 4);
    for (std::size_t i = 0; i < sink.packets.size(); ++i) {
        const auto& packet = sink.packets[i];
        CHECK(packet.channel == 3);
        CHECK(packet.position == i * frame);
        CHECK(packet.durationSamples == frame);
        CHECK_FALSE(packet.discontinuity);
        REQUIRE(packet.bytes > 0);
        CHECK(opus_packet_get_nb_samples(packet.data.data(), packet.bytes, 48000) ==
              static_cast<int>(frame));
        // Opus's own bitrate control: no packet is far above the budget (with TOC slack).
        CHECK(packet.bytes <= bitrate * static_cast<int>(frame) / 48000 / 8 * 2 + 10);
    }
    CHECK(encoder.stats().packets == 4);
    CHECK(encoder.stats().encodeErrors == 0);
    CHECK(encoder.lookahead() > 0);
}

TEST_CASE("The encoder's lookahead is libopus's: frame + 2.5 ms delay in lowdelay") {
    venue::OpusSettings lowDelay;
    lowDelay.application = venue::OpusApplication::LowDelay;
    lowDelay.fec = false;
    const auto celt = codec::OpusEncoder::create(lowDelay);
    REQUIRE(celt);
    CHECK(celt.value->lookahead() == 120); // 2.5 ms at 48 kHz
    const auto speech = codec::OpusEncoder::create(venue::OpusSettings{});
    REQUIRE(speech);
    CHECK(speech.value->lookahead() >= 120);
}

TEST_CASE("A wrong frame length is an encode error with a reason, not a crash") {
    const auto encoder = codec::OpusEncoder::create(venue::OpusSettings{});
    REQUIRE(encoder);
    std::vector<float> frame(100);
    std::array<std::uint8_t, stream::EncodedPacket::kMaxBytes> packet{};
    const auto result = encoder.value->encode(frame, packet);
    CHECK_FALSE(result);
    CHECK_THAT(result.error, Contains("the frame size is 960"));
}

TEST_CASE("A tap overrun gives the next packet a discontinuity and is counted") {
    core::EngineOptions options;
    options.tapChunks = 4; // 4 x 128 frames: the encoder thread is "late" after 512 frames
    test::EngineHarness harness(test::tirana(), options);
    stream::EncoderThread encoders(harness.engine);
    test::CollectingSink sink;
    encoders.attach(0, sink);
    harness.feed(0, test::sine(440.0, -20.0, 48000));

    harness.run(20 * 128); // the tap keeps the first 4 chunks and drops 16
    encoders.poll();
    for (int i = 0; i < 5; ++i) { // then 20 more chunks, drained in time
        harness.run(4 * 128);
        encoders.poll();
    }

    // The queue holds at least 4 chunks (moodycamel may round its capacity up).
    const auto dropped = harness.engine.tap(0).overruns();
    REQUIRE(dropped > 0);
    REQUIRE(dropped <= 16);
    const auto kept = 20 - dropped;
    CHECK(encoders.stats(0).overruns == 1);
    // The frames before the gap end in a padded packet; after it, the packets start at the
    // first chunk that arrived (frame 2560) and the first of them says so.
    const auto before = (kept * 128 + 959) / 960;
    REQUIRE(sink.packets.size() == before + 2);
    for (std::size_t i = 0; i < before; ++i) {
        CHECK(sink.packets[i].position == i * 960);
        CHECK_FALSE(sink.packets[i].discontinuity);
    }
    CHECK(sink.packets[before].position == 2560);
    CHECK(sink.packets[before].discontinuity);
    CHECK(sink.packets[before + 1].position == 2560 + 960);
    CHECK_FALSE(sink.packets[before + 1].discontinuity);
    CHECK(encoders.stats(0).packets == before + 2);
    CHECK(encoders.stats(1).overruns == 1); // every channel's tap overran
}

TEST_CASE("The encoder thread refuses an engine that does not run at 48 kHz") {
    auto venue = test::tirana();
    venue.sampleRate = 44100;
    core::Engine engine(venue);
    try {
        stream::EncoderThread encoders(engine);
        FAIL("an EncoderThread at 44100 Hz was accepted");
    } catch (const std::invalid_argument& error) {
        CHECK_THAT(error.what(),
                   Contains("48000 Hz") && Contains("44100") && Contains("resampling"));
    }
}

TEST_CASE("The encoder thread wakes every 2 ms, or every half frame for shorter frames") {
    auto venue = test::tirana();
    {
        core::Engine engine(venue);
        CHECK(stream::EncoderThread(engine).wakeInterval() == std::chrono::microseconds(2000));
    }
    venue.channels[2].opus.frameMs = 2.5;
    core::Engine engine(venue);
    CHECK(stream::EncoderThread(engine).wakeInterval() == std::chrono::microseconds(1250));
}

TEST_CASE("A second encoding of a channel has its own frames and goes to its own sink only") {
    auto venue = test::tirana(); // 20 ms frames
    test::EngineHarness harness(venue);
    stream::EncoderThread encoders(harness.engine);
    test::CollectingSink own;
    test::CollectingSink shorter;
    encoders.attach(0, own);
    auto settings = venue.channels[0].opus;
    settings.frameMs = 10.0;
    encoders.attachEncoding(0, settings, shorter);
    CHECK(encoders.wakeInterval() == std::chrono::microseconds(2000));
    harness.feed(0, test::sine(440.0, -20.0, 48000));
    for (int i = 0; i < 30; ++i) { // 30 x 128 frames: 4 whole 20 ms frames, 8 of 10 ms
        harness.run(128);
        encoders.poll();
    }

    REQUIRE(own.packets.size() == 30 * 128 / 960);
    REQUIRE(shorter.packets.size() == 30 * 128 / 480);
    for (std::size_t i = 0; i < shorter.packets.size(); ++i) {
        const auto& packet = shorter.packets[i];
        CHECK(packet.channel == 0);
        CHECK(packet.position == i * 480);
        CHECK(packet.durationSamples == 480);
        CHECK_FALSE(packet.discontinuity);
        // A 10 ms Opus frame (TOC configuration: SILK/hybrid 10 ms or CELT 10 ms).
        REQUIRE(packet.bytes > 0);
        CHECK(opus_packet_get_samples_per_frame(packet.data.data(), 48000) == 480);
    }
    for (const auto& packet : own.packets)
        CHECK(opus_packet_get_samples_per_frame(packet.data.data(), 48000) == 960);
    CHECK(encoders.stats(0).packets == own.packets.size()); // the channel's own counters

    settings.frameMs = 2.5; // a shorter frame anywhere wakes the thread sooner
    core::Engine engine(venue);
    stream::EncoderThread quick(engine);
    quick.attachEncoding(2, settings, shorter);
    CHECK(quick.wakeInterval() == std::chrono::microseconds(1250));
}

// This process's threads, by id.
static std::set<int> threadIds() {
    std::set<int> ids;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task"))
        ids.insert(std::stoi(entry.path().filename().string()));
    return ids;
}

TEST_CASE("The encoder thread runs real-time at the lowest priority, below any audio thread") {
    test::EngineHarness harness(test::tirana());
    stream::EncoderThread encoders(harness.engine);
    const auto before = threadIds();
    encoders.start();
    int policy = -1;
    sched_param param{};
    // The thread raises itself as it starts.
    for (int i = 0; i < 100 && policy != SCHED_FIFO; ++i) {
        for (const int id : threadIds())
            if (!before.count(id)) {
                policy = sched_getscheduler(id);
                sched_getparam(id, &param);
            }
        if (policy != SCHED_FIFO)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    encoders.stop();
    // Where the system refuses real-time scheduling (no root, no rtprio limit) there is
    // nothing to check: the thread stays an ordinary one.
    sched_param probe{};
    probe.sched_priority = 1;
    if (policy != SCHED_FIFO &&
        sched_setscheduler(0, SCHED_FIFO, &probe) != 0) { // this thread may not either
        WARN("real-time scheduling is not allowed here");
        return;
    }
    sched_param ordinary{};
    sched_setscheduler(0, SCHED_OTHER, &ordinary);
    CHECK(policy == SCHED_FIFO);
    // 1: below JACK's client threads (the server's priority minus 5) and PortAudio's.
    CHECK(param.sched_priority == 1);
}

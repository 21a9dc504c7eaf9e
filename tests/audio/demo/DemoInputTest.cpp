// DemoInput: the demo's speech reaches the floor and desk mics on top of whatever the device
// brings, and the engine routes it as the script says.
#include "demo/DemoInput.h"

#include "DemoFixture.h"
#include "core/Engine.h"
#include "demo/DemoSpeech.h"
#include "support/DeviceBuffers.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

using namespace dragoman;
using core::MeterPoint;
using core::QualityTag;
using test::demoClips;
using test::demoSession;
using test::demoVenue;

namespace {

constexpr int kRate = 48000;

std::uint64_t at(double seconds) {
    return static_cast<std::uint64_t>(std::llround(seconds * kRate));
}

float maxDifference(const float* a, const float* b, std::size_t n) {
    float worst = 0.0f;
    for (std::size_t i = 0; i < n; ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

double rmsDb(const float* x, std::size_t n) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        sum += static_cast<double>(x[i]) * x[i];
    return 10.0 * std::log10(std::max(sum / static_cast<double>(n), 1e-20));
}

// A -20 dBFS 1 kHz tone, continuous across blocks.
float tone(std::uint64_t frame) {
    return 0.1f * static_cast<float>(std::sin(2.0 * std::numbers::pi * 1000.0 *
                                              static_cast<double>(frame) / kRate));
}

// The app's side of the demo, without a device: DemoInput driven block by block, the device
// inputs carrying `toneInputs` (a tone) and silence elsewhere, the session's commands posted
// on a 10 ms timer, every output of the current block kept.
class DemoRun {
public:
    explicit DemoRun(std::vector<int> toneInputs = {}, bool script = true)
        : engine(demoVenue())
        , input(engine, demoSession(), demoClips())
        , session(demoSession())
        , toneInputs_(std::move(toneInputs))
        , script_(script)
        , in_(static_cast<std::size_t>(demoVenue().deviceInputs), std::vector<float>(4096))
        , out_(static_cast<std::size_t>(demoVenue().deviceOutputs), std::vector<float>(4096)) {
        for (auto& c : in_)
            inPtr_.push_back(c.data());
        for (auto& c : out_)
            outPtr_.push_back(c.data());
    }

    // Runs one device block of `frames`; returns the engine frame it started at.
    std::uint64_t block(std::size_t frames) {
        const std::uint64_t start = engine.stats().frames;
        if (script_ && start >= nextTick_) {
            for (const auto& c : session.due(start))
                REQUIRE(engine.post(c));
            nextTick_ = start + 480;
        }
        for (auto& c : in_)
            std::fill_n(c.begin(), frames, 0.0f);
        for (int i : toneInputs_)
            for (std::size_t k = 0; k < frames; ++k)
                in_[static_cast<std::size_t>(i)][k] = tone(start + k);
        input.process(inPtr_.data(), outPtr_.data(), frames);
        core::CommandResult result;
        while (engine.nextResult(result))
            results.push_back(result);
        return start;
    }

    // Runs blocks of `frames` until the engine reaches `frame`.
    void runTo(std::uint64_t frame, std::size_t frames = 128) {
        while (engine.stats().frames + frames <= frame)
            block(frames);
    }

    const float* output(int device) const { return out_[static_cast<std::size_t>(device)].data(); }

    core::Engine engine;
    demo::DemoInput input;
    demo::DemoSession session;
    std::vector<core::CommandResult> results;

private:
    std::vector<int> toneInputs_;
    bool script_;
    std::uint64_t nextTick_ = 0;
    std::vector<std::vector<float>> in_;
    std::vector<std::vector<float>> out_;
    std::vector<const float*> inPtr_;
    std::vector<float*> outPtr_;
};

int desk(const char* id) {
    return *demoVenue().deskIndex(id);
}

int channel(const char* code) {
    return *demoVenue().channelIndex(code);
}

} // namespace

TEST_CASE("DemoSpeech adds the clips to the floor and desk mic inputs and nothing else") {
    const auto& venue = demoVenue();
    const demo::DemoSpeech speech(venue, demoSession(), demoClips());
    const int chair = venue.floorMics[0].input;
    const int lectern = venue.floorMics[1].input;

    struct Case {
        double seconds;
        int speaking;  // the floor mic input that carries speech, -1 for none
        std::size_t n; // frames from there (1.5 s is longer than any pause in the speech)
    };
    const Case cases[] = {{5.0, chair, 72000},    {23.55, -1, 19000},   {30.0, lectern, 72000},
                          {50.0, lectern, 72000}, {70.0, chair, 72000}, {85.0, chair, 72000}};
    for (const auto& c : cases) {
        INFO("at " << c.seconds << " s");
        const std::size_t n = c.n;
        // Device inputs with a pattern of their own.
        std::vector<std::vector<float>> inputs(static_cast<std::size_t>(venue.deviceInputs));
        std::vector<float*> pointers;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            inputs[i].resize(n);
            for (std::size_t k = 0; k < n; ++k)
                inputs[i][k] = 0.01f * static_cast<float>(i) + 1e-5f * static_cast<float>(k);
            pointers.push_back(inputs[i].data());
        }
        const auto before = inputs;
        const std::uint64_t frame = at(c.seconds);
        speech.addTo(pointers.data(), frame, n);

        std::vector<bool> mic(inputs.size(), false);
        for (int d = 0; d < venue.deskCount(); ++d) {
            const int input = venue.desk(d).mic;
            mic[static_cast<std::size_t>(input)] = true;
            // Exactly the desk's booth clip, from its offset.
            const auto& clip = demoClips().samples(demoSession().deskClip(d));
            for (std::size_t k = 0; k < n; k += 97) {
                const auto position = (frame + k + speech.deskOffset(d)) % clip.size();
                REQUIRE(inputs[static_cast<std::size_t>(input)][k] ==
                        before[static_cast<std::size_t>(input)][k] + clip[position]);
            }
        }
        for (const auto& floorMic : venue.floorMics) {
            const auto i = static_cast<std::size_t>(floorMic.input);
            mic[i] = true;
            std::vector<float> added(n);
            for (std::size_t k = 0; k < n; ++k)
                added[k] = inputs[i][k] - before[i][k];
            if (floorMic.input == c.speaking)
                CHECK(rmsDb(added.data(), n) > -60.0);
            else
                CHECK(inputs[i] == before[i]);
        }
        for (std::size_t i = 0; i < inputs.size(); ++i)
            if (!mic[i])
                CHECK(inputs[i] == before[i]); // not a mic: untouched
    }
}

TEST_CASE("DemoSpeech gives the same samples whatever the block boundaries, across the loop") {
    const demo::DemoSpeech speech(demoVenue(), demoSession(), demoClips());
    const std::uint64_t loop = demoSession().loopFrames();
    const std::uint64_t starts[] = {at(23.4), at(41.99), loop - 3000, 2 * loop - 1};
    for (const auto start : starts) {
        INFO("from frame " << start);
        const std::size_t n = 9000;
        const auto whole = test::speechAlone(speech, start, n);
        std::vector<std::vector<float>> pieces(whole.size());
        for (std::size_t done = 0, step = 1; done < n; done += step, step = step * 3 + 7) {
            step = std::min(step, n - done);
            const auto part = test::speechAlone(speech, start + done, step);
            for (std::size_t i = 0; i < whole.size(); ++i)
                pieces[i].insert(pieces[i].end(), part[i].begin(), part[i].end());
        }
        CHECK(pieces == whole);
    }
}

TEST_CASE("DemoInput puts speech on the mics (their meters move) and passes the device through") {
    const auto& venue = demoVenue();
    const int chair = venue.floorMics[0].input;
    DemoRun run({chair, 12}, false); // a tone on the Chair mic and on an unused input
    const demo::DemoSpeech speech(venue, demoSession(), demoClips());

    run.runTo(at(30.0)); // the Albanian delegate speaks at the lectern
    const std::size_t n = 128;
    const auto frame = run.block(n);
    const auto& meters = run.engine.meters();

    // Chair: only the device's tone (-20 dBFS sine: -23 dB RMS).
    CHECK(meters.read(MeterPoint::FloorMic, 0).rmsDb == Approx(-23.0).margin(0.5));
    // Lectern and every desk mic: speech.
    CHECK(meters.read(MeterPoint::FloorMic, 1).peakDb > -40.0f);
    for (int d = 0; d < venue.deskCount(); ++d) {
        INFO(venue.deskId(d));
        CHECK(meters.read(MeterPoint::DeskMic, d).peakDb > -40.0f);
    }

    // The floor line-out is exactly the device's tone on Chair plus the lectern's speech.
    const auto alone = test::speechAlone(speech, frame, n);
    std::vector<float> expected(n);
    for (std::size_t k = 0; k < n; ++k)
        expected[k] =
            tone(frame + k) + alone[static_cast<std::size_t>(venue.floorMics[1].input)][k];
    CHECK(maxDifference(run.output(venue.channels[0].lineOut), expected.data(), n) < 1e-6f);
    // No desk is live (no script): the en line-out carries the floor too.
    CHECK(maxDifference(run.output(venue.channels[1].lineOut), expected.data(), n) < 1e-6f);
}

TEST_CASE("Over the session, the channels follow the script") {
    const auto& venue = demoVenue();
    DemoRun run;
    const demo::DemoSpeech speech(venue, demoSession(), demoClips());
    const int none = -1;

    struct Expect {
        const char* channel;
        int sourceDesk;
        QualityTag tag;
    };
    struct Checkpoint {
        double seconds;
        std::vector<Expect> channels;
        int pivot = -1;
    };
    const int en = channel("en");
    const std::vector<Checkpoint> checkpoints = {
        {0.5,
         {{"en", none, QualityTag::Floor},
          {"sq", none, QualityTag::Floor},
          {"bsm", none, QualityTag::Floor},
          {"mk", none, QualityTag::Floor}}},
        {3.0,
         {{"en", none, QualityTag::Floor},
          {"sq", desk("sq.1"), QualityTag::Plus},
          {"bsm", desk("bsm.1"), QualityTag::Plus},
          {"mk", desk("mk.1"), QualityTag::Plus}}},
        {6.5, {{"sq", desk("sq.1"), QualityTag::Plus}}}, // coughing: still hers
        {23.8, {{"sq", none, QualityTag::Floor}, {"bsm", desk("bsm.1"), QualityTag::Plus}}},
        {28.0,
         {{"en", desk("en.1"), QualityTag::Plus},
          {"sq", none, QualityTag::Floor},
          {"bsm", desk("bsm.1"), QualityTag::Minus},
          {"mk", desk("mk.1"), QualityTag::Minus}}},
        {33.0, {{"en", desk("en.2"), QualityTag::Plus}}}, // handover
        {36.5, {{"en", desk("en.2"), QualityTag::Plus}, {"mk", none, QualityTag::Floor}}},
        {38.5, {{"mk", desk("mk.1"), QualityTag::Minus}}},
        {39.7, {{"bsm", none, QualityTag::Silent}}}, // changeover without auto-floor
        {41.5, {{"bsm", desk("bsm.2"), QualityTag::Minus}}},
        {46.0,
         {{"en", desk("en.2"), QualityTag::Plus},
          {"sq", desk("sq.1"), QualityTag::Minus},
          {"bsm", desk("bsm.2"), QualityTag::Minus},
          {"mk", none, QualityTag::Floor}},
         en},
        {60.0,
         {{"en", none, QualityTag::Floor},
          {"sq", desk("sq.1"), QualityTag::Plus},
          {"bsm", desk("bsm.2"), QualityTag::Plus},
          {"mk", desk("mk.1"), QualityTag::Plus}}},
        {79.0,
         {{"en", none, QualityTag::Floor},
          {"sq", none, QualityTag::Floor},
          {"bsm", none, QualityTag::Floor},
          {"mk", none, QualityTag::Floor}}},
        // The second loop starts from the same routing.
        {80.5,
         {{"en", none, QualityTag::Floor},
          {"sq", none, QualityTag::Floor},
          {"bsm", none, QualityTag::Floor},
          {"mk", none, QualityTag::Floor}}},
        {83.0,
         {{"en", none, QualityTag::Floor},
          {"sq", desk("sq.1"), QualityTag::Plus},
          {"bsm", desk("bsm.1"), QualityTag::Plus},
          {"mk", desk("mk.1"), QualityTag::Plus}}},
        {108.0,
         {{"en", desk("en.1"), QualityTag::Plus}, {"bsm", desk("bsm.1"), QualityTag::Minus}}},
        {116.5, {{"mk", none, QualityTag::Floor}}}, // refused again under interlock
    };

    // What a line-out should carry at some moments: a desk mic's speech, the floor, silence.
    struct Audio {
        double from, to; // seconds: long enough to hold speech, not just a pause
        const char* channel;
        const char* desk; // nullptr: the floor
        bool silent = false;
        std::vector<float> heard{};
        std::vector<float> expected{};
    };
    std::vector<Audio> audio = {
        {19.5, 21.0, "en", nullptr},  {19.5, 21.0, "sq", "sq.1"},
        {26.5, 28.5, "en", "en.1"},   {32.5, 33.9, "en", "en.2"},
        {36.3, 37.4, "mk", nullptr},  {39.7, 40.4, "bsm", nullptr, true},
        {45.5, 47.5, "sq", "sq.1"},   {45.5, 47.5, "mk", nullptr},
        {106.5, 108.5, "en", "en.1"},
    };

    std::size_t nextCheckpoint = 0;
    while (run.engine.stats().frames < at(116.6)) {
        const std::uint64_t frame = run.block(128);
        if (nextCheckpoint < checkpoints.size() &&
            frame >= at(checkpoints[nextCheckpoint].seconds)) {
            const auto& checkpoint = checkpoints[nextCheckpoint++];
            INFO("at " << checkpoint.seconds << " s");
            const auto& routing = run.engine.routing();
            for (const auto& e : checkpoint.channels) {
                INFO("channel " << e.channel);
                const auto& status = routing.channels[static_cast<std::size_t>(channel(e.channel))];
                CHECK(status.sourceDesk == e.sourceDesk);
                CHECK(status.tag == e.tag);
            }
            CHECK(routing.pivotChannel == checkpoint.pivot);
        }
        for (auto& a : audio) {
            if (frame < at(a.from) || frame >= at(a.to))
                continue;
            const auto alone = test::speechAlone(speech, frame, 128);
            const int lineOut =
                venue.channels[static_cast<std::size_t>(channel(a.channel))].lineOut;
            for (std::size_t k = 0; k < 128; ++k) {
                float expected = 0.0f;
                if (a.desk)
                    expected = alone[static_cast<std::size_t>(venue.desk(desk(a.desk)).mic)][k];
                else if (!a.silent)
                    for (const auto& mic : venue.floorMics)
                        expected += alone[static_cast<std::size_t>(mic.input)][k];
                a.expected.push_back(expected);
                a.heard.push_back(run.output(lineOut)[k]);
            }
        }
    }
    CHECK(nextCheckpoint == checkpoints.size());
    for (const auto& a : audio) {
        INFO("from " << a.from << " s, channel " << a.channel);
        REQUIRE(a.heard.size() > 0u);
        if (!a.silent)
            CHECK(rmsDb(a.expected.data(), a.expected.size()) > -50.0); // speech, not a pause
        CHECK(maxDifference(a.heard.data(), a.expected.data(), a.heard.size()) < 1e-6f);
    }

    // One refusal per loop: mk.1 asks for English while en.2 holds it under interlock.
    std::vector<core::CommandResult> refused;
    for (const auto& r : run.results)
        if (!r.accepted)
            refused.push_back(r);
    REQUIRE(refused.size() == 2u);
    for (const auto& r : refused) {
        CHECK(r.target == desk("mk.1"));
        CHECK(r.reason == core::Refusal::ChannelEngaged);
        CHECK(r.holder == desk("en.2"));
        CHECK_THAT(run.session.describe(r.id), Catch::EndsWith("desk mk.1 mic on"));
    }
    // The handover in the English booth, each loop.
    int handovers = 0;
    for (const auto& r : run.results)
        if (r.accepted && r.handover == desk("en.1") && r.target == desk("en.2"))
            ++handovers;
    CHECK(handovers == 2);
    CHECK(run.engine.stats().commandsDropped == 0u);
}

TEST_CASE("DemoInput's outputs do not depend on the device's block size") {
    const auto& venue = demoVenue();
    DemoRun regular({0}, false);
    DemoRun irregular({0}, false);
    const std::size_t sizes[] = {37, 1000, 4096, 1, 128, 2500}; // above and below maxBlock
    std::vector<std::vector<float>> a(5), b(5);
    for (std::size_t i = 0; irregular.engine.stats().frames < at(3.0); ++i) {
        const std::size_t n = sizes[i % std::size(sizes)];
        irregular.block(n);
        for (int c = 0; c < 5; ++c) {
            const float* out =
                irregular.output(venue.channels[static_cast<std::size_t>(c)].lineOut);
            b[static_cast<std::size_t>(c)].insert(b[static_cast<std::size_t>(c)].end(), out,
                                                  out + n);
        }
    }
    while (regular.engine.stats().frames < irregular.engine.stats().frames) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(
            128, irregular.engine.stats().frames - regular.engine.stats().frames));
        regular.block(n);
        for (int c = 0; c < 5; ++c) {
            const float* out = regular.output(venue.channels[static_cast<std::size_t>(c)].lineOut);
            a[static_cast<std::size_t>(c)].insert(a[static_cast<std::size_t>(c)].end(), out,
                                                  out + n);
        }
    }
    for (int c = 0; c < 5; ++c)
        CHECK(a[static_cast<std::size_t>(c)] == b[static_cast<std::size_t>(c)]);
}

TEST_CASE("The demo refuses a venue that does not run at the clips' 48 kHz") {
    auto venue = demoVenue();
    venue.sampleRate = 44100;
    const auto session = demo::DemoSession::parse(venue, "0 floor Chair en\n10 loop\n", "x");
    CHECK_THROWS_WITH(demo::DemoSpeech(venue, session, demoClips()),
                      Catch::Contains("48 kHz") && Catch::Contains("44100"));
}

TEST_CASE("DemoInput decodes the clips itself from a folder, and names a missing one") {
    const auto& venue = demoVenue();
    core::Engine engine(venue);
    const auto folder = test::demoFolder() / "clips";
    demo::DemoInput input(engine, venue, demoSession(), folder);

    test::DeviceBuffers buffers(venue.deviceInputs, venue.deviceOutputs, 256, 0.0f, 1.0f);
    auto& inPtr = buffers.inPtr;
    auto& outPtr = buffers.outPtr;
    for (int block = 0; block < 400; ++block) // past the first word
        input.process(inPtr.data(), outPtr.data(), 256);
    CHECK(engine.stats().frames == 400u * 256u);
    CHECK(engine.meters().read(MeterPoint::FloorMic, 0).peakDb > -40.0f); // the chair speaks

    const auto session = demo::DemoSession::parse(venue, "0 floor Chair fr\n10 loop\n", "x");
    try {
        demo::DemoInput missing(engine, venue, session, folder);
        FAIL("accepted");
    } catch (const demo::DemoClipError& error) {
        CHECK(error.file() == (folder / "floor-fr.opus").string());
    }

    auto other = venue;
    other.name = "another venue";
    CHECK_THROWS_WITH(demo::DemoInput(engine, other, demoSession(), folder),
                      Catch::Contains("not the engine's venue"));
}

#include "render/Renderer.h"

#include "Tones.h"
#include "render/EventScript.h"
#include "render/RenderJob.h"
#include "render/WavInput.h"
#include "render/WavOutput.h"
#include "venue/VenueFile.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>

using namespace dragoman::render;
using dragoman::render::test::amplitudeAt;
using dragoman::render::test::sine;

namespace {

constexpr int kRate = 48000;
constexpr double kToneAmplitude = 0.25;

const std::filesystem::path kTirana =
    std::filesystem::path(DRAGOMAN_SOURCE_DIR) / "resources/venues/tirana.json";

std::filesystem::path scratchDir(const std::string& name) {
    const auto dir = std::filesystem::path(DRAGOMAN_BINARY_DIR) / "test-render" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

std::string bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Where the tirana venue puts the signals this test uses (read from the venue, not assumed).
struct Tirana {
    dragoman::venue::Venue venue = dragoman::venue::load(kTirana);
    int en1 = *venue.deskIndex("en.1");
    int en2 = *venue.deskIndex("en.2");
    int enChannel = *venue.channelIndex("en");
    int floorInput = venue.floorMics.at(0).input;
    int en1Input = venue.desk(en1).mic;
    int enLineOut = venue.channels.at(static_cast<std::size_t>(enChannel)).lineOut;
};

// Floor speaks 440 Hz throughout; en.1 goes live at 1.001 s (not on a block boundary), off at
// 2.001 s; then, with the en booth under interlock, en.1 goes live again and en.2 is refused;
// back in override, en.2 (whose mic input is silent) takes over from en.1.
constexpr const char* kScript = "# tones test\n"
                                "1.001 desk en.1 mic on\n"
                                "2.001 desk en.1 mic off\n"
                                "3 booth en interlock interlock\n"
                                "3 desk en.1 mic on\n"
                                "3.2 desk en.2 mic on   # refused: en.1 holds the booth\n"
                                "3.3 booth en interlock override\n"
                                "3.4 desk en.2 mic on   # handover: en.1 goes off\n";
constexpr double kSeconds = 3.5;

// The floor's 440 Hz and en.1's 1 kHz, `frames` long.
InputSignals tones(const Tirana& t, std::uint64_t frames) {
    return {{t.floorInput, sine(440.0, kToneAmplitude, kRate, frames)},
            {t.en1Input, sine(1000.0, kToneAmplitude, kRate, frames)}};
}
constexpr std::uint64_t kMicOnFrame = 48048; // 1.001 s

std::span<const float> window(const std::vector<float>& signal, double from, double to) {
    const auto begin = static_cast<std::size_t>(from * kRate);
    const auto end = static_cast<std::size_t>(to * kRate);
    return {signal.data() + begin, end - begin};
}

// The en line-out's tone in each stretch of kScript: floor, en.1, floor, en.1, en.2 (silent).
void checkEnglishLineOut(const std::vector<float>& out) {
    REQUIRE(out.size() == static_cast<std::size_t>(kSeconds * kRate));
    struct Stretch {
        double from, to, frequency, other;
    };
    const Stretch stretches[] = {
        {0.2, 0.95, 440.0, 1000.0},
        {1.1, 1.95, 1000.0, 440.0},
        {2.1, 2.95, 440.0, 1000.0},
        {3.05, 3.35, 1000.0, 440.0},
    };
    for (const auto& s : stretches) {
        INFO("from " << s.from << " s to " << s.to << " s");
        const auto part = window(out, s.from, s.to);
        CHECK(amplitudeAt(part, s.frequency, kRate) == Approx(kToneAmplitude).epsilon(0.05));
        CHECK(amplitudeAt(part, s.other, kRate) < 0.001);
    }
    CHECK(dragoman::render::test::rms(window(out, 3.41, 3.5)) < 1e-6);
}

void writeTones(const std::filesystem::path& dir) {
    const auto frames = static_cast<std::size_t>(kSeconds * kRate);
    writeWav(dir / "floor.wav", sine(440.0, kToneAmplitude, kRate, frames), kRate, 1,
             SampleFormat::Float32);
    writeWav(dir / "en1.wav", sine(1000.0, kToneAmplitude, kRate, frames), kRate, 1,
             SampleFormat::Float32);
    std::ofstream(dir / "tones.events") << kScript;
}

RenderJob tonesJob(const Tirana& t, const std::filesystem::path& in,
                   const std::filesystem::path& out) {
    RenderJob job;
    job.venue = kTirana;
    job.inputs = {{t.floorInput, in / "floor.wav"}, {t.en1Input, in / "en1.wav"}};
    job.events = in / "tones.events";
    job.outDir = out;
    return job;
}

} // namespace

TEST_CASE("the en line-out carries the floor, the live desk, then the floor again",
          "[render][renderer]") {
    const Tirana t;
    const auto frames = static_cast<std::uint64_t>(kSeconds * kRate);
    const InputSignals inputs = tones(t, frames);
    const auto events = parseEventScript(kScript, t.venue, "tones.events");

    const auto renderLineOut = [&](std::span<const Event> script, RenderLog* log) {
        std::vector<float> out;
        const auto result = render(t.venue, inputs, script, {frames, 0},
                                   [&](int output, std::span<const float> samples) {
                                       if (output == t.enLineOut)
                                           out.insert(out.end(), samples.begin(), samples.end());
                                   });
        if (log)
            *log = result;
        return out;
    };
    RenderLog log;
    const auto out = renderLineOut(events, &log);
    checkEnglishLineOut(out);

    SECTION("the change starts at the event's exact sample, not at a block boundary") {
        const auto floorOnly = renderLineOut({}, nullptr);
        std::size_t firstDifference = 0;
        while (firstDifference < out.size() && out[firstDifference] == floorOnly[firstDifference])
            ++firstDifference;
        CHECK(firstDifference >= kMicOnFrame);
        CHECK(firstDifference <= kMicOnFrame + 1);
        CHECK(log.events.at(0).frame == kMicOnFrame);
    }

    SECTION("the log records every answer, the refusal with its holder") {
        REQUIRE(log.events.size() == 7);
        for (const std::size_t i : {0, 1, 2, 3, 5, 6}) {
            INFO("event " << i);
            CHECK(log.events[i].applied);
            CHECK(log.events[i].accepted);
            CHECK(log.events[i].reason.empty());
        }
        const auto& refused = log.events[4];
        CHECK(refused.line == 6);
        CHECK(refused.applied);
        CHECK_FALSE(refused.accepted);
        CHECK(refused.reason == "booth engaged");
        CHECK(refused.holder == t.en1);
        CHECK(log.events[6].handover == t.en1);
        CHECK(log.events[6].displaced == -1);
    }

    SECTION("the routing is logged at the start and after every change") {
        // start, mic on, mic off, interlock + mic on, override, handover
        REQUIRE(log.routing.size() == 6);
        const auto en = static_cast<std::size_t>(t.enChannel);
        CHECK(log.routing[0].frame == 0);
        CHECK(log.routing[0].state.channels.at(en).sourceDesk == -1);
        CHECK(log.routing[0].state.channels.at(en).tag == dragoman::core::QualityTag::Floor);
        CHECK(log.routing[1].lines == std::vector<int>{2});
        CHECK(log.routing[1].state.channels.at(en).sourceDesk == t.en1);
        CHECK(log.routing[1].state.channels.at(en).tag == dragoman::core::QualityTag::Plus);
        CHECK(log.routing[2].state.channels.at(en).sourceDesk == -1);
        CHECK(log.routing[3].lines == std::vector<int>{4, 5});
        CHECK(log.routing[3].time == 3.0);
        CHECK(log.routing[3].state.desks.at(static_cast<std::size_t>(t.en1)).mic);
        CHECK(log.routing[5].state.channels.at(en).sourceDesk == t.en2);
        CHECK_FALSE(log.routing[5].state.desks.at(static_cast<std::size_t>(t.en1)).mic);
    }

    SECTION("the taps were drained every block: nothing overran") {
        REQUIRE(log.taps.size() == t.venue.channels.size());
        for (const auto& tap : log.taps) {
            CHECK(tap.pushed > 0);
            CHECK(tap.overruns == 0);
        }
    }
}

TEST_CASE("the block size does not change the rendered audio", "[render][renderer]") {
    const Tirana t;
    const auto frames = static_cast<std::uint64_t>(kSeconds * kRate);
    const InputSignals inputs = tones(t, frames);
    const auto events = parseEventScript(kScript, t.venue, "tones.events");
    const auto renderAll = [&](std::size_t block) {
        std::vector<std::vector<float>> outputs(static_cast<std::size_t>(t.venue.deviceOutputs));
        render(t.venue, inputs, events, {frames, block},
               [&](int output, std::span<const float> samples) {
                   auto& out = outputs[static_cast<std::size_t>(output)];
                   out.insert(out.end(), samples.begin(), samples.end());
               });
        return outputs;
    };
    const auto reference = renderAll(128);
    for (const std::size_t block : {16, 100, 1024}) {
        INFO("block " << block);
        CHECK(renderAll(block) == reference);
    }
}

TEST_CASE("events at or after the end are logged as not applied", "[render][renderer]") {
    const Tirana t;
    const auto events = parseEventScript("0.05 desk en.1 mic on\n"
                                         "0.1 desk en.1 mic off  # exactly at the end\n"
                                         "7 desk en.2 mic on\n",
                                         t.venue, "late.events");
    const auto log = render(t.venue, {}, events, {4800, 0}, [](int, std::span<const float>) {});
    REQUIRE(log.events.size() == 3);
    CHECK(log.events[0].applied);
    CHECK(log.events[0].accepted);
    for (const std::size_t i : {1, 2}) {
        INFO("event " << i);
        CHECK_FALSE(log.events[i].applied);
        CHECK_FALSE(log.events[i].accepted);
        CHECK(log.events[i].reason == "after the end of the render");
    }
    CHECK(log.routing.size() == 2);
}

TEST_CASE("a render from files writes every output and log.json, byte-identical twice",
          "[render][renderer]") {
    const Tirana t;
    const auto in = scratchDir("job-in");
    writeTones(in);
    const auto outA = scratchDir("job-a") / "render";
    const auto outB = scratchDir("job-b") / "render";

    const auto result = run(tonesJob(t, in, outA));
    run(tonesJob(t, in, outB));

    REQUIRE(result.outputs.size() == static_cast<std::size_t>(t.venue.deviceOutputs));
    CHECK(result.outputs.at(static_cast<std::size_t>(t.enLineOut)).role == "line-out en (English)");
    CHECK(result.inputs.at(1).role == "mic en.1");
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(outA)) {
        INFO(entry.path().filename().string());
        CHECK(bytes(entry.path()) == bytes(outB / entry.path().filename()));
        ++files;
    }
    CHECK(files == result.outputs.size() + 1); // out-N.wav and log.json, no temporaries

    const auto enLineOut = outA / ("out-" + std::to_string(t.enLineOut) + ".wav");
    checkEnglishLineOut(readMono(enLineOut, kRate).samples);

    const auto log = nlohmann::json::parse(bytes(outA / "log.json"));
    CHECK(log["venue"] == t.venue.name);
    CHECK(log["sampleRate"] == kRate);
    CHECK(log["frames"] == static_cast<std::uint64_t>(kSeconds * kRate));
    CHECK(log["blockSize"] == t.venue.blockSize);
    REQUIRE(log["events"].size() == 7);
    CHECK(log["events"][0]["text"] == "1.001 desk en.1 mic on");
    CHECK(log["events"][0]["accepted"] == true);
    CHECK(log["events"][0]["reason"].is_null());
    CHECK(log["events"][4]["accepted"] == false);
    CHECK(log["events"][4]["reason"] == "booth engaged");
    CHECK(log["events"][4]["holder"] == "en.1");
    CHECK(log["events"][4]["displaced"].is_null());
    CHECK(log["events"][6]["handover"] == "en.1");
    CHECK(log["routing"][0]["channels"]["en"]["source"] == "floor");
    CHECK(log["routing"][0]["channels"]["en"]["tag"] == "floor");
    CHECK(log["routing"][1]["channels"]["en"]["source"] == "en.1");
    CHECK(log["routing"][1]["channels"]["en"]["tag"] == "+");
    CHECK(log["routing"][1]["desks"]["en.1"]["mic"] == true);
    CHECK(log["routing"][1]["desks"]["en.1"]["in"] == "floor");
    CHECK(log["meters"]["channels"]["en"]["peakDb"].is_number());
    CHECK(log["meters"]["deskMics"]["en.1"]["rmsDb"].is_number());
    CHECK(log["meters"]["floorMics"][0]["name"] == "Chair");
    CHECK(log["meters"]["limiters"].contains("mk.2"));
    CHECK(log["taps"]["en"]["overruns"] == 0);
}

TEST_CASE("bad command lines are refused naming the argument", "[render][renderer]") {
    struct Case {
        std::vector<std::string_view> arguments;
        const char* problem;
    };
    // clang-format off
    const Case cases[] = {
        {{"--out", "d", "--duration", "1"},                                  "--venue FILE is required"},
        {{"--venue", "v.json", "--duration", "1"},                           "--out DIR is required"},
        {{"--venue", "v.json", "--out", "d"},                                "give --duration or an --input"},
        {{"--venue", "v.json", "--out", "d", "--input", "2=a.wav", "--input", "2=b.wav"},
                                                                             "--input 2=b.wav: device input 2 is given twice (also a.wav)"},
        {{"--venue", "v.json", "--out", "d", "--input", "a.wav"},            "--input a.wav: expected N=FILE"},
        {{"--venue", "v.json", "--out", "d", "--input", "-1=a.wav"},         "--input -1=a.wav: expected N=FILE"},
        {{"--venue", "v.json", "--out", "d", "--input", "3="},               "--input 3=: expected N=FILE"},
        {{"--venue", "v.json", "--out", "d", "--duration", "0"},             "--duration 0: expected a number of seconds > 0"},
        {{"--venue", "v.json", "--out", "d", "--duration", "ten"},           "--duration ten"},
        {{"--venue", "v.json", "--out", "d", "--duration", "1", "--block", "8"},    "--block 8: expected frames in 16..1024"},
        {{"--venue", "v.json", "--out", "d", "--duration", "1", "--block", "2048"}, "--block 2048"},
        {{"--venue", "v.json", "--out", "d", "--duration", "1", "--format", "mp3"}, "--format mp3: expected float or pcm24"},
        {{"--venue", "v.json", "--out", "d", "--duration", "1", "--loud"},   "--loud: unknown argument"},
        {{"--venue", "v.json", "--out"},                                     "--out: missing value"},
    };
    // clang-format on
    for (const auto& c : cases) {
        INFO(c.problem);
        CHECK_THROWS_WITH(parseArguments(c.arguments), Catch::Contains(c.problem));
    }
    const std::vector<std::string_view> good = {
        "--venue=v.json", "--out", "d", "--input", "0=a.wav", "--block=64", "--format", "pcm24"};
    const auto job = parseArguments(good);
    CHECK(job.venue == "v.json");
    CHECK(job.blockSize == 64u);
    CHECK(job.format == SampleFormat::Pcm24);
    CHECK(job.inputs.at(0).first == 0);
}

TEST_CASE("a job with a bad input or event line writes nothing", "[render][renderer]") {
    const Tirana t;
    const auto in = scratchDir("job-bad");
    writeTones(in);
    const auto out = in / "render";

    auto job = tonesJob(t, in, out);
    job.inputs.emplace_back(t.venue.deviceInputs, in / "floor.wav");
    CHECK_THROWS_WITH(run(job),
                      Catch::Contains("--input " + std::to_string(t.venue.deviceInputs) + "=" +
                                      (in / "floor.wav").string() + ": device input " +
                                      std::to_string(t.venue.deviceInputs) + " is out of range"));

    job = tonesJob(t, in, out);
    job.inputs.emplace_back(5, in / "tones.events");
    CHECK_THROWS_WITH(run(job),
                      Catch::Contains((in / "tones.events").string() + ": cannot read audio"));

    job = tonesJob(t, in, out);
    std::ofstream(in / "bad.events") << "1 desk en.1 mic on\n2 desk xx.9 mic on\n";
    job.events = in / "bad.events";
    CHECK_THROWS_WITH(run(job), Catch::Contains("bad.events:2: unknown desk \"xx.9\""));

    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("dragoman-render exits with 2 and FILE:LINE on a bad event line", "[render][app]") {
    const Tirana t;
    const auto dir = scratchDir("app-bad-events");
    writeTones(dir);
    std::ofstream(dir / "bad.events") << "# ok\n1 desk en.1 mic on\n\n2 desk en.1 mic maybe\n";
    const auto binary = std::filesystem::path(DRAGOMAN_BINARY_DIR) / "app/render/dragoman-render";
    const auto stderrFile = dir / "stderr.txt";
    const std::string command = "'" + binary.string() + "' --venue '" + kTirana.string() +
                                "' --input 0='" + (dir / "floor.wav").string() + "' --events '" +
                                (dir / "bad.events").string() + "' --out '" +
                                (dir / "render").string() + "' 2> '" + stderrFile.string() + "'";
    const int status = std::system(command.c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    CHECK_THAT(bytes(stderrFile),
               Catch::Contains("bad.events:4: bad value \"maybe\" for mic (expected on or off)"));
    CHECK_FALSE(std::filesystem::exists(dir / "render"));
}

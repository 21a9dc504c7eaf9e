// Dragoman on PipeWire: the test starts its own PipeWire (a private XDG_RUNTIME_DIR, its own
// D-Bus session bus, WirePlumber for the links) with two null devices: "dragoman-test-in", a
// virtual source a tone is played into, and "dragoman-test-out", a sink whose monitor is
// recorded. `dragoman --audio jack` runs through pw-jack (PipeWire's libjack) and
// `--audio default` through PortAudio's ALSA device, ALSA's default being PipeWire (the
// test's own ~/.asoundrc). Each time the 440 Hz tone must reach the floor mic and come back
// out of the floor line-out (through pw-jack, recorded from Dragoman's port by a JACK client;
// through ALSA, into the sink), and /api/state's device must say PipeWire.
// Everything the test starts is stopped by its process id, pass or fail.
#include "e2e/DragomanProcess.h"
#include "support/ChildProcess.h"
#include "support/Signals.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

using namespace dragoman::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

void setEnv(const char* name, const std::string& value) {
    ::setenv(name, value.c_str(), 1);
}

class PipeWire {
public:
    PipeWire() {
        char tmpl[] = "/tmp/dragoman-pipewire-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        dir_ = tmpl;
        fs::create_directories(dir_ / "run");
        fs::permissions(dir_ / "run", fs::perms::owner_all);
        fs::create_directories(dir_ / "config/pipewire/pipewire.conf.d");
        fs::create_directories(dir_ / "home");
        std::ofstream(dir_ / "config/pipewire/pipewire.conf.d/dragoman-test.conf") << R"(
context.objects = [
    { factory = adapter
      args = { factory.name = support.null-audio-sink node.name = "dragoman-test-out"
               node.description = "Dragoman test sink" media.class = "Audio/Sink"
               audio.position = [ FL FR ] } }
    { factory = adapter
      args = { factory.name = support.null-audio-sink node.name = "dragoman-test-in"
               node.description = "Dragoman test source" media.class = "Audio/Source/Virtual"
               audio.position = [ FL FR ] } }
]
)";
        // ALSA's default device is PipeWire for this test's processes only.
        std::ofstream(dir_ / "home/.asoundrc")
            << "pcm.!default { type pipewire }\nctl.!default { type pipewire }\n";
        setEnv("XDG_RUNTIME_DIR", (dir_ / "run").string());
        setEnv("XDG_CONFIG_HOME", (dir_ / "config").string());
        setEnv("HOME", (dir_ / "home").string());
        const auto bus = "unix:path=" + (dir_ / "run/bus").string();
        setEnv("DBUS_SESSION_BUS_ADDRESS", bus);
        dbus_ = std::make_unique<ChildProcess>(std::vector<std::string>{"dbus-daemon", "--session",
                                                                        "--address=" + bus,
                                                                        "--nofork", "--nopidfile"},
                                               (dir_ / "dbus.log").string());
        for (int i = 0; i < 50 && !fs::exists(dir_ / "run/bus"); ++i)
            std::this_thread::sleep_for(100ms);
        pipewire_ = std::make_unique<ChildProcess>(std::vector<std::string>{"pipewire"},
                                                   (dir_ / "pipewire.log").string());
        for (int i = 0; i < 50 && !fs::exists(dir_ / "run/pipewire-0"); ++i)
            std::this_thread::sleep_for(100ms);
        wireplumber_ = std::make_unique<ChildProcess>(std::vector<std::string>{"wireplumber"},
                                                      (dir_ / "wireplumber.log").string());
        for (int i = 0; i < 100 && !hasNode("dragoman-test-out"); ++i)
            std::this_thread::sleep_for(100ms);
    }
    ~PipeWire() {
        tone_.reset();
        wireplumber_.reset();
        pipewire_.reset();
        dbus_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    bool running() const { return hasNode("dragoman-test-out") && hasNode("dragoman-test-in"); }
    std::string log() const {
        return capture("cat '" + (dir_ / "pipewire.log").string() + "' '" +
                       (dir_ / "wireplumber.log").string() + "' 2>&1 | tail -n 20");
    }
    static std::vector<float> readFloats(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        std::vector<float> samples;
        float x = 0.0f;
        while (in.read(reinterpret_cast<char*>(&x), sizeof x))
            samples.push_back(x);
        return samples;
    }
    static bool hasNode(const std::string& name) {
        return capture("pw-cli ls Node 2>/dev/null").find("\"" + name + "\"") != std::string::npos;
    }

    // A 440 Hz tone, for `seconds`, from PipeWire's JACK (a JACK client) into `port`.
    void jackTone(const std::string& port) {
        tone_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"pw-jack", "jack_metro", "-n", "tone", "-b", "60", "-D", "990",
                                     "-f", "440", "-A", "0.3"},
            (dir_ / "tone.log").string());
        // Up to 20 s: on a loaded machine a client's start through pw-jack takes seconds.
        for (int i = 0; i < 200; ++i) {
            if (std::system(
                    ("pw-jack jack_connect tone:60_bpm " + port + " 2>/dev/null").c_str()) == 0)
                return;
            std::this_thread::sleep_for(100ms);
        }
        FAIL("cannot connect the tone to " + port);
    }
    // A 440 Hz tone played into the virtual source (a PipeWire stream linked by hand).
    void streamTone() {
        const auto wav = (dir_ / "tone.wav").string();
        REQUIRE(std::system(
                    ("sox -n -r 48000 -c 2 " + wav + " synth 60 sine 440 vol 0.3").c_str()) == 0);
        tone_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"pw-cat", "--playback", "--target", "0", "-P",
                                     "{ node.name = dragoman-tone }", wav},
            (dir_ / "tone.log").string());
        for (int i = 0; i < 200; ++i) {
            if (std::system("pw-link dragoman-tone:output_FL dragoman-test-in:input_FL "
                            "2>/dev/null") == 0)
                return;
            std::this_thread::sleep_for(100ms);
        }
        FAIL("cannot link the tone to dragoman-test-in");
    }
    // The sink's monitor (what Dragoman plays into it) for `seconds`: its left channel.
    std::vector<float> recordSink(int seconds) {
        const auto wav = (dir_ / "sink.wav").string();
        return record("pw-record", wav,
                      "timeout " + std::to_string(seconds) +
                          " pw-record --target dragoman-test-out " + wav);
    }
    // Dragoman's own JACK port `port` for `seconds`, recorded by a PipeWire JACK client (no
    // session manager between them): the samples.
    std::vector<float> recordJackPort(const std::string& port, int seconds) {
        const auto wav = (dir_ / "port.wav").string();
        return record("jack_rec", wav,
                      "pw-jack jack_rec -f " + wav + " -d " + std::to_string(seconds) + " " + port);
    }
    // What the recordings were, the links of `node`'s ports, and pw-record's errors.
    std::string diagnosis(const std::string& node) const {
        return recordings_ + "\nlinks: " +
               capture("pw-link -l 2>&1 | grep -A2 -e '" + node +
                       "' -e dragoman-test-out | "
                       "head -n 30") +
               "\npw-record: " + capture("tail -n 5 '" + (dir_ / "record.log").string() + "' 2>&1");
    }

private:
    // Runs `command`, which records into `wav`; its left channel, and what it got in the
    // diagnosis (`what`'s exit status and sample count).
    std::vector<float> record(const std::string& what, const std::string& wav,
                              const std::string& command) {
        const auto raw = wav + ".f32";
        std::error_code ec;
        fs::remove(wav, ec);
        fs::remove(raw, ec);
        const int status =
            std::system((command + " >>'" + (dir_ / "record.log").string() + "' 2>&1").c_str());
        std::system(("sox " + wav + " -t f32 -c 1 " + raw + " remix 1 2>/dev/null").c_str());
        auto samples = readFloats(raw);
        recordings_ += what + " exit " + std::to_string(WEXITSTATUS(status)) + ", " +
                       std::to_string(samples.size()) + " samples; ";
        return samples;
    }

    fs::path dir_;
    std::string recordings_;
    std::unique_ptr<ChildProcess> dbus_, pipewire_, wireplumber_, tone_;
};

double level440(const std::vector<float>& x) {
    return x.size() < 4800 ? -200.0 : toDb(toneAmplitude(x, 440.0, x.size() / 4, x.size()));
}

// The tone's level in the sink's monitor: the best of up to three 3-second recordings, for
// WirePlumber links the new client's ports to the sink in its own time (seconds when the
// machine is loaded).
double heardAtSink(PipeWire& pipewire) {
    double heard = -200.0;
    for (int attempt = 0; attempt < 3 && heard <= -30.0; ++attempt)
        heard = std::max(heard, level440(pipewire.recordSink(3)));
    return heard;
}

bool floorHearsTone(const json& s) {
    return s["floorMics"][0]["meters"]["rmsDb"].is_number() &&
           s["floorMics"][0]["meters"]["rmsDb"].get<double>() > -30.0;
}

} // namespace

TEST_CASE("On PipeWire through pw-jack, a tone is routed and the device says PipeWire",
          "[e2e][pipewire]") {
    PipeWire pipewire;
    {
        INFO(pipewire.log());
        REQUIRE(pipewire.running());
    }
    Dragoman router({"--audio", "jack"}, {"pw-jack"});
    router.waitFor([](const json& s) { return onDevice(s); }, 15s);
    const auto s = router.state();
    {
        INFO(router.output());
        REQUIRE(onDevice(s));
    }
    CHECK_THAT(s["device"]["hostApi"].get<std::string>(), Catch::Contains("PipeWire"));
    pipewire.jackTone(port("in_0"));
    router.waitFor(floorHearsTone, 20s);
    CHECK(floorHearsTone(router.state()));
    // The floor line-out (out_0) recorded as a JACK client hears it: the sink's monitor is not
    // used here, for under the parallel suite its recordings once came back empty three times
    // over while Dragoman's port carried the tone (the session manager's links are not ours).
    double heard = -200.0;
    for (int attempt = 0; attempt < 3 && heard <= -30.0; ++attempt)
        heard = std::max(heard, level440(pipewire.recordJackPort(port("out_0"), 2)));
    INFO("out_0 at 440 Hz: " << heard << " dBFS; " << pipewire.diagnosis(kClient));
    INFO(router.output());
    CHECK(heard > -30.0);
}

TEST_CASE("On PipeWire through PortAudio's ALSA default device, a tone is routed and the "
          "device says PipeWire",
          "[e2e][pipewire]") {
    PipeWire pipewire;
    {
        INFO(pipewire.log());
        REQUIRE(pipewire.running());
    }
    Dragoman router({"--audio", "default"});
    router.waitFor([](const json& s) { return onDevice(s); }, 15s);
    const auto s = router.state();
    {
        INFO(router.output());
        REQUIRE(onDevice(s));
    }
    CHECK(s["device"]["hostApi"] == "ALSA");
    CHECK(s["device"]["device"] == "default (on PipeWire)");
    pipewire.streamTone();
    router.waitFor(floorHearsTone, 20s);
    CHECK(floorHearsTone(router.state()));
    const double heard = heardAtSink(pipewire);
    INFO("sink monitor at 440 Hz: " << heard << " dBFS; " << pipewire.diagnosis("dragoman"));
    INFO(router.output());
    CHECK(heard > -30.0);
}

// End to end: a headless start that probes the audio devices (PortAudio's ALSA and JACK host
// APIs, --audio default) prints Dragoman's banner and no ALSA or JACK library lines; with
// --verbose the libraries' own lines are there. The JACK server named here does not exist, so
// libjack always has something to say; ALSA has when the machine has no sound card.
#include "e2e/DragomanProcess.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace dragoman::test;
using namespace std::chrono_literals;

namespace {

// JACK_DEFAULT_SERVER set to a server that does not run, for the test's lifetime.
struct NoJackServer {
    NoJackServer() {
        const char* old = std::getenv("JACK_DEFAULT_SERVER");
        saved = old != nullptr ? std::optional<std::string>(old) : std::nullopt;
        const auto name = "dragoman-e2e-none-" + std::to_string(::getpid());
        ::setenv("JACK_DEFAULT_SERVER", name.c_str(), 1);
    }
    ~NoJackServer() {
        if (saved)
            ::setenv("JACK_DEFAULT_SERVER", saved->c_str(), 1);
        else
            ::unsetenv("JACK_DEFAULT_SERVER");
    }
    std::optional<std::string> saved;
};

bool noSoundCard() {
    std::ifstream cards("/proc/asound/cards");
    std::string text((std::istreambuf_iterator<char>(cards)), std::istreambuf_iterator<char>());
    return !cards.is_open() || text.find("no soundcards") != std::string::npos;
}

// The lines ALSA's and JACK's libraries print by themselves.
bool isAlsaLine(const std::string& line) {
    return line.rfind("ALSA lib ", 0) == 0;
}
bool isJackLine(const std::string& line) {
    return line.find("Cannot connect to server") != std::string::npos ||
           line.find("jack server is not running") != std::string::npos ||
           line.rfind("JackShm", 0) == 0;
}

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// Starts dragoman --audio default (plus `extra`), waits until its API answers and returns
// everything it printed (stdout and stderr, in order) and its state.
std::pair<std::string, json> start(std::vector<std::string> extra) {
    extra.insert(extra.begin(), {"--audio", "default"});
    Dragoman dragoman(extra);
    dragoman.waitFor([](const json& s) { return s.contains("device"); }, 10s);
    const auto state = dragoman.state();
    dragoman.process().stop();
    return {dragoman.output(), state};
}

} // namespace

TEST_CASE("A headless start that probes the devices prints its banner and no ALSA or JACK lines") {
    const NoJackServer noServer;
    const auto [output, state] = start({});
    INFO(output);
    REQUIRE_FALSE(state.is_null());
    const auto lines = linesOf(output);
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.front().rfind("Dragoman", 0) == 0); // the banner comes first
    for (const auto& line : lines) {
        CHECK_FALSE(isAlsaLine(line));
        CHECK_FALSE(isJackLine(line));
    }
    if (noSoundCard()) {
        // The libraries' first word explains the failure in the device status.
        CHECK(state["device"]["clock"] == "virtual");
        CHECK_THAT(state["device"]["lastError"].get<std::string>(),
                   Catch::Contains("ALSA: cannot find card"));
    }
}

TEST_CASE("With --verbose the ALSA and JACK libraries' own lines are printed") {
    const NoJackServer noServer;
    const auto [output, state] = start({"--verbose"});
    INFO(output);
    REQUIRE_FALSE(state.is_null());
    const auto lines = linesOf(output);
    CHECK(std::any_of(lines.begin(), lines.end(), isJackLine));
    if (noSoundCard())
        CHECK(std::any_of(lines.begin(), lines.end(), isAlsaLine));
}

// The `dragoman` binary with its console (no --headless), on Qt's offscreen platform: it opens
// the console on the demo and serves the HTTP API beside it, refuses a desk the venue does not
// have, and exits cleanly on SIGTERM.
#include "support/ChildProcess.h"
#include "support/Http.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

using namespace dragoman;
using namespace std::chrono_literals;

namespace {

std::string binary() {
    return std::string(DRAGOMAN_BINARY_DIR) + "/app/dragoman/dragoman";
}

std::string venueFile() {
    return std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/tirana.json";
}

std::string logFile(int port) {
    return std::string(DRAGOMAN_BINARY_DIR) + "/tests/ui/dragoman-console-" + std::to_string(port) +
           ".log";
}

// Polls `url` until its body contains `text` or `limit` passes.
bool waitForBody(const std::string& url, const std::string& text, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (test::http("GET", url).body.find(text) != std::string::npos)
            return true;
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

} // namespace

TEST_CASE("dragoman without --headless opens the console on the demo and serves the API") {
    const std::string desk = GENERATE(std::string(), std::string("en.1"));
    INFO("--desk " << desk);
    const int port = test::freeLoopbackPort();
    std::vector<std::string> argv{
        binary(),  "--demo",    "--audio", "virtual",
        "--venue", venueFile(), "--http",  "127.0.0.1:" + std::to_string(port)};
    if (!desk.empty()) {
        argv.push_back("--desk");
        argv.push_back(desk);
    }
    test::ChildProcess dragoman(argv, logFile(port));
    const std::string state = "http://127.0.0.1:" + std::to_string(port) + "/api/state";
    // The demo's script takes a desk live within its first seconds.
    CHECK(waitForBody(state, "\"live\":true", 15s));
    INFO(dragoman.output());
    CHECK(dragoman.output().find("demo: a 80 s scripted session") != std::string::npos);
    REQUIRE(dragoman.running());
    const int status = dragoman.stop(5000ms);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("dragoman --desk refuses a desk the venue does not have") {
    const int port = test::freeLoopbackPort();
    test::ChildProcess dragoman({binary(), "--audio", "virtual", "--venue", venueFile(), "--http",
                                 "127.0.0.1:" + std::to_string(port), "--desk", "xx.9"},
                                logFile(port));
    const auto end = std::chrono::steady_clock::now() + 10s;
    while (dragoman.running() && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(20ms);
    const int status = dragoman.stop();
    INFO(dragoman.output());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    CHECK(dragoman.output().find("the venue has no desk \"xx.9\"") != std::string::npos);
}

// The running settings survive a crash: the real `dragoman --headless` binary is set up
// through the HTTP API, killed with SIGKILL, and started again on the same state file; it
// comes back with every kept setting and every mic off, and says so. A corrupt state file is
// reported and ignored; a clean stop starts the next run from the venue.
#include "e2e/DragomanProcess.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace dragoman::test;
using nlohmann::json;

namespace {

std::filesystem::path stateFile(const std::string& name) {
    const auto dir =
        std::filesystem::path(DRAGOMAN_BINARY_DIR) / "tests/e2e/state" / std::to_string(::getpid());
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / name);
    return dir / name;
}

std::vector<std::string> args(const std::filesystem::path& state) {
    return {"--audio", "virtual", "--state", state.string()};
}

bool ready(const json& s) {
    return s.contains("session") && s["device"]["state"] == "running";
}

json readFile(const std::filesystem::path& file) {
    std::ifstream in(file);
    return in ? json::parse(in, nullptr, false) : json();
}

// Every setting the file keeps, changed from the venue's default, through the API.
struct Change {
    std::string path;
    json body;
};
const std::vector<Change> kChanges = {
    {"/booths/en", {{"interlock", "interlock"}}},
    {"/booths/sq", {{"autorelay", true}}},
    {"/channels/mk", {{"autofloor", false}}},
    {"/channels/floor", {{"trim", -3}}},
    {"/channels/en", {{"trim", 2.5}}},
    {"/inputs/2", {{"trim", 4}}},
    {"/desks/en/1", {{"out", "B"}, {"in", "mk"}, {"volume", -6}, {"bass", 3}, {"treble", -2}}},
    {"/desks/bsm/2", {{"in", "en"}, {"volume", -12}}},
    {"/desks/en/2", {{"mic", true}}},
    {"/desks/mk/1", {{"mic", true}}},
    {"/monitor", {{"desk", "sq.1"}}},
};

// The kept settings as /api/state shows them, and whether they are the changed ones.
void requireChanged(const json& s) {
    CHECK(s["booths"]["en"]["interlock"] == "interlock");
    CHECK(s["booths"]["sq"]["autoRelay"] == true);
    CHECK(s["channels"]["mk"]["autoFloor"] == false);
    CHECK(s["channels"]["floor"]["trimDb"] == Approx(-3));
    CHECK(s["channels"]["en"]["trimDb"] == Approx(2.5));
    CHECK(s["inputTrimsDb"][2] == Approx(4));
    const auto& en1 = s["desks"]["en.1"];
    CHECK(en1["out"] == "B");
    CHECK(en1["in"] == "mk");
    CHECK(en1["volume"] == Approx(-6));
    CHECK(en1["bass"] == Approx(3));
    CHECK(en1["treble"] == Approx(-2));
    CHECK(s["desks"]["bsm.2"]["in"] == "en");
    CHECK(s["desks"]["bsm.2"]["volume"] == Approx(-12));
    CHECK(s["monitor"]["source"] == "desk");
    CHECK(s["monitor"]["id"] == "sq.1");
}

int micsOn(const json& s) {
    int on = 0;
    for (const auto& [id, desk] : s["desks"].items())
        on += desk["mic"] == true;
    return on;
}

} // namespace

TEST_CASE("After kill -9 a restart restores every kept setting, with every mic off",
          "[e2e][session]") {
    TokenEnvironment token;
    const auto file = stateFile("kill.json");
    json before;
    {
        Dragoman first(args(file));
        first.waitFor(ready, 10s);
        for (const auto& change : kChanges)
            REQUIRE(first.post(change.path, change.body).status == 200);
        before = first.state();
        requireChanged(before);
        REQUIRE(micsOn(before) == 2);
        // Written within the save delay: wait for the file to hold the last change.
        const auto start = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - start < 5s &&
               readFile(file).value("monitor", json()).value("desk", "") != "sq.1")
            std::this_thread::sleep_for(50ms);
        const auto kept = readFile(file);
        REQUIRE(kept["running"] == true);
        REQUIRE(kept["desks"]["en.1"]["out"] == "B");
        REQUIRE(::kill(first.process().pid(), SIGKILL) == 0);
        const auto killed = std::chrono::steady_clock::now();
        while (first.process().running() && std::chrono::steady_clock::now() - killed < 5s)
            std::this_thread::sleep_for(10ms);
        REQUIRE_FALSE(first.process().running());
    }
    Dragoman second(args(file));
    second.waitFor([](const json& s) { return ready(s) && s["session"]["restored"] > 0; }, 10s);
    const auto after = second.state();
    INFO(second.output());
    REQUIRE(after["session"]["error"].is_null());
    CHECK(after["session"]["problems"].empty());
    requireChanged(after);
    CHECK(micsOn(after) == 0);
    CHECK(after["booths"]["en"]["liveDesk"].is_null());
    // It says so: the event lines on its output, the count in /api/state.
    second.waitFor(
        [&](const json&) { return second.output().find("every mic is off") != std::string::npos; },
        3s);
    CHECK(second.output().find("had not stopped cleanly") != std::string::npos);
    CHECK(second.output().find("every mic is off") != std::string::npos);
    CHECK(after["session"]["restored"].get<int>() >= 15);
}

TEST_CASE("A corrupt state file is reported and ignored, and replaced by a good one",
          "[e2e][session]") {
    TokenEnvironment token;
    const auto file = stateFile("corrupt.json");
    for (const std::string& text :
         {std::string("{\"format\": \"dragoman-session-state\", \"version\": 1, \"desks\": {"),
          std::string("\x00\xff garbage", 10), std::string("{\"format\": \"something else\"}")}) {
        std::ofstream(file, std::ios::binary) << text;
        Dragoman router(args(file));
        router.waitFor(ready, 10s);
        const auto s = router.state();
        INFO(router.output());
        REQUIRE(s["device"]["state"] == "running");
        REQUIRE(s["session"]["error"].is_string());
        CHECK(s["session"]["restored"] == 0);
        CHECK(router.output().find("ignored") != std::string::npos);
        CHECK(s["booths"]["en"]["interlock"] == "override"); // the venue's
        // The router still keeps its settings: the file is good again.
        REQUIRE(router.post("/channels/en", {{"trim", -1}}).status == 200);
        router.waitFor([&](const json&) { return readFile(file).is_object(); }, 3s);
        CHECK(readFile(file)["format"] == "dragoman-session-state");
    }
}

TEST_CASE("After a clean stop the next start begins from the venue", "[e2e][session]") {
    TokenEnvironment token;
    const auto file = stateFile("clean.json");
    {
        Dragoman first(args(file));
        first.waitFor(ready, 10s);
        REQUIRE(first.post("/channels/mk", {{"autofloor", false}}).status == 200);
        std::this_thread::sleep_for(600ms);
        REQUIRE(first.process().stop() == 0);
        const auto kept = readFile(file);
        CHECK(kept["running"] == false);
        CHECK(kept["channels"]["mk"]["autofloor"] == false);
    }
    Dragoman second(args(file));
    second.waitFor(ready, 10s);
    const auto s = second.state();
    CHECK(s["session"]["restored"] == 0);
    CHECK(s["channels"]["mk"]["autoFloor"] == true);
}

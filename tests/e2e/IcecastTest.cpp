// End to end with Icecast: the real `dragoman --headless` binary pushes every channel to a real
// icecast2 on loopback (its own config, tests/support/IcecastServer.h), and ffmpeg pulls the
// mounts as any listener would.
#include "e2e/DragomanProcess.h"
#include "support/ChildProcess.h"
#include "support/IcecastServer.h"
#include "support/JackPeer.h"
#include "support/JackServer.h"
#include "support/Signals.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace dragoman;
using namespace dragoman::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string kPassword = "icecast-e2e-" + std::to_string(::getpid());

// The Tirana venue pushing to `icecast`; removed when the test ends.
class IcecastVenue {
public:
    explicit IcecastVenue(const IcecastServer& icecast)
        : file_(std::string(DRAGOMAN_BINARY_DIR) + "/tests/e2e/icecast-" +
                std::to_string(icecast.port()) + ".json") {
        auto venue = json::parse(std::ifstream(tirana()));
        venue["icecast"] = {
            {"host", "127.0.0.1"}, {"port", icecast.port()}, {"password", icecast.password()}};
        std::ofstream(file_) << venue.dump(2);
    }
    ~IcecastVenue() { std::remove(file_.c_str()); }
    const std::string& file() const { return file_; }

private:
    std::string file_;
};

json mounts(const Dragoman& dragoman) {
    const auto state = dragoman.state();
    return state.is_null() ? json::array() : state["icecast"]["mounts"];
}

bool allStreaming(const json& state) {
    const auto& list = state["icecast"]["mounts"];
    if (!list.is_array() || list.size() != 5)
        return false;
    for (const auto& mount : list)
        if (mount["state"] != "streaming")
            return false;
    return true;
}

// What ffmpeg decodes from an Icecast mount in `seconds`, mono float samples.
std::vector<float> pull(const std::string& url, double seconds) {
    const std::string pcm = capture("timeout 20 ffmpeg -v error -i " + url + " -t " +
                                    std::to_string(seconds) + " -ac 1 -f f32le - 2>/dev/null");
    std::vector<float> samples(pcm.size() / sizeof(float));
    std::memcpy(samples.data(), pcm.data(), samples.size() * sizeof(float));
    return samples;
}

} // namespace

TEST_CASE("Every channel is pushed to its Icecast mount and a player pulls the routed tone") {
    JackServer server;
    TokenEnvironment token;
    IcecastServer icecast(kPassword);
    const IcecastVenue venue(icecast);
    Dragoman dragoman({"--audio", "jack", "--venue", venue.file()});
    dragoman.waitFor([](const json& s) { return onDevice(s) && allStreaming(s); }, 15s);
    INFO(dragoman.output() << icecast.log());
    REQUIRE(allStreaming(dragoman.state()));
    CHECK(dragoman.output().find("icecast: 127.0.0.1, mounts /CODE.opus") != std::string::npos);

    // Floor 440 Hz; en.1's mic 1 kHz, live on English.
    JackPeer peer("tones", {sine(440, -20, 48000), sine(1000, -20, 48000)}, 0, 0);
    peer.connect(peer.outputPort(0), port("in_0"));
    peer.connect(peer.outputPort(1), port("in_2"));
    REQUIRE(dragoman.post("/desks/en/1", {{"mic", true}}).status == 200);
    std::this_thread::sleep_for(300ms);

    const std::vector<std::pair<std::string, double>> rows{
        {"/en.opus", 1000}, {"/floor.opus", 440}, {"/mk.opus", 440}};
    for (const auto& [mount, hz] : rows) {
        const auto x = pull(icecast.url(mount), 1.5);
        INFO(mount << ": " << x.size() << " samples");
        REQUIRE(x.size() >= 60000);
        const auto level = [&](double f) {
            return toDb(toneAmplitude(x, f, x.size() / 4, x.size()));
        };
        const double other = hz == 440 ? 1000 : 440;
        CHECK(level(hz) > -26.0); // sent at -20 dBFS through Opus at 32 kb/s (and a busy machine)
        CHECK(level(other) < level(hz) - 25.0);
    }
    for (const auto& mount : mounts(dragoman)) {
        CHECK(mount["connects"] == 1);
        CHECK(mount["bytesSent"].get<std::int64_t>() > 4000);
    }
}

TEST_CASE("When Icecast goes away the push says why and resumes on its own once it is back") {
    IcecastServer icecast(kPassword);
    const IcecastVenue venue(icecast);
    Dragoman dragoman({"--audio", "virtual", "--demo", "--venue", venue.file()});
    dragoman.waitFor(allStreaming, 15s);
    INFO(dragoman.output() << icecast.log());
    REQUIRE(allStreaming(dragoman.state()));

    icecast.stop();
    dragoman.waitFor(
        [](const json& s) {
            for (const auto& mount : s["icecast"]["mounts"])
                if (mount["state"] == "streaming" || mount["lastError"].is_null())
                    return false;
            return true;
        },
        5s);
    for (const auto& mount : mounts(dragoman)) {
        INFO(mount.dump());
        CHECK(mount["state"] != "streaming");
        CHECK(mount["lastError"].is_string());
        CHECK(mount["failures"].get<int>() >= 1);
    }

    icecast.start(); // the same port
    const auto took = dragoman.waitFor(
        [](const json& s) {
            if (!allStreaming(s))
                return false;
            for (const auto& mount : s["icecast"]["mounts"])
                if (mount["connects"] != 2)
                    return false;
            return true;
        },
        20s);
    INFO("back after " << took.count() << " ms");
    REQUIRE(allStreaming(dragoman.state()));
    for (const auto& mount : mounts(dragoman)) {
        CHECK(mount["connects"] == 2);
        CHECK(mount["lastError"].is_null());
    }
    CHECK(pull(icecast.url("/sq.opus"), 1.0).size() >= 40000);
}

TEST_CASE("A wrong source password is refused by Icecast, reported with its answer and retried") {
    IcecastServer icecast(kPassword);
    const IcecastVenue venue(icecast);
    ::setenv("DRAGOMAN_ICECAST_PASSWORD", "not-the-password", 1);
    Dragoman dragoman({"--audio", "virtual", "--venue", venue.file()});
    ::unsetenv("DRAGOMAN_ICECAST_PASSWORD");
    // Attempts at 0 s and after 1 s: two refusals each within about 1.5 s.
    dragoman.waitFor(
        [](const json& s) {
            for (const auto& mount : s["icecast"]["mounts"])
                if (mount["failures"].get<int>() < 2)
                    return false;
            return s["icecast"]["mounts"].size() == 5;
        },
        8s);
    INFO(dragoman.output() << icecast.log());
    const auto list = mounts(dragoman);
    REQUIRE(list.size() == 5);
    for (const auto& mount : list) {
        INFO(mount.dump());
        CHECK(mount["connects"] == 0);
        CHECK(mount["failures"].get<int>() >= 2);
        CHECK(mount["state"] != "streaming");
        CHECK_THAT(mount["lastError"].get<std::string>(), Catch::Contains("401"));
    }
}

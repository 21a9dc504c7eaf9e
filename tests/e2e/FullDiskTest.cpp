// A full disk while recording: `dragoman --headless --demo --record` on a small tmpfs that the
// test mounts (and unmounts, pass or fail) and nearly fills. The recording stops with an alarm
// in /api/state and on the router's output; audio, the listeners' server and the API carry on;
// the files already written stay playable (ffprobe and a full decode by ffmpeg, opusinfo); and
// once space is back the recording goes on in new files (en-2.opus, …) that play too.
#include "e2e/DragomanProcess.h"
#include "support/ChildProcess.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/statvfs.h>

using namespace dragoman::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A tmpfs of `size` at a fresh folder, unmounted and removed when the test ends.
struct SmallDisk {
    fs::path dir;
    bool mounted = false;
    explicit SmallDisk(const std::string& size) {
        char tmpl[] = "/tmp/dragoman-full-disk-XXXXXX";
        if (::mkdtemp(tmpl) == nullptr)
            return;
        dir = tmpl;
        mounted = std::system(
                      ("mount -t tmpfs -o size=" + size + " tmpfs " + dir.string() + " 2>/dev/null")
                          .c_str()) == 0;
    }
    ~SmallDisk() {
        if (mounted)
            std::system(("umount " + dir.string() + " || umount -l " + dir.string()).c_str());
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::uint64_t freeBytes() const {
        struct statvfs s {};
        ::statvfs(dir.c_str(), &s);
        return static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize;
    }
};

// What ffprobe says a file lasts (s), -1 when it cannot read it; and whether ffmpeg decodes it
// to the end without an error.
double duration(const fs::path& file) {
    const auto out = capture("ffprobe -v error -show_entries format=duration -of csv=p=0 '" +
                             file.string() + "' 2>&1");
    char* end = nullptr;
    const double d = std::strtod(out.c_str(), &end);
    return end != out.c_str() ? d : -1.0;
}
bool decodesCleanly(const fs::path& file) {
    return capture("ffmpeg -nostdin -v error -i '" + file.string() +
                   "' -f null - 2>&1; echo rc=$?") == "rc=0\n";
}
// opusinfo reads the whole stream, and warns of nothing but the missing end-of-stream mark of
// a file that was cut (as after a crash: "normal for live streams").
bool opusinfoReads(const fs::path& file, bool cut) {
    const auto out = capture("opusinfo '" + file.string() + "' 2>&1");
    std::size_t warnings = 0;
    for (auto at = out.find("WARNING"); at != std::string::npos; at = out.find("WARNING", at + 1))
        ++warnings;
    const bool eosWarning = out.find("WARNING: EOS not set") != std::string::npos;
    return out.find("Playback length") != std::string::npos &&
           out.find("ERROR") == std::string::npos && warnings == (cut && eosWarning ? 1u : 0u);
}

} // namespace

TEST_CASE("A full disk stops the recording with an alarm, the rest carries on, and recording "
          "goes on in new files when space is back",
          "[e2e][record]") {
    TokenEnvironment token;
    SmallDisk disk("64m");
    if (!disk.mounted)
        FAIL("cannot mount a tmpfs (the test needs root)");
    // Leave room for a few seconds of recording only.
    const auto filler = disk.dir / "filler";
    {
        const auto keep = std::uint64_t{160} * 1024;
        std::ofstream out(filler, std::ios::binary);
        const std::vector<char> block(1 << 20, 'x');
        while (disk.freeBytes() > keep + block.size())
            out.write(block.data(), static_cast<std::streamsize>(block.size())), out.flush();
        std::vector<char> rest(disk.freeBytes() - keep, 'x');
        out.write(rest.data(), static_cast<std::streamsize>(rest.size()));
    }
    REQUIRE(disk.freeBytes() < 400 * 1024);

    const int listenPort = freeLoopbackPortPair();
    const auto recordings = disk.dir / "rec";
    Dragoman router({"--audio", "virtual", "--demo", "--record", recordings.string(), "--listen",
                     "127.0.0.1:" + std::to_string(listenPort)});
    router.waitFor([](const json& s) { return s.contains("recording"); }, 10s);
    REQUIRE(router.state()["recording"]["recording"] == true);

    // The disk fills: the recording stops, with an alarm.
    router.waitFor([](const json& t) { return t["recording"]["recording"] == false; }, 60s);
    auto s = router.state();
    INFO(router.output());
    REQUIRE(s["recording"]["recording"] == false);
    REQUIRE(s["recording"]["alarm"].is_string());
    CHECK(s["recording"]["alarm"].get<std::string>().find("No space left") != std::string::npos);
    CHECK(s["recording"]["stops"] == 1);
    router.waitFor(
        [&](const json&) { return router.output().find("recording stopped") != std::string::npos; },
        3s);
    CHECK(router.output().find("recording stopped") != std::string::npos);

    // Everything else carries on: the engine runs, the demo speaks, the API takes writes, the
    // listeners' server answers, the packets are counted as lost.
    const auto frames = s["engine"]["frames"].get<std::int64_t>();
    std::this_thread::sleep_for(1s);
    s = router.state();
    CHECK(s["engine"]["frames"].get<std::int64_t>() > frames + 24000);
    CHECK(s["device"]["state"] == "running");
    CHECK(router.post("/channels/mk", {{"trim", -2}}).status == 200);
    const auto channels =
        http("GET", "http://127.0.0.1:" + std::to_string(listenPort) + "/channels.json");
    CHECK(channels.status == 200);
    CHECK(s["recording"]["lost"].get<std::int64_t>() > 0);
    double loudest = -200;
    for (const auto& [code, channel] : s["channels"].items())
        if (channel["meters"]["rmsDb"].is_number())
            loudest = std::max(loudest, channel["meters"]["rmsDb"].get<double>());
    CHECK(loudest > -50.0); // the demo's speech is on the channels

    // What was written plays: every channel's first part, cut at its last whole page.
    const auto folder = fs::path(s["recording"]["folder"].get<std::string>());
    int played = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
        INFO(entry.path());
        CHECK(duration(entry.path()) >= 0.0);
        CHECK(decodesCleanly(entry.path()));
        CHECK(opusinfoReads(entry.path(), true));
        played += duration(entry.path()) > 0.5;
    }
    CHECK(played >= 1);

    // Space comes back: recording goes on in new files, part 2.
    fs::remove(filler);
    router.waitFor([](const json& t) { return t["recording"]["recording"] == true; }, 10s);
    s = router.state();
    REQUIRE(s["recording"]["recording"] == true);
    CHECK(s["recording"]["part"] == 2);
    CHECK(s["recording"]["resumes"] == 1);
    router.waitFor(
        [&](const json&) {
            return router.output().find("going on in part 2") != std::string::npos;
        },
        3s);
    CHECK(router.output().find("going on in part 2") != std::string::npos);
    std::this_thread::sleep_for(3s);
    REQUIRE(router.process().stop() == 0);
    for (const char* code : {"floor", "en", "sq", "bsm", "mk"}) {
        const auto part2 = folder / (std::string(code) + "-2.opus");
        INFO(part2);
        REQUIRE(fs::exists(part2));
        CHECK(duration(part2) > 2.0);
        CHECK(decodesCleanly(part2));
        CHECK(opusinfoReads(part2, false));
    }
}

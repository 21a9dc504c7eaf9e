// The committed clips decode, sound like speech and are small; bad clips are refused by name.
#include "demo/DemoClips.h"

#include "demo/DemoSession.h"
#include "support/EngineHarness.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;
using dragoman::demo::decodeOpusFile;
using dragoman::demo::DemoClipError;
using dragoman::demo::DemoClips;

namespace {

const fs::path kDemo = fs::path(DRAGOMAN_SOURCE_DIR) / "resources" / "demo";
const fs::path kClips = kDemo / "clips";

// A fresh folder under the system's temporary folder, removed afterwards.
struct TempDir {
    TempDir() {
        auto pattern = (fs::temp_directory_path() / "dragoman-demo-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path path;
};

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary) << bytes;
}

double rmsDb(const std::vector<float>& x) {
    double sum = 0.0;
    for (float v : x)
        sum += static_cast<double>(v) * v;
    return 10.0 * std::log10(std::max(sum / static_cast<double>(x.size()), 1e-20));
}

float peak(const std::vector<float>& x) {
    float p = 0.0f;
    for (float v : x)
        p = std::max(p, std::abs(v));
    return p;
}

std::vector<fs::path> committedClips() {
    std::vector<fs::path> clips;
    for (const auto& entry : fs::directory_iterator(kClips))
        if (entry.path().extension() == ".opus")
            clips.push_back(entry.path());
    std::sort(clips.begin(), clips.end());
    return clips;
}

} // namespace

TEST_CASE("Every committed clip decodes to 48 kHz speech of a sensible length and level") {
    const auto clips = committedClips();
    REQUIRE(clips.size() >= 6); // floor en and sq, one per booth language
    for (const auto& clip : clips) {
        INFO(clip.filename().string());
        const auto samples = decodeOpusFile(clip);
        const double seconds = static_cast<double>(samples.size()) / DemoClips::kSampleRate;
        CHECK(seconds > 3.0);
        CHECK(seconds < 40.0);
        CHECK(rmsDb(samples) > -45.0); // speech, not silence
        CHECK(rmsDb(samples) < -20.0);
        CHECK(peak(samples) > 0.1f);  // about -12 dBFS, as make-clips.sh normalises
        CHECK(peak(samples) < 0.35f); // below the headphone limiters' -10 dBFS ceiling
    }
}

TEST_CASE("The clips folder holds every clip the live session needs, and stays small") {
    const auto venue = dragoman::test::tirana();
    const dragoman::demo::DemoSession session(venue, kDemo / "live.events");
    const auto names = session.clipNames();
    for (const char* needed :
         {"floor-en", "floor-sq", "booth-en", "booth-sq", "booth-bsm", "booth-mk"})
        CHECK(std::find(names.begin(), names.end(), needed) != names.end());
    const DemoClips clips(kClips, names);
    CHECK(clips.names().size() == names.size());
    for (const auto& name : names)
        CHECK(clips.samples(name).size() > 48000u);

    std::uintmax_t bytes = 0;
    for (const auto& entry : fs::directory_iterator(kClips))
        bytes += entry.file_size();
    CHECK(bytes < 600u * 1024u);
}

TEST_CASE("The same clip decodes to the same samples every time") {
    const auto file = kClips / "floor-en.opus";
    CHECK(decodeOpusFile(file) == decodeOpusFile(file));
}

TEST_CASE("A missing, empty, corrupt or foreign clip is refused with the file's name") {
    TempDir dir;
    const std::string good = readBytes(kClips / "booth-en.opus");
    REQUIRE(good.size() > 30000);

    struct Case {
        const char* name;
        std::string bytes; // written to the file, except for missing.opus
        const char* problem;
    };
    std::string scrambled = good;
    std::fill(scrambled.begin() + 20000, scrambled.begin() + 21000, '\x55');
    std::string badHeader = good;
    std::fill(badHeader.begin() + 60, badHeader.begin() + 200, '\0');
    const Case cases[] = {
        {"missing.opus", "", "no such file"},
        {"empty.opus", std::string(), "not an Ogg Opus file"},
        {"text.opus", "this is not audio\n", "not an Ogg Opus file"},
        {"header-only.opus", good.substr(0, 200), "bad Opus header"},
        {"bad-header.opus", badHeader, "bad Opus header"},
        {"scrambled.opus", scrambled, "cannot decode"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        const auto file = dir.path / c.name;
        if (std::string(c.name) != "missing.opus")
            writeBytes(file, c.bytes);
        try {
            (void)decodeOpusFile(file);
            FAIL("accepted");
        } catch (const DemoClipError& error) {
            CHECK(error.file() == file.string());
            CHECK_THAT(error.what(), Catch::Contains(file.string()));
            CHECK_THAT(error.problem(), Catch::Contains(c.problem));
        }
    }
}

TEST_CASE("DemoClips names the file of a clip it cannot find") {
    TempDir dir;
    fs::copy_file(kClips / "floor-en.opus", dir.path / "floor-en.opus");
    try {
        DemoClips clips(dir.path, {"floor-en", "booth-xx"});
        FAIL("accepted");
    } catch (const DemoClipError& error) {
        CHECK(error.file() == (dir.path / "booth-xx.opus").string());
        CHECK_THAT(error.what(), Catch::Contains("booth-xx.opus: no such file"));
    }
    const DemoClips clips(dir.path, {"floor-en"});
    CHECK(clips.contains("floor-en"));
    CHECK_FALSE(clips.contains("booth-xx"));
    CHECK_THROWS_AS(clips.samples("booth-xx"), std::out_of_range);
}

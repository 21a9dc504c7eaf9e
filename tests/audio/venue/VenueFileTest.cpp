// Venue files (docs/venue-format.md): the default venue, one case per rule a venue must keep,
// round trips through toJson(), and saving that never leaves a half-written venue behind.
#include "venue/VenueFile.h"

#include "support/CostInChild.h"
#include "venue/VenueTls.h"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <sys/resource.h>
#include <tuple>
#include <utility>
#include <vector>

using namespace dragoman::venue;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

const fs::path kTirana = fs::path(DRAGOMAN_SOURCE_DIR) / "resources" / "venues" / "tirana.json";

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
    REQUIRE(out.good());
}

// A fresh directory under the system's temporary directory, removed with its contents.
class ScratchDirectory {
public:
    ScratchDirectory() {
        auto pattern = (fs::temp_directory_path() / "dragoman-venue-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;
    ~ScratchDirectory() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }

    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

    // The names in the directory, sorted: proves no temporary file was left behind.
    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(path_))
            names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

private:
    fs::path path_;
};

template <typename Action> std::optional<VenueError> venueErrorOf(Action&& action) {
    try {
        action();
    } catch (const VenueError& error) {
        return error;
    }
    return std::nullopt;
}

// A small valid venue: floor mic on input 0, booth "en" (A en, B sq) with one desk on input 1
// and output 3, line-outs 0..2 for floor, en and sq, on an 8-in/8-out device. Each override
// replaces one top-level member's JSON text, adds a member, or (with "") removes it.
std::string venueJson(std::vector<std::pair<std::string, std::string>> overrides = {}) {
    std::vector<std::pair<std::string, std::string>> members{
        {"device", R"({"inputs": 8, "outputs": 8})"},
        {"floor", R"({"lineOut": 0, "mics": [{"name": "Chair", "input": 0}]})"},
        {"channels", R"([{"code": "en", "lineOut": 1}, {"code": "sq", "lineOut": 2}])"},
        {"booths",
         R"([{"code": "en", "a": "en", "b": "sq", "desks": [{"mic": 1, "headphones": 3}]}])"},
    };
    for (auto& [key, text] : overrides) {
        const auto found = std::find_if(members.begin(), members.end(),
                                        [&](const auto& member) { return member.first == key; });
        if (found == members.end())
            members.emplace_back(key, text);
        else if (text.empty())
            members.erase(found);
        else
            found->second = text;
    }
    std::string json = "{";
    for (const auto& [key, text] : members)
        json += (json.size() > 1 ? ", \"" : "\"") + key + "\": " + text;
    return json + "}";
}

std::string booths(const std::string& list) {
    return "[" + list + "]";
}

// The small venue's channels (en, sq) and a third one with the given code.
std::string withThirdChannel(const std::string& code) {
    return R"([{"code": "en"}, {"code": "sq"}, {"code": ")" + code + R"("}])";
}

// The small venue's channels with `opus` (JSON text) on "en".
std::string withOpus(const std::string& opus) {
    return R"([{"code": "en", "opus": )" + opus + R"(}, {"code": "sq"}])";
}

struct Malformed {
    std::string description;
    std::string json;
    std::string path;
    std::string problem; // a substring of VenueError::problem()
};

// One row per rule of docs/venue-format.md.
std::vector<Malformed> malformedVenues() {
    const std::string en = R"({"code": "en", "a": "en", "b": "sq", "desks": [{"mic": 1}]})";
    return {
        // Syntax
        {"a syntax error names the byte, line and column", "{\n  \"device\": }", "$",
         "invalid JSON at byte 15: parse error at line 2, column 13: syntax error"},
        {"a trailing comma is a syntax error", R"({"device": {"inputs": 8, "outputs": 8},})", "$",
         "syntax error while parsing object key"},
        {"comments are not JSON", "// the venue\n" + venueJson(), "$", "invalid literal"},
        {"an empty file is not a venue", "", "$", "unexpected end of input"},
        {"nothing may follow the venue object", venueJson() + " {}", "$", "expected end of input"},
        {"text must be UTF-8", "{\"name\": \"Tiran\xEB\"}", "$", "ill-formed UTF-8"},
        {"a key may appear once per object", R"({"device": {"inputs": 8, "inputs": 9}})",
         "$.device.inputs", "duplicate key \"inputs\""},

        // Shape: the root, required keys, types, unknown keys
        {"the root is an object", "[1, 2]", "$", "expected an object, got an array"},
        {"device is required", venueJson({{"device", ""}}), "$", "missing required key \"device\""},
        {"floor is required", venueJson({{"floor", ""}}), "$", "missing required key \"floor\""},
        {"channels is required", venueJson({{"channels", ""}}), "$",
         "missing required key \"channels\""},
        {"booths is required", venueJson({{"booths", ""}}), "$", "missing required key \"booths\""},
        {"the device's output count is required", venueJson({{"device", R"({"inputs": 8})"}}),
         "$.device", "missing required key \"outputs\""},
        {"the floor lists its microphones", venueJson({{"floor", R"({"lineOut": 0})"}}), "$.floor",
         "missing required key \"mics\""},
        {"a floor microphone has an input",
         venueJson({{"floor", R"({"mics": [{"name": "Chair"}]})"}}), "$.floor.mics[0]",
         "missing required key \"input\""},
        {"a channel has a code", venueJson({{"channels", R"([{"name": "English"}])"}}),
         "$.channels[0]", "missing required key \"code\""},
        {"a booth has an A channel",
         venueJson({{"booths", booths(R"({"code": "en", "desks": [{"mic": 1}]})")}}), "$.booths[0]",
         "missing required key \"a\""},
        {"a booth lists its desks", venueJson({{"booths", booths(R"({"code": "en", "a": "en"})")}}),
         "$.booths[0]", "missing required key \"desks\""},
        {"a desk has a microphone input",
         venueJson(
             {{"booths", booths(R"({"code": "en", "a": "en", "desks": [{"headphones": 3}]})")}}),
         "$.booths[0].desks[0]", "missing required key \"mic\""},
        {"sampleRate is an integer, not a string", venueJson({{"sampleRate", R"("48000")"}}),
         "$.sampleRate", "expected an integer, got string \"48000\""},
        {"blockSize is a whole number", venueJson({{"blockSize", "128.5"}}), "$.blockSize",
         "expected an integer, got number 128.5"},
        {"an integer that does not fit is out of range",
         venueJson({{"device", R"({"inputs": 10000000000, "outputs": 8})"}}), "$.device.inputs",
         "integer 10000000000 is out of range"},
        {"name is a string", venueJson({{"name", "42"}}), "$.name",
         "expected a string, got number 42"},
        {"device is an object", venueJson({{"device", "[8, 8]"}}), "$.device",
         "expected an object, got an array"},
        {"channels is an array", venueJson({{"channels", R"({"code": "en"})"}}), "$.channels",
         "expected an array, got an object"},
        {"autoFloor is true or false",
         venueJson({{"channels", R"([{"code": "en", "autoFloor": "yes"}, {"code": "sq"}])"}}),
         "$.channels[0].autoFloor", "expected true or false, got string \"yes\""},
        {"hearing protection levels are numbers",
         venueJson({{"hearingProtection", R"({"ceilingDbSpl": "loud"})"}}),
         "$.hearingProtection.ceilingDbSpl", "expected a number, got string \"loud\""},
        {"a desk microphone is not null",
         venueJson({{"booths", booths(R"({"code": "en", "a": "en", "desks": [{"mic": null}]})")}}),
         "$.booths[0].desks[0].mic", "expected an integer, got null"},
        {"a booth's A channel is not null",
         venueJson({{"booths", booths(R"({"code": "en", "a": null, "desks": [{"mic": 1}]})")}}),
         "$.booths[0].a", "expected a string, got null"},
        {"an unknown key is refused, with the near miss it probably meant",
         venueJson({{"sampleRat", "48000"}}), "$.sampleRat",
         "unknown key \"sampleRat\"; did you mean \"sampleRate\"?"},
        {"an unknown key deep inside is refused at its own path",
         venueJson(
             {{"booths",
               booths(R"({"code": "en", "a": "en", "desks": [{"mic": 1, "headphone": 3}]})")}}),
         "$.booths[0].desks[0].headphone", "did you mean \"headphones\"?"},
        {"an unknown key that is no near miss lists the keys allowed there",
         venueJson({{"channels", R"([{"code": "en", "language": "English"}, {"code": "sq"}])"}}),
         "$.channels[0].language",
         "unknown key \"language\"; allowed here: code, name, nativeName, lineOut, autoFloor"},
        {"a key that is not an identifier is quoted in the path",
         venueJson({{"sample rate", "48000"}}), "$[\"sample rate\"]", "unknown key"},

        // Audio and device
        {"the sample rate is one the engine supports", venueJson({{"sampleRate", "22050"}}),
         "$.sampleRate", "sample rate 22050 Hz is not supported"},
        {"the block size is at least 16 frames", venueJson({{"blockSize", "8"}}), "$.blockSize",
         "block size 8 is out of range 16..1024"},
        {"the block size is at most 1024 frames", venueJson({{"blockSize", "2048"}}), "$.blockSize",
         "block size 2048 is out of range 16..1024"},
        {"the device has at least one input",
         venueJson({{"device", R"({"inputs": 0, "outputs": 8})"}}), "$.device.inputs",
         "device input count 0 is out of range 1..1024"},
        {"the device has at most 1024 outputs",
         venueJson({{"device", R"({"inputs": 8, "outputs": 1025})"}}), "$.device.outputs",
         "device output count 1025 is out of range 1..1024"},

        // Device channels: in range, and each used once
        {"a floor microphone's input exists on the device",
         venueJson({{"floor", R"({"mics": [{"input": 8}]})"}}), "$.floor.mics[0].input",
         "device input 8 is out of range: the device has 8 inputs (0..7)"},
        {"inputs are not negative", venueJson({{"floor", R"({"mics": [{"input": -1}]})"}}),
         "$.floor.mics[0].input", "device input -1 is out of range"},
        {"the floor line-out exists on the device",
         venueJson({{"floor", R"({"lineOut": 8, "mics": [{"input": 0}]})"}}), "$.floor.lineOut",
         "device output 8 is out of range: the device has 8 outputs (0..7)"},
        {"desk headphones exist on the device",
         venueJson(
             {{"booths",
               booths(R"({"code": "en", "a": "en", "desks": [{"mic": 1, "headphones": 8}]})")}}),
         "$.booths[0].desks[0].headphones", "device output 8 is out of range"},
        {"the monitor outputs exist on the device", venueJson({{"monitor", R"({"left": 9})"}}),
         "$.monitor.left", "device output 9 is out of range"},
        {"a desk microphone cannot share a floor microphone's input",
         venueJson({{"booths", booths(R"({"code": "en", "a": "en", "desks": [{"mic": 0}]})")}}),
         "$.booths[0].desks[0].mic", "device input 0 is already used by $.floor.mics[0].input"},
        {"two desks cannot share an input",
         venueJson(
             {{"booths",
               booths(en + R"(, {"code": "sq", "a": "sq", "desks": [{"mic": 2}, {"mic": 1}]})")}}),
         "$.booths[1].desks[1].mic", "device input 1 is already used by $.booths[0].desks[0].mic"},
        {"two channels cannot share a line-out",
         venueJson(
             {{"channels", R"([{"code": "en", "lineOut": 1}, {"code": "sq", "lineOut": 1}])"}}),
         "$.channels[1].lineOut", "device output 1 is already used by $.channels[0].lineOut"},
        {"headphones cannot share the floor line-out",
         venueJson(
             {{"booths",
               booths(R"({"code": "en", "a": "en", "desks": [{"mic": 1, "headphones": 0}]})")}}),
         "$.booths[0].desks[0].headphones", "device output 0 is already used by $.floor.lineOut"},
        {"the monitor's left and right are two outputs",
         venueJson({{"monitor", R"({"left": 6, "right": 6})"}}), "$.monitor.right",
         "device output 6 is already used by $.monitor.left"},

        // Floor and channels
        {"a venue has floor microphones", venueJson({{"floor", R"({"mics": []})"}}), "$.floor.mics",
         "no floor microphones"},
        {"a venue has language channels", venueJson({{"channels", "[]"}, {"booths", "[]"}}),
         "$.channels", "no language channels"},
        {"a channel code is not empty", venueJson({{"channels", withThirdChannel("")}}),
         "$.channels[2].code", "channel code is empty"},
        {"a channel code is lower case", venueJson({{"channels", withThirdChannel("EN")}}),
         "$.channels[2].code", "channel code \"EN\" is not valid"},
        {"a channel code starts with a letter", venueJson({{"channels", withThirdChannel("1en")}}),
         "$.channels[2].code", "channel code \"1en\" is not valid"},
        {"a channel code has no underscore", venueJson({{"channels", withThirdChannel("pt_br")}}),
         "$.channels[2].code", "channel code \"pt_br\" is not valid"},
        {"\"floor\" is the floor's own code", venueJson({{"channels", withThirdChannel("floor")}}),
         "$.channels[2].code", "reserved for the floor"},
        {"channel codes are unique",
         venueJson({{"channels", R"([{"code": "en"}, {"code": "sq"}, {"code": "en"}])"}}),
         "$.channels[2].code", "channel code \"en\" is already used by $.channels[0]"},

        // Opus settings ("opus" on a channel, or under "floor" for the floor)
        {"opus is an object", venueJson({{"channels", withOpus(R"("fast")")}}),
         "$.channels[0].opus", "expected an object, got string \"fast\""},
        {"opus refuses unknown keys", venueJson({{"channels", withOpus(R"({"bitrat": 32000})")}}),
         "$.channels[0].opus.bitrat", "unknown key \"bitrat\"; did you mean \"bitrate\"?"},
        {"the Opus application is voip, audio or lowdelay",
         venueJson({{"channels", withOpus(R"({"application": "music"})")}}),
         "$.channels[0].opus.application", "unknown Opus application \"music\""},
        {"the frame size is an Opus frame size",
         venueJson({{"channels", withOpus(R"({"frameMs": 15})")}}), "$.channels[0].opus.frameMs",
         "frame size 15 ms is not an Opus frame size; use 2.5, 5, 10, 20, 40 or 60"},
        {"the frame size is a number", venueJson({{"channels", withOpus(R"({"frameMs": "20"})")}}),
         "$.channels[0].opus.frameMs", "expected a number"},
        {"the bitrate is at least 6000",
         venueJson({{"channels", withOpus(R"({"bitrate": 5999})")}}), "$.channels[0].opus.bitrate",
         "bitrate 5999 bit/s is out of range 6000..510000"},
        {"the bitrate is at most 510000",
         venueJson({{"channels", withOpus(R"({"bitrate": 510001})")}}),
         "$.channels[0].opus.bitrate", "bitrate 510001 bit/s is out of range 6000..510000"},
        {"the bitrate is an integer", venueJson({{"channels", withOpus(R"({"bitrate": 32.5})")}}),
         "$.channels[0].opus.bitrate", "expected an integer"},
        {"the complexity is 0..10", venueJson({{"channels", withOpus(R"({"complexity": 11})")}}),
         "$.channels[0].opus.complexity", "complexity 11 is out of range 0..10"},
        {"the complexity is not negative",
         venueJson({{"channels", withOpus(R"({"complexity": -1})")}}),
         "$.channels[0].opus.complexity", "complexity -1 is out of range 0..10"},
        {"the expected loss is 0..100",
         venueJson({{"channels", withOpus(R"({"lossPercent": 101})")}}),
         "$.channels[0].opus.lossPercent", "loss 101 % is out of range 0..100"},
        {"fec is a boolean", venueJson({{"channels", withOpus(R"({"fec": 1})")}}),
         "$.channels[0].opus.fec", "expected true or false, got number 1"},
        {"FEC is refused with lowdelay (CELT only: no in-band FEC)",
         venueJson({{"channels", withOpus(R"({"application": "lowdelay", "fec": true})")}}),
         "$.channels[0].opus.fec",
         "in-band FEC works only in Opus's SILK and hybrid modes, which \"lowdelay\""},
        {"FEC is refused with lowdelay on the floor too",
         venueJson({{"floor", R"({"mics": [{"input": 0}],
                                 "opus": {"application": "lowdelay", "fec": true}})"}}),
         "$.floor.opus.fec", "in-band FEC works only in Opus's SILK and hybrid modes"},
        {"FEC needs an expected loss above 0",
         venueJson({{"channels", withOpus(R"({"lossPercent": 0})")}}),
         "$.channels[0].opus.lossPercent", "FEC needs an expected loss above 0 %"},
        // Fixed RTP destinations ("rtp" on a channel, or under "floor")
        {"rtp needs an address",
         venueJson({{"channels", R"([{"code": "en", "rtp": {"port": 5004}}, {"code": "sq"}])"}}),
         "$.channels[0].rtp", "missing required key \"address\""},
        {"rtp addresses are dotted IPv4",
         venueJson({{"channels",
                     R"([{"code": "en", "rtp": {"address": "venue-lan", "port": 5004}},
                         {"code": "sq"}])"}}),
         "$.channels[0].rtp.address", "\"venue-lan\" is not a dotted IPv4 address"},
        {"rtp ports are even (RTCP takes the next one)",
         venueJson({{"channels",
                     R"([{"code": "en", "rtp": {"address": "239.255.10.1", "port": 5005}},
                         {"code": "sq"}])"}}),
         "$.channels[0].rtp.port", "RTP port 5005 must be even"},
        {"rtp ttl is 1..255",
         venueJson({{"channels",
                     R"([{"code": "en", "rtp": {"address": "239.255.10.1", "port": 5004,
                                                "ttl": 0}}, {"code": "sq"}])"}}),
         "$.channels[0].rtp.ttl", "TTL 0 is out of range 1..255"},
        {"two channels cannot share one RTP destination",
         venueJson({{"channels",
                     R"([{"code": "en", "rtp": {"address": "239.255.10.1", "port": 5004}},
                         {"code": "sq", "rtp": {"address": "239.255.10.1", "port": 5004}}])"}}),
         "$.channels[1].rtp",
         "RTP destination 239.255.10.1:5004 is already used by $.channels[0].rtp"},
        {"the floor's rtp refuses unknown keys",
         venueJson({{"floor", R"({"mics": [{"input": 0}], "rtp": {"address": "239.255.10.1",
                                 "port": 5004, "group": 1}})"}}),
         "$.floor.rtp.group", "unknown key \"group\""},
        {"the floor's opus refuses unknown keys",
         venueJson({{"floor", R"({"mics": [{"input": 0}], "opus": {"dtx": true}})"}}),
         "$.floor.opus.dtx", "unknown key \"dtx\""},

        // Booths
        {"booth codes are unique",
         venueJson(
             {{"booths", booths(en + R"(, {"code": "en", "a": "sq", "desks": [{"mic": 2}]})")}}),
         "$.booths[1].code", "booth code \"en\" is already used by $.booths[0]"},
        {"a booth code is not empty",
         venueJson({{"booths", booths(R"({"code": "", "a": "en", "desks": [{"mic": 1}]})")}}),
         "$.booths[0].code", "booth code is empty"},
        {"a booth code has no dot (desk ids are \"<booth>.<n>\")",
         venueJson({{"booths", booths(R"({"code": "en.a", "a": "en", "desks": [{"mic": 1}]})")}}),
         "$.booths[0].code", "booth code \"en.a\" is not valid"},
        {"a booth slot names a channel of the venue",
         venueJson({{"booths", booths(R"({"code": "en", "a": "fr", "desks": [{"mic": 1}]})")}}),
         "$.booths[0].a", "unknown channel \"fr\" (the venue's channels: en, sq)"},
        {"a booth does not interpret into the floor",
         venueJson({{"booths",
                     booths(R"({"code": "en", "a": "en", "b": "floor", "desks": [{"mic": 1}]})")}}),
         "$.booths[0].b", "cannot interpret into the floor"},
        {"a booth names each channel once",
         venueJson({{"booths",
                     booths(R"({"code": "en", "a": "en", "b": "en", "desks": [{"mic": 1}]})")}}),
         "$.booths[0].b", "channel \"en\" is already the booth's A channel"},
        {"a booth's C channel comes after a B channel",
         venueJson({{"booths",
                     booths(R"({"code": "en", "a": "en", "c": "sq", "desks": [{"mic": 1}]})")}}),
         "$.booths[0].c", "C channel but no B channel"},
        {"a booth has desks",
         venueJson({{"booths", booths(R"({"code": "en", "a": "en", "desks": []})")}}),
         "$.booths[0].desks", "booth \"en\" has no desks"},
        {"the venue's interlock mode is override or interlock",
         venueJson({{"interlock", R"("overide")"}}), "$.interlock",
         "unknown interlock mode \"overide\""},
        {"a booth's interlock mode is override or interlock",
         venueJson(
             {{"booths",
               booths(
                   R"({"code": "en", "a": "en", "interlock": "first", "desks": [{"mic": 1}]})")}}),
         "$.booths[0].interlock", "unknown interlock mode \"first\""},

        // Hearing protection
        {"the sustained limit is below the ceiling",
         venueJson({{"hearingProtection", R"({"sustainedDbSpl": 100})"}}),
         "$.hearingProtection.sustainedDbSpl",
         "the sustained limit 100 dB SPL must be below the ceiling 100 dB SPL"},
        {"the warning level is below the sustained limit",
         venueJson({{"hearingProtection", R"({"warningDbSpl": 95})"}}),
         "$.hearingProtection.warningDbSpl",
         "the warning level 95 dB SPL must be below the sustained limit 94 dB SPL"},
        {"the ceiling is reachable: not above the calibration (0 dBFS)",
         venueJson({{"hearingProtection", R"({"calibrationDbSpl": 11})"}}),
         "$.hearingProtection.ceilingDbSpl",
         "the ceiling 100 dB SPL is above the calibration 11 dB SPL"},
        {"the sustained limit starts after at least 10 ms",
         venueJson({{"hearingProtection", R"({"sustainedAfterMs": 5})"}}),
         "$.hearingProtection.sustainedAfterMs", "5 ms is out of range 10..10000 ms"},
        {"the sustained limit starts within 10 s",
         venueJson({{"hearingProtection", R"({"sustainedAfterMs": 20000})"}}),
         "$.hearingProtection.sustainedAfterMs", "20000 ms is out of range 10..10000 ms"},
        {"hearing protection keys are checked for typos",
         venueJson({{"hearingProtection", R"({"ceilingDbSPL": 100})"}}),
         "$.hearingProtection.ceilingDbSPL", "did you mean \"ceilingDbSpl\"?"},

        // Control API
        {"control is an object", venueJson({{"control", R"("secret")"}}), "$.control",
         "expected an object, got string \"secret\""},
        {"control keys are checked for typos", venueJson({{"control", R"({"remoteRead": true})"}}),
         "$.control.remoteRead", "did you mean \"remoteReads\"?"},
        {"the token is a string", venueJson({{"control", R"({"token": 1234567890123456})"}}),
         "$.control.token", "expected a string, got number 1234567890123456"},
        {"an empty token is refused: leaving the key out means none",
         venueJson({{"control", R"({"token": ""})"}}), "$.control.token",
         "the token is empty; leave \"token\" out"},
        {"a token has at least 16 characters", venueJson({{"control", R"({"token": "letmein"})"}}),
         "$.control.token", "the token has 7 characters; use at least 16"},
        {"a token has no spaces (it travels in an HTTP header)",
         venueJson({{"control", R"({"token": "correct horse battery staple"})"}}),
         "$.control.token", "printable ASCII characters without spaces"},
        {"a token is ASCII", venueJson({{"control", R"({"token": "ключ-ключ-ключ-ключ"})"}}),
         "$.control.token", "printable ASCII characters without spaces"},
        {"remoteReads is true or false", venueJson({{"control", R"({"remoteReads": "yes"})"}}),
         "$.control.remoteReads", "expected true or false, got string \"yes\""},
        {"icecast names its host", venueJson({{"icecast", R"({"port": 8000})"}}), "$.icecast",
         "missing required key \"host\""},
        {"an icecast host is not empty", venueJson({{"icecast", R"({"host": ""})"}}),
         "$.icecast.host", "the host is empty"},
        {"an icecast host has no spaces",
         venueJson({{"icecast", R"({"host": "stream server", "password": "hackme"})"}}),
         "$.icecast.host", "is not a host name or address"},
        {"an icecast port is a TCP port",
         venueJson({{"icecast", R"({"host": "127.0.0.1", "port": 70000})"}}), "$.icecast.port",
         "port 70000 is out of range 1..65535"},
        {"an icecast user has no colon",
         venueJson({{"icecast", R"({"host": "127.0.0.1", "user": "a:b"})"}}), "$.icecast.user",
         "without spaces or ':'"},
        {"an icecast password has no spaces",
         venueJson({{"icecast", R"({"host": "127.0.0.1", "password": "open sesame"})"}}),
         "$.icecast.password", "printable ASCII characters without spaces"},
        {"an icecast mount prefix starts and ends with a slash",
         venueJson({{"icecast", R"({"host": "127.0.0.1", "mountPrefix": "live"})"}}),
         "$.icecast.mountPrefix", "starts and ends with '/'"},
        {"icecast keys are known", venueJson({{"icecast", R"({"host": "h", "pasword": "x"})"}}),
         "$.icecast.pasword", "did you mean \"password\"?"},
        {"a WebRTC port range is two ports",
         venueJson({{"webrtc", R"({"rtpPortRange": [20000]})"}}), "$.webrtc.rtpPortRange",
         "wants two ports"},
        {"a WebRTC port range holds integers",
         venueJson({{"webrtc", R"({"rtpPortRange": [20000, "x"]})"}}), "$.webrtc.rtpPortRange[1]",
         ""},
        {"a WebRTC port range is not privileged",
         venueJson({{"webrtc", R"({"rtpPortRange": [80, 20999]})"}}), "$.webrtc.rtpPortRange",
         "is not a port range"},
        {"a WebRTC port range runs forwards",
         venueJson({{"webrtc", R"({"rtpPortRange": [21000, 20000]})"}}), "$.webrtc.rtpPortRange",
         "is not a port range"},
        {"webrtc keys are known", venueJson({{"webrtc", R"({"rtpPorts": [1, 2]})"}}),
         "$.webrtc.rtpPorts", ""},
        {"a TLS certificate names a file",
         venueJson({{"tls", R"({"certificate": "", "key": "k"})"}}), "$.tls.certificate",
         "wants the path of a PEM file"},
        {"a TLS certificate comes with its key", venueJson({{"tls", R"({"certificate": "c"})"}}),
         "$.tls", "missing required key \"key\""},
        {"tls keys are known", venueJson({{"tls", R"({"cert": "c", "key": "k"})"}}), "$.tls.cert",
         ""},
        {"a Janus server list names one", venueJson({{"webrtc", R"({"servers": []})"}}),
         "$.webrtc.servers", "names no server"},
        {"a Janus server has an API",
         venueJson({{"webrtc", R"({"servers": [{"rtpAddress": "10.0.0.5"}]})"}}),
         "$.webrtc.servers[0]", "missing required key \"api\""},
        {"a Janus server's API is an http URL",
         venueJson(
             {{"webrtc", R"({"servers": [{"api": "10.0.0.5:8088", "rtpAddress": "10.0.0.5"}]})"}}),
         "$.webrtc.servers[0].api", "is not an API URL"},
        {"a Janus server's RTP address is IPv4",
         venueJson(
             {{"webrtc", R"({"servers": [{"api": "http://j:8088/janus", "rtpAddress": "j"}]})"}}),
         "$.webrtc.servers[0].rtpAddress", "is not an IPv4 address"},
        {"a Janus server's RTP address has four parts",
         venueJson(
             {{"webrtc",
               R"({"servers": [{"api": "http://j:8088/janus", "rtpAddress": "10.0.0.256"}]})"}}),
         "$.webrtc.servers[0].rtpAddress", "is not an IPv4 address"},
        {"a Janus server's ports fit every channel",
         venueJson({{"webrtc", R"({"servers": [{"api": "http://j/janus", "rtpAddress": "10.0.0.5",
                                                "firstRtpPort": 65534}]})"}}),
         "$.webrtc.servers[0].firstRtpPort", "leaves no room"},
        {"a Janus server's secret is printable",
         venueJson({{"webrtc", R"({"servers": [{"api": "http://j/janus", "rtpAddress": "10.0.0.5",
                                                "apiSecret": "a b"}]})"}}),
         "$.webrtc.servers[0].apiSecret", "printable ASCII"},
        {"two Janus servers have two APIs",
         venueJson({{"webrtc", R"({"servers": [{"api": "http://j/janus", "rtpAddress": "10.0.0.5"},
                                               {"api": "http://j/janus", "rtpAddress": "10.0.0.6"}]})"}}),
         "$.webrtc.servers[1].api", "has this API already"},
        {"two Janus servers take no port twice at one address",
         venueJson({{"webrtc", R"({"servers": [{"api": "http://j/janus", "rtpAddress": "10.0.0.5"},
                                               {"api": "http://k/janus", "rtpAddress": "10.0.0.5"}]})"}}),
         "$.webrtc.servers[1].firstRtpPort", "takes these ports"},
        {"Janus server keys are known",
         venueJson(
             {{"webrtc", R"({"servers": [{"api": "http://j/janus", "rtpAdress": "10.0.0.5"}]})"}}),
         "$.webrtc.servers[0].rtpAdress", "did you mean \"rtpAddress\"?"},
        {"WebRTC sessions per address are at least one",
         venueJson({{"webrtc", R"({"sessionsPerAddress": 0})"}}), "$.webrtc.sessionsPerAddress",
         "outside 1..1000"},
    };
}

// A venue built in code, as the engine's tests build them: validate() must name the place each
// value would have in a file.
struct InCodeMistake {
    std::string description;
    std::function<void(Venue&)> change;
    std::string path;
    std::string problem;
};

std::vector<InCodeMistake> inCodeMistakes() {
    return {
        {"a desk on a floor microphone's input", [](Venue& v) { v.booths[0].desks[0].mic = 0; },
         "$.booths[0].desks[0].mic", "device input 0 is already used by $.floor.mics[0].input"},
        {"a desk without a microphone input", [](Venue& v) { v.booths[0].desks[0].mic = -1; },
         "$.booths[0].desks[0].mic", "device input -1 is out of range"},
        {"a second channel with the same code", [](Venue& v) { v.channels[2].code = "en"; },
         "$.channels[1].code", "channel code \"en\" is already used by $.channels[0]"},
        {"the floor channel's line-out off the device",
         [](Venue& v) { v.channels[0].lineOut = 99; }, "$.floor.lineOut",
         "device output 99 is out of range"},
        {"channel 0 is not the floor", [](Venue& v) { v.channels[0].code = "en"; }, "$.floor",
         "channel 0 must be the floor"},
        {"no channels at all", [](Venue& v) { v.channels.clear(); }, "$.floor",
         "the venue has no channels"},
        {"only the floor channel",
         [](Venue& v) {
             v.channels.resize(1);
             v.booths.clear();
         },
         "$.channels", "no language channels"},
        {"a booth without an A channel", [](Venue& v) { v.booths[0].outgoing[0] = -1; },
         "$.booths[0].a", "a booth needs an A channel"},
        {"a booth slot past the last channel", [](Venue& v) { v.booths[0].outgoing[1] = 7; },
         "$.booths[0].b", "channel index 7 is not in the venue (it has channels 0..2)"},
        {"a booth slot on the floor channel", [](Venue& v) { v.booths[0].outgoing[1] = 0; },
         "$.booths[0].b", "cannot interpret into the floor"},
        {"no floor microphones", [](Venue& v) { v.floorMics.clear(); }, "$.floor.mics",
         "no floor microphones"},
        {"a ceiling that is not a number",
         [](Venue& v) { v.hearing.ceilingDbSpl = std::numeric_limits<double>::quiet_NaN(); },
         "$.hearingProtection.ceilingDbSpl", "must be a finite number"},
        {"a name that is not UTF-8", [](Venue& v) { v.channels[1].nativeName = "Shqip\xC3"; },
         "$.channels[0].nativeName", "not valid UTF-8"},
        {"a block size the engine cannot run", [](Venue& v) { v.blockSize = 0; }, "$.blockSize",
         "block size 0 is out of range"},
        {"a control token too short to keep anyone out",
         [](Venue& v) { v.control.token = "0123456789abcde"; }, "$.control.token",
         "the token has 15 characters; use at least 16"},
        {"a control token with a line break",
         [](Venue& v) { v.control.token = "0123456789\nabcdef"; }, "$.control.token",
         "printable ASCII characters without spaces"},
    };
}

// Lowers the largest file this process may write, so that writing the temporary file fails the
// way a full disk would; restores the limit and the default SIGXFSZ action on destruction.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved_) == 0);
        previousHandler_ = std::signal(SIGXFSZ, SIG_IGN); // report EFBIG instead of killing us
        rlimit limit = saved_;
        limit.rlim_cur = bytes;
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &limit) == 0);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, previousHandler_);
    }

private:
    rlimit saved_{};
    void (*previousHandler_)(int) = nullptr;
};

} // namespace

TEST_CASE("The default venue maps the Tirana room onto a 16-in/16-out interface") {
    const Venue venue = load(kTirana);

    CHECK_THAT(venue.name, Contains("Tirana") && Contains("Roundtable") && Contains("Elections"));
    CHECK(venue.sampleRate == 48000);
    CHECK(venue.blockSize == 128);
    CHECK(venue.deviceInputs == 16);
    CHECK(venue.deviceOutputs == 16);
    CHECK(venue.interlock == InterlockMode::Override);
    CHECK(venue.hearing == HearingProtection{110.0, 100.0, 94.0, 100.0, 80.0});

    SECTION("inputs 0-1 are the floor microphones") {
        REQUIRE(venue.floorMics.size() == 2);
        CHECK(venue.floorMics[0] == FloorMic{"Chair", 0});
        CHECK(venue.floorMics[1] == FloorMic{"Lectern", 1});
    }

    SECTION("outputs 0-4 are the line-outs of floor, en, sq, bsm, mk") {
        const std::vector<Channel> expected{
            {"floor", "Floor", "Floor", 0, true},
            {"en", "English", "English", 1, true},
            {"sq", "Albanian", "Shqip", 2, true},
            {"bsm", "Bosnian/Serbian/Montenegrin", "Bosanski/Srpski/Crnogorski", 3, true},
            {"mk", "Macedonian", "Македонски", 4, true},
        };
        CHECK(venue.channels == expected);
    }

    SECTION("four booths interpret into their own language with English (or Albanian) retour") {
        const auto channel = [&](const char* code) { return venue.channelIndex(code).value(); };
        const std::vector<std::tuple<std::string, std::string, std::array<int, kSlotCount>>>
            expected{
                {"en", "English", {channel("en"), channel("sq"), -1}},
                {"sq", "Albanian", {channel("sq"), channel("en"), -1}},
                {"bsm", "Bosnian/Serbian/Montenegrin", {channel("bsm"), channel("en"), -1}},
                {"mk", "Macedonian", {channel("mk"), channel("en"), -1}},
            };
        REQUIRE(venue.booths.size() == expected.size());
        for (std::size_t b = 0; b < expected.size(); ++b) {
            const auto& [code, name, slots] = expected[b];
            INFO("booth " << code);
            CHECK(venue.booths[b].code == code);
            CHECK(venue.booths[b].name == name);
            CHECK(venue.booths[b].outgoing == slots);
            CHECK(venue.booths[b].interlock == InterlockMode::Override);
            CHECK_FALSE(venue.booths[b].autoRelay);
            CHECK(venue.booths[b].desks.size() == 2);
        }
    }

    SECTION("inputs 2-9 are desk mics and outputs 5-12 desk headphones, in desk order") {
        const std::vector<std::tuple<std::string, int, int>> desks{
            {"en.1", 2, 5},  {"en.2", 3, 6},   {"sq.1", 4, 7},  {"sq.2", 5, 8},
            {"bsm.1", 6, 9}, {"bsm.2", 7, 10}, {"mk.1", 8, 11}, {"mk.2", 9, 12},
        };
        REQUIRE(venue.deskCount() == static_cast<int>(desks.size()));
        for (std::size_t d = 0; d < desks.size(); ++d) {
            const auto& [id, mic, headphones] = desks[d];
            INFO("desk " << id);
            const auto index = venue.deskIndex(id);
            REQUIRE(index.has_value());
            CHECK(*index == static_cast<int>(d));
            CHECK(venue.deskId(*index) == id);
            CHECK(venue.desk(*index) == Desk{mic, headphones});
        }
        CHECK_FALSE(venue.deskIndex("en.3").has_value());
    }

    SECTION("outputs 13-14 are the technician's monitor") {
        CHECK(venue.monitor == Monitor{13, 14});
    }
}

TEST_CASE("Each refused venue names the file and the JSON path and says what is wrong") {
    const auto row = GENERATE(Catch::Generators::from_range(malformedVenues()));
    INFO(row.description);
    INFO(row.json);

    const auto error = venueErrorOf([&] { parse(row.json, "bad.json"); });

    REQUIRE(error.has_value());
    CHECK(error->file() == "bad.json");
    CHECK(error->jsonPath() == row.path);
    CHECK_THAT(error->problem(), Contains(row.problem));
    CHECK(std::string(error->what()) == "bad.json: " + row.path + ": " + error->problem());
}

TEST_CASE("The small venue the refusal table starts from is valid") {
    const Venue venue = parse(venueJson(), "good.json");
    CHECK(venue.channels.size() == 3);
    CHECK(venue.deskIndex("en.1") == 0);
}

TEST_CASE("Optional keys take their documented defaults") {
    const Venue venue = parse(venueJson({{"floor", R"({"mics": [{"input": 0}]})"}}), "good.json");

    CHECK(venue.name.empty());
    CHECK(venue.sampleRate == 48000);
    CHECK(venue.blockSize == 128);
    CHECK(venue.interlock == InterlockMode::Override);
    CHECK(venue.hearing == HearingProtection{});
    CHECK(venue.floorMics[0] == FloorMic{"", 0});
    CHECK(venue.channels[0] == Channel{"floor", "Floor", "Floor", -1, true, {}});
    CHECK(venue.channels[1] == Channel{"en", "", "", 1, true, {}});
    CHECK(venue.channels[1].opus.application == OpusApplication::Audio);
    CHECK(venue.channels[1].opus.frameMs == 20.0);
    CHECK(venue.channels[1].opus.bitrate == 32000);
    CHECK(venue.channels[1].opus.complexity == 10);
    CHECK(venue.channels[1].opus.fec);
    CHECK(venue.channels[1].opus.lossPercent == 10);
    CHECK(venue.booths[0].name.empty());
    CHECK(venue.booths[0].outgoing[2] == -1);
    CHECK(venue.booths[0].interlock == InterlockMode::Override);
    CHECK_FALSE(venue.booths[0].autoRelay);
    CHECK(venue.monitor == Monitor{-1, -1});
    CHECK(venue.control == ControlSettings{}); // no token: the control API is read-only
}

TEST_CASE("The control API's token and remote reads are read from the venue file") {
    const std::vector<std::tuple<std::string, ControlSettings>> rows{
        {R"({"token": "0123456789abcdef"})", {"0123456789abcdef", false}},
        {R"({"token": "A-b_c.d~e+f/g=0123456789", "remoteReads": true})",
         {"A-b_c.d~e+f/g=0123456789", true}},
        {R"({"remoteReads": true})", {"", true}},
        {R"({})", {"", false}},
    };
    for (const auto& [json, expected] : rows) {
        INFO(json);
        const Venue venue = parse(venueJson({{"control", json}}), "good.json");
        CHECK(venue.control == expected);
        CHECK(parse(toJson(venue), "round-trip.json") == venue);
    }
}

TEST_CASE("An Icecast server for the channels is read from the venue file, with defaults") {
    const std::vector<std::tuple<std::string, IcecastSettings>> rows{
        {R"({"host": "127.0.0.1"})", {"127.0.0.1", 8000, "source", "", "/", false}},
        {R"({"host": "icecast.example", "port": 8443, "user": "dragoman", "password": "hackme",
             "mountPrefix": "/tirana/", "public": true})",
         {"icecast.example", 8443, "dragoman", "hackme", "/tirana/", true}},
    };
    for (const auto& [json, expected] : rows) {
        INFO(json);
        const Venue venue = parse(venueJson({{"icecast", json}}), "good.json");
        CHECK(venue.icecast == expected);
        CHECK(parse(toJson(venue), "round-trip.json") == venue);
    }
    CHECK_FALSE(parse(venueJson({}), "none.json").icecast.configured());
}

// WebRTC settings with only the private Janus's media port range set.
WebRtcSettings portRange(int first, int last) {
    WebRtcSettings settings;
    settings.rtpPortMin = first;
    settings.rtpPortMax = last;
    return settings;
}

TEST_CASE("The WebRTC media port range is read from the venue file, with defaults") {
    CHECK(parse(venueJson({}), "none.json").webrtc == portRange(20000, 20999));
    const Venue venue =
        parse(venueJson({{"webrtc", R"({"rtpPortRange": [30000, 30099]})"}}), "good.json");
    CHECK(venue.webrtc == portRange(30000, 30099));
    CHECK(parse(toJson(venue), "round-trip.json") == venue);
    CHECK(parse(venueJson({{"webrtc", "{}"}}), "empty.json").webrtc == WebRtcSettings{});
}

TEST_CASE("The venue's certificate files are read relative to the file, and save() keeps them") {
    const ScratchDirectory directory;
    const auto file = directory / "venue.json";
    writeBytes(file,
               venueJson({{"tls", R"({"certificate": "tls/venue.crt", "key": "/etc/k.pem"})"}}));
    const auto tls = readTlsFiles(file);
    CHECK(tls.certificate == fs::absolute(directory / "tls/venue.crt").lexically_normal());
    CHECK(tls.key == fs::path("/etc/k.pem"));
    CHECK_FALSE(readTlsFiles(kTirana).configured());

    Venue venue = load(file);
    venue.name = "Renamed";
    save(venue, file);
    CHECK(load(file).name == "Renamed");
    CHECK(readTlsFiles(file).certificateAsWritten == "tls/venue.crt");
    CHECK(readTlsFiles(file).keyAsWritten == "/etc/k.pem");
}

TEST_CASE("External Janus servers are read from the venue file, with defaults") {
    const Venue venue = parse(venueJson({{"webrtc", R"({"servers": [
            {"name": "hall", "api": "http://10.0.0.5:8088/janus", "apiSecret": "s3cret",
             "adminKey": "k3y", "rtpAddress": "10.0.0.5"},
            {"api": "https://janus2.example/janus", "apiToken": "t0ken",
             "rtpAddress": "239.1.2.3", "firstRtpPort": 6000, "firstMountpointId": 100}],
            "sessionsPerAddress": 40})"}}),
                              "good.json");
    REQUIRE(venue.webrtc.servers.size() == 2);
    const auto& hall = venue.webrtc.servers[0];
    CHECK(hall.name == "hall");
    CHECK(hall.api == "http://10.0.0.5:8088/janus");
    CHECK(hall.apiSecret == "s3cret");
    CHECK(hall.apiToken.empty());
    CHECK(hall.adminKey == "k3y");
    CHECK(hall.rtpAddress == "10.0.0.5");
    CHECK(hall.firstRtpPort == 5002);
    CHECK(hall.firstMountpointId == 7001);
    const auto& second = venue.webrtc.servers[1];
    CHECK(second.name.empty());
    CHECK(second.apiToken == "t0ken");
    CHECK(second.firstRtpPort == 6000);
    CHECK(second.firstMountpointId == 100);
    CHECK(venue.webrtc.sessionsPerAddress == 40);
    CHECK(parse(toJson(venue), "round-trip.json") == venue);
}

TEST_CASE("A booth without its own interlock mode follows the venue's") {
    const Venue venue =
        parse(venueJson({{"interlock", R"("interlock")"},
                         {"booths", booths(R"({"code": "en", "a": "en", "desks": [{"mic": 1}]},
                                        {"code": "sq", "a": "sq", "interlock": "override",
                                         "desks": [{"mic": 2}]})")}}),
              "good.json");

    CHECK(venue.interlock == InterlockMode::Interlock);
    CHECK(venue.booths[0].interlock == InterlockMode::Interlock);
    CHECK(venue.booths[1].interlock == InterlockMode::Override);
}

TEST_CASE("null means none for B and C channels and for line-outs and headphones and monitor "
          "outputs") {
    const Venue venue =
        parse(venueJson({{"floor", R"({"lineOut": null, "mics": [{"input": 0}]})"},
                         {"channels", R"([{"code": "en", "lineOut": null}, {"code": "sq"}])"},
                         {"booths", booths(R"({"code": "en", "a": "en", "b": null, "c": null,
                                        "desks": [{"mic": 1, "headphones": null}]})")},
                         {"monitor", R"({"left": null, "right": 7})"}}),
              "good.json");

    CHECK(venue.channels[0].lineOut == -1);
    CHECK(venue.channels[1].lineOut == -1);
    CHECK(venue.booths[0].outgoing == std::array<int, kSlotCount>{1, -1, -1});
    CHECK(venue.booths[0].desks[0].headphones == -1);
    CHECK(venue.monitor == Monitor{-1, 7});
}

TEST_CASE("Each channel's Opus settings are read from the venue file and written back") {
    struct Row {
        std::string json;
        OpusSettings expected;
    };
    using A = OpusApplication;
    const std::vector<Row> rows{
        {R"({})", {}},
        {R"({"application": "voip", "bitrate": 16000})", {A::Voip, 20.0, 16000, 10, true, 10}},
        {R"({"application": "lowdelay", "frameMs": 2.5})",
         {A::LowDelay, 2.5, 32000, 10, false, 10}},
        {R"({"application": "lowdelay", "fec": false, "lossPercent": 0})",
         {A::LowDelay, 20.0, 32000, 10, false, 0}},
        {R"({"frameMs": 60, "bitrate": 510000, "complexity": 0, "fec": false, "lossPercent": 0})",
         {A::Audio, 60.0, 510000, 0, false, 0}},
        {R"({"frameMs": 5, "bitrate": 6000, "lossPercent": 100})",
         {A::Audio, 5.0, 6000, 10, true, 100}},
    };
    for (const auto& row : rows) {
        INFO(row.json);
        const Venue venue =
            parse(venueJson({{"channels", withOpus(row.json)},
                             {"floor", R"({"mics": [{"input": 0}], "opus": )" + row.json + "}"}}),
                  "good.json");
        CHECK(venue.channels[1].opus == row.expected);
        CHECK(venue.channels[0].opus == row.expected);
        CHECK(venue.channels[2].opus == OpusSettings{});
        CHECK(venue.channels[1].opus.frameSamples() == static_cast<int>(row.expected.frameMs * 48));
        const auto text = toJson(venue);
        CHECK(parse(text, "round-trip.json") == venue);
        // Defaults are left out: only what differs is written.
        if (row.expected == OpusSettings{})
            CHECK(text.find("\"opus\"") == std::string::npos);
        else
            CHECK(text.find("\"opus\"") != std::string::npos);
    }
}

TEST_CASE("A venue built in code with FEC on a lowdelay channel is refused at its file path") {
    Venue venue = parse(venueJson(), "template.json");
    venue.channels[2].opus.application = OpusApplication::LowDelay; // fec stays true
    const auto error = venueErrorOf([&] { validate(venue, "built-in"); });
    REQUIRE(error.has_value());
    CHECK(error->jsonPath() == "$.channels[1].opus.fec");
    venue.channels[2].opus.fec = false;
    CHECK_NOTHROW(validate(venue, "built-in"));
}

TEST_CASE("validate() reports a venue built in code at the paths a file would have") {
    const auto row = GENERATE(Catch::Generators::from_range(inCodeMistakes()));
    INFO(row.description);
    Venue venue = parse(venueJson(), "template.json");
    REQUIRE_NOTHROW(validate(venue, "built-in"));

    row.change(venue);
    const auto error = venueErrorOf([&] { validate(venue, "built-in"); });

    REQUIRE(error.has_value());
    CHECK(error->file() == "built-in");
    CHECK(error->jsonPath() == row.path);
    CHECK_THAT(error->problem(), Contains(row.problem));
}

TEST_CASE("toJson() writes what parse() reads: the default venue round-trips") {
    const Venue venue = load(kTirana);
    const auto text = toJson(venue);

    CHECK(parse(text, "round-trip.json") == venue);
}

TEST_CASE("toJson() round-trips a venue that uses every option") {
    Venue venue;
    venue.name = "Skopje — Sala «Ohrid»";
    venue.sampleRate = 96000;
    venue.blockSize = 64;
    venue.deviceInputs = 6;
    venue.deviceOutputs = 5;
    venue.interlock = InterlockMode::Interlock;
    venue.hearing = {105.5, 99.25, 93.0, 250.0, 79.5};
    venue.floorMics = {{"Chair", 5}, {"Delegate 1", 0}};
    venue.channels = {
        {"floor", "Floor", "Floor", -1, true},
        {"mk", "Macedonian", "Македонски", 4, false},
        {"sq", "Albanian", "Shqip", -1, true},
        {"en", "English", "English", 0, true, {OpusApplication::LowDelay, 2.5, 96000, 5, false, 0}},
    };
    venue.channels[0].opus = {OpusApplication::Voip, 40.0, 24000, 8, true, 25};
    venue.channels[1].rtp = {"239.255.10.1", 5004, 4};
    venue.channels[3].rtp = {"192.0.2.10", 5006};
    Booth booth;
    booth.code = "mk";
    booth.name = "Македонска кабина";
    booth.outgoing = {1, 3, 2};
    booth.interlock = InterlockMode::Override;
    booth.autoRelay = true;
    booth.desks = {{1, 1}, {2, -1}, {3, 2}};
    venue.booths = {booth};
    venue.monitor = {3, -1};
    venue.control = {"4f1c9a0e7b3d2c6e8a5f0b1d9c7e3a26", true};
    venue.icecast = {"192.0.2.20", 8001, "source", "hackme", "/skopje/", true};
    venue.webrtc = portRange(40000, 40199);
    REQUIRE_NOTHROW(validate(venue, "in-code"));

    const auto text = toJson(venue);

    CHECK(parse(text, "round-trip.json") == venue);
    CHECK(toJson(parse(text, "round-trip.json")) == text);
}

TEST_CASE("toJson() writes UTF-8 JSON indented by two spaces in the documented key order") {
    const auto text = toJson(load(kTirana));

    CHECK_THAT(text, Contains("\"nativeName\": \"Македонски\"")); // not \u escapes
    CHECK(text.rfind("{\n  \"name\": \"Tirana", 0) == 0);
    CHECK(text.find("\n  \"sampleRate\": 48000,\n  \"blockSize\": 128,\n  \"device\": {\n"
                    "    \"inputs\": 16,\n") != std::string::npos);
    CHECK(text.ends_with("}\n"));
}

TEST_CASE("The default venue file is exactly what save() writes so saving it changes nothing") {
    CHECK(toJson(load(kTirana)) == readBytes(kTirana));
}

TEST_CASE("save() writes a new venue file that load() reads back and leaves nothing else") {
    const ScratchDirectory directory;
    const auto file = directory / "venue.json";
    const Venue venue = load(kTirana);

    save(venue, file);

    CHECK(load(file) == venue);
    CHECK(directory.entries() == std::vector<std::string>{"venue.json"});
}

TEST_CASE("save() over an existing venue replaces it whole and keeps its permissions") {
    const ScratchDirectory directory;
    const auto file = directory / "venue.json";
    writeBytes(file, std::string(100000, ' ') + "{}"); // longer than the new venue
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    const Venue venue = parse(venueJson({{"name", R"("Replacement")"}}), "good.json");

    save(venue, file);

    CHECK(readBytes(file) == toJson(venue));
    CHECK(fs::status(file).permissions() ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
    CHECK(directory.entries() == std::vector<std::string>{"venue.json"});
}

TEST_CASE("A failing save() leaves the original file byte-identical and no temporary file") {
    const ScratchDirectory directory;
    const Venue venue = load(kTirana);
    const std::string original = venueJson({{"name", R"("The original")"}});

    SECTION("the target's parent is a regular file, not a directory") {
        const auto parent = directory / "venue.json";
        writeBytes(parent, original);
        const auto target = parent / "nested.json";

        const auto error = venueErrorOf([&] { save(venue, target); });

        REQUIRE(error.has_value());
        CHECK(error->file() == target.string());
        CHECK(error->jsonPath() == "$");
        CHECK_THAT(error->problem(), Contains("cannot save") && Contains("Not a directory"));
        CHECK(readBytes(parent) == original);
        CHECK(directory.entries() == std::vector<std::string>{"venue.json"});
    }

    SECTION("the target is a directory, so the final rename fails") {
        const auto target = directory / "venue.json";
        fs::create_directory(target);
        writeBytes(target / "inside.json", original);

        const auto error = venueErrorOf([&] { save(venue, target); });

        REQUIRE(error.has_value());
        CHECK_THAT(error->problem(), Contains("cannot replace the file"));
        CHECK(readBytes(target / "inside.json") == original);
        CHECK(directory.entries() == std::vector<std::string>{"venue.json"});
    }

    SECTION("writing stops part-way, as on a full disk") {
        const auto target = directory / "venue.json";
        writeBytes(target, original);

        std::optional<VenueError> error;
        {
            const FileSizeLimit limit(64); // the new venue is several kilobytes
            error = venueErrorOf([&] { save(venue, target); });
        }

        REQUIRE(error.has_value());
        CHECK_THAT(error->problem(), Contains("writing the temporary file failed"));
        CHECK(readBytes(target) == original);
        CHECK(directory.entries() == std::vector<std::string>{"venue.json"});
    }

    SECTION("the venue breaks a rule, so nothing is written") {
        const auto target = directory / "venue.json";
        writeBytes(target, original);
        Venue invalid = venue;
        invalid.booths[1].desks[0].mic = 2;

        const auto error = venueErrorOf([&] { save(invalid, target); });

        REQUIRE(error.has_value());
        CHECK(error->jsonPath() == "$.booths[1].desks[0].mic");
        CHECK(readBytes(target) == original);
        CHECK(directory.entries() == std::vector<std::string>{"venue.json"});
    }
}

TEST_CASE("load() never writes: a refused venue file is left byte-identical") {
    const ScratchDirectory directory;
    const auto file = directory / "venue.json";
    const auto bad =
        venueJson({{"booths", booths(R"({"code": "en", "a": "en", "desks": [{"mic": 0}]})")}});
    writeBytes(file, bad);
    const auto modified = fs::last_write_time(file);

    const auto error = venueErrorOf([&] { load(file); });

    REQUIRE(error.has_value());
    CHECK(error->file() == file.string());
    CHECK(error->jsonPath() == "$.booths[0].desks[0].mic");
    CHECK(readBytes(file) == bad);
    CHECK(fs::last_write_time(file) == modified);
    CHECK(directory.entries() == std::vector<std::string>{"venue.json"});
}

TEST_CASE("load() of a file that cannot be read gives the operating system's reason") {
    const ScratchDirectory directory;

    SECTION("a missing file") {
        const auto file = directory / "missing.json";
        const auto error = venueErrorOf([&] { load(file); });
        REQUIRE(error.has_value());
        CHECK(error->file() == file.string());
        CHECK(error->jsonPath() == "$");
        CHECK_THAT(error->problem(), Contains("No such file or directory"));
    }

    SECTION("a directory") {
        const auto error = venueErrorOf([&] { load(directory.path()); });
        REQUIRE(error.has_value());
        CHECK(error->jsonPath() == "$");
        CHECK_THAT(error->problem(), Contains("Is a directory"));
    }
}

// ---------------------------------------------------------------------------------------------
// Bounded parsing: limits on the text, the nesting, strings, keys and names; a hostile file is
// refused quickly and costs memory in proportion to its size (measured in a child process).

namespace {

// The budget a hostile file may cost before it is refused (issue 14): well under what a
// refused 200 KB file could cost if any step were quadratic.
constexpr double kBudgetSeconds = 1.0;
constexpr long kBudgetKb = 100 * 1024;

// `depth` arrays inside each other, as JSON text: "[[[...]]]".
std::string nestedArrays(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

// The path of the container the depth limit refuses: the first one past it.
std::string pathPastDepth(std::size_t depth) {
    std::string path = "$";
    for (std::size_t i = 0; i < depth; ++i)
        path += "[0]";
    return path;
}

} // namespace

TEST_CASE("A 100,000-deep venue file is refused at the depth limit in under a second and 100 MB") {
    const ScratchDirectory directory;
    const auto file = directory / "deep.json";
    constexpr std::size_t kDepth = 100000;
    writeBytes(file, nestedArrays(kDepth));
    REQUIRE(fs::file_size(file) == 2 * kDepth);

    const auto cost = dragoman::test::costInChild([&] {
        const auto error = venueErrorOf([&] { load(file); });
        return error ? error->jsonPath() + "\n" + error->problem() : std::string("accepted");
    });

    REQUIRE(cost.finished);
    CHECK(cost.result == pathPastDepth(kVenueFileLimits.maxDepth) + "\nnested deeper than " +
                             std::to_string(kVenueFileLimits.maxDepth) +
                             " levels of arrays and objects");
    CHECK(cost.seconds < kBudgetSeconds);
    CHECK(cost.peakKb < kBudgetKb);
}

TEST_CASE("Nesting up to the depth limit is read, one level more is refused") {
    const auto limit = kVenueFileLimits.maxDepth;
    // {"name": [[...]]}: the top object is one level, so the arrays may take limit - 1.
    const auto at = [](std::size_t arrays) {
        return venueErrorOf([&] { parse(venueJson({{"name", nestedArrays(arrays)}}), "v.json"); });
    };
    const auto fits = at(limit - 1);
    REQUIRE(fits.has_value());
    CHECK(fits->jsonPath() == "$.name"); // read, then refused for being no string
    CHECK_THAT(fits->problem(), Contains("expected a string"));
    const auto past = at(limit);
    REQUIRE(past.has_value());
    CHECK_THAT(past->problem(), Contains("nested deeper than"));
    CHECK_THAT(past->jsonPath(), Contains("$.name[0]"));
}

TEST_CASE("A venue file or text past the size limit is refused without reading it all") {
    const ScratchDirectory directory;
    const auto file = directory / "large.json";
    // Valid JSON text one byte past the limit: a venue padded with blanks.
    auto text = venueJson();
    text += std::string(kVenueFileLimits.maxBytes + 1 - text.size(), ' ');
    writeBytes(file, text);

    const auto fromFile = venueErrorOf([&] { load(file); });
    REQUIRE(fromFile.has_value());
    CHECK(fromFile->jsonPath() == "$");
    CHECK_THAT(fromFile->problem(),
               Contains("larger than " + std::to_string(kVenueFileLimits.maxBytes) + " bytes"));

    const auto fromText = venueErrorOf([&] { parse(text, "v.json"); });
    REQUIRE(fromText.has_value());
    CHECK_THAT(fromText->problem(), Contains(std::to_string(kVenueFileLimits.maxBytes)));

    text.pop_back(); // exactly at the limit: read
    writeBytes(file, text);
    CHECK_NOTHROW(load(file));
}

TEST_CASE("Strings, keys and names past their limits are refused at their JSON paths") {
    const std::string longString(kVenueFileLimits.maxStringBytes + 1, 'x');
    const auto stringError = venueErrorOf([&] {
        parse(venueJson({{"name", quoteJson(longString)}}), "v.json");
    });
    REQUIRE(stringError.has_value());
    CHECK(stringError->jsonPath() == "$.name");
    CHECK_THAT(stringError->problem(),
               Contains("at most " + std::to_string(kVenueFileLimits.maxStringBytes)));

    const std::string longKey(kVenueFileLimits.maxKeyBytes + 1, 'k');
    const auto keyError = venueErrorOf([&] { parse(venueJson({{longKey, "1"}}), "v.json"); });
    REQUIRE(keyError.has_value());
    CHECK(keyError->jsonPath() == "$");
    CHECK_THAT(keyError->problem(),
               Contains("a key holds at most " + std::to_string(kVenueFileLimits.maxKeyBytes)));

    // Names count characters, not bytes: 200 Cyrillic letters (400 bytes) are a good name.
    std::string cyrillic;
    for (std::size_t i = 0; i < kMaxNameLength; ++i)
        cyrillic += "М";
    CHECK(parse(venueJson({{"name", quoteJson(cyrillic)}}), "v.json").name == cyrillic);
    const auto nameError = venueErrorOf([&] {
        parse(venueJson({{"name", quoteJson(cyrillic + "М")}}), "v.json");
    });
    REQUIRE(nameError.has_value());
    CHECK(nameError->jsonPath() == "$.name");
    CHECK_THAT(nameError->problem(), Contains(std::to_string(kMaxNameLength + 1) + " characters"));

    const std::string longCode(kMaxNameLength + 1, 'q');
    const auto codeError = venueErrorOf([&] {
        parse(venueJson({{"channels", withThirdChannel(longCode)}}), "v.json");
    });
    REQUIRE(codeError.has_value());
    CHECK(codeError->jsonPath() == "$.channels[2].code");
    CHECK_THAT(codeError->problem(), Contains("at most " + std::to_string(kMaxNameLength)));
}

TEST_CASE("An object with as many keys as the size limit allows is parsed in linear time") {
    // {"k0": 0, "k1": 0, ...} up to the size limit: refused at its first key only after the
    // whole syntax step, which must not search the keys so far for each new one.
    std::string text = "{";
    for (std::size_t i = 0; text.size() + 32 < kVenueFileLimits.maxBytes; ++i)
        text += (i == 0 ? "\"k" : ",\"k") + std::to_string(i) + "\":0";
    text += "}";
    const auto keys = static_cast<std::size_t>(std::count(text.begin(), text.end(), ':'));
    REQUIRE(keys > 50000);

    const auto cost = dragoman::test::costInChild([&] {
        const auto error = venueErrorOf([&] { parse(text, "v.json"); });
        return error ? error->jsonPath() : std::string("accepted");
    });

    REQUIRE(cost.finished);
    CHECK(cost.result == "$.k0");
    CHECK(cost.seconds < kBudgetSeconds);
    CHECK(cost.peakKb < kBudgetKb);
}

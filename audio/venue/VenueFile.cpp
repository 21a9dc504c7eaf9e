// Venue files: JSON text <-> venue::Venue, the rules a venue must keep, and atomic saving.
// The format is documented in docs/venue-format.md.
//
// Reading happens in three steps, each refusing with a VenueError that names the JSON path:
//   1. syntax: a strict JSON parse (no comments, no trailing commas, no duplicate keys);
//   2. shape: readVenue() walks the document, refusing unknown keys, missing required keys and
//      values of the wrong type, and resolves booth slot codes to channel indices;
//   3. meaning: validate() checks the rules that a venue built in code must keep too.
#include "venue/VenueFile.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <fcntl.h>
#include <initializer_list>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace dragoman::venue {

namespace {

// ordered_json keeps the file's key order, so toJson() writes keys in the documented order.
using Json = nlohmann::ordered_json;

constexpr std::array kSampleRates{44100, 48000, 88200, 96000};
constexpr int kMinBlockSize = 16;
constexpr int kMaxBlockSize = 1024;
constexpr int kMinDeviceChannels = 1;
constexpr int kMaxDeviceChannels = 1024;
constexpr double kMinSustainedAfterMs = 10.0;
constexpr double kMaxSustainedAfterMs = 10000.0;
constexpr std::string_view kFloorCode = "floor";
constexpr std::array<std::string_view, kSlotCount> kSlotKeys{"a", "b", "c"};

std::string errnoMessage(int error) {
    return std::generic_category().message(error);
}

// ---------------------------------------------------------------------------------------------
// Text helpers

std::string quote(std::string_view text) {
    return quoteJson(text);
}

bool isIdentifier(std::string_view key) {
    if (key.empty())
        return false;
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!letter(key.front()) && key.front() != '_')
        return false;
    return std::all_of(key.begin(), key.end(),
                       [&](char c) { return letter(c) || digit(c) || c == '_'; });
}

// JSON paths: "$", "$.booths[2].desks[1].mic"; keys that are not identifiers use ["..."].
std::string member(std::string_view path, std::string_view key) {
    if (isIdentifier(key))
        return std::string(path) + "." + std::string(key);
    return std::string(path) + "[" + quote(key) + "]";
}

std::string element(std::string_view path, std::size_t index) {
    return std::string(path) + "[" + std::to_string(index) + "]";
}

// What a JSON value is, for "expected X, got Y" messages.
std::string describe(const Json& value) {
    return describeJson(value);
}

std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The length of the well-formed UTF-8 sequence at text[i], or 0 if it is ill-formed.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t point = 0;
    if (lead < 0x80)
        return 1;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        point = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        point = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        point = lead & 0x07u;
    } else {
        return 0;
    }
    if (i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xC0) != 0x80)
            return 0;
        point = (point << 6) | (next & 0x3Fu);
    }
    constexpr std::array<std::uint32_t, 5> kSmallest{0, 0, 0x80, 0x800, 0x10000};
    if (point < kSmallest[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF))
        return 0;
    return length;
}

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto length = utf8SequenceLength(text, i);
        if (length == 0)
            return false;
        i += length;
    }
    return true;
}

// Text that is safe to show: ill-formed UTF-8 bytes become "\xFF".
std::string printable(std::string_view text) {
    std::string result;
    for (std::size_t i = 0; i < text.size();) {
        if (const auto length = utf8SequenceLength(text, i); length > 0) {
            result.append(text.substr(i, length));
            i += length;
            continue;
        }
        constexpr std::string_view kHex = "0123456789ABCDEF";
        const auto byte = static_cast<unsigned char>(text[i++]);
        result += "\\x";
        result += kHex[byte >> 4];
        result += kHex[byte & 0x0F];
    }
    return result;
}

// Channel and booth codes: [a-z][a-z0-9-]*
bool isValidCode(std::string_view code) {
    if (code.empty() || code.front() < 'a' || code.front() > 'z')
        return false;
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

// ---------------------------------------------------------------------------------------------
// Step 1: syntax. A SAX handler that builds the document like nlohmann's own DOM parser, but
// refuses duplicate keys (which a plain parse silently collapses to the last one) and keeps the
// JSON path of every open container for that message.
class StrictDocument final : public nlohmann::json_sax<Json> {
public:
    Json root;
    std::string errorPath = "$";
    std::string errorProblem = "invalid JSON";

    bool null() override { return add(Json(nullptr)); }
    bool boolean(bool value) override { return add(Json(value)); }
    bool number_integer(number_integer_t value) override { return add(Json(value)); }
    bool number_unsigned(number_unsigned_t value) override { return add(Json(value)); }
    bool number_float(number_float_t value, const string_t&) override { return add(Json(value)); }
    bool string(string_t& value) override { return add(Json(std::move(value))); }
    bool binary(binary_t& value) override { return add(Json::binary(std::move(value))); }

    bool start_object(std::size_t) override { return open(Json::object()); }
    bool start_array(std::size_t) override { return open(Json::array()); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& key) override {
        const auto& object = *open_.back().value;
        if (object.contains(key)) {
            errorPath = member(open_.back().path, key);
            errorProblem = "duplicate key " + quote(key) + ": a key may appear once per object";
            return false;
        }
        key_ = std::move(key);
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const Json::exception& ex) override {
        // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 3,
        // column 5: syntax error while parsing ..."; keep it without the bracketed id.
        std::string message = ex.what();
        if (const auto bracket = message.find("] ");
            !message.empty() && message.front() == '[' && bracket != std::string::npos)
            message.erase(0, bracket + 2);
        errorPath = "$";
        errorProblem =
            "invalid JSON at byte " + std::to_string(position) + ": " + printable(message);
        return false;
    }

private:
    struct OpenContainer {
        Json* value;
        std::string path;
    };

    // Puts `value` where the parser is: the root, the next array element or the pending key.
    Json* place(Json value, std::string* path) {
        if (open_.empty()) {
            root = std::move(value);
            if (path)
                *path = "$";
            return &root;
        }
        auto& parent = *open_.back().value;
        if (parent.is_array()) {
            if (path)
                *path = element(open_.back().path, parent.size());
            parent.push_back(std::move(value));
            return &parent.back();
        }
        if (path)
            *path = member(open_.back().path, key_);
        auto& slot = parent[key_];
        slot = std::move(value);
        return &slot;
    }

    bool add(Json value) {
        place(std::move(value), nullptr);
        return true;
    }

    // A container's children are only added while it is the innermost open one, so the
    // pointers on the stack stay valid (the parent does not grow while a child is open).
    bool open(Json container) {
        std::string path;
        Json* placed = place(std::move(container), &path);
        open_.push_back({placed, std::move(path)});
        return true;
    }

    bool close() {
        open_.pop_back();
        return true;
    }

    std::vector<OpenContainer> open_;
    std::string key_;
};

// ---------------------------------------------------------------------------------------------
// Step 2: shape.

class Reader {
public:
    explicit Reader(const std::string& file)
        : file_(file) {}

    [[noreturn]] void fail(std::string path, std::string problem) const {
        throw VenueError(file_, std::move(path), std::move(problem));
    }

    void expectArray(const Json& value, const std::string& path) const {
        if (!value.is_array())
            fail(path, "expected an array, got " + describe(value));
    }

    std::string string(const Json& value, const std::string& path) const {
        if (!value.is_string())
            fail(path, "expected a string, got " + describe(value));
        return value.get<std::string>();
    }

    bool boolean(const Json& value, const std::string& path) const {
        if (!value.is_boolean())
            fail(path, "expected true or false, got " + describe(value));
        return value.get<bool>();
    }

    double number(const Json& value, const std::string& path) const {
        if (!value.is_number())
            fail(path, "expected a number, got " + describe(value));
        return value.get<double>();
    }

    int integer(const Json& value, const std::string& path) const {
        constexpr auto kMin = std::numeric_limits<int>::min();
        constexpr auto kMax = std::numeric_limits<int>::max();
        if (value.is_number_unsigned()) {
            const auto n = value.get<std::uint64_t>();
            if (n > static_cast<std::uint64_t>(kMax))
                fail(path, "integer " + value.dump() + " is out of range");
            return static_cast<int>(n);
        }
        if (value.is_number_integer()) {
            const auto n = value.get<std::int64_t>();
            if (n < kMin || n > kMax)
                fail(path, "integer " + value.dump() + " is out of range");
            return static_cast<int>(n);
        }
        if (value.is_number_float()) { // 48000.0 is an integer written with a fraction
            const auto n = value.get<double>();
            if (std::trunc(n) == n) {
                if (n < kMin || n > kMax)
                    fail(path, "integer " + value.dump() + " is out of range");
                return static_cast<int>(n);
            }
        }
        fail(path, "expected an integer, got " + describe(value));
    }

    InterlockMode interlock(const Json& value, const std::string& path) const {
        const auto text = string(value, path);
        const auto mode = interlockModeFromString(text);
        if (!mode)
            fail(path, "unknown interlock mode " + quote(text) +
                           "; use \"override\" (the newest press wins) or \"interlock\" (the "
                           "first holds)");
        return *mode;
    }

private:
    const std::string& file_;
};

// One JSON object of the document, with its path. Unknown keys are refused as soon as it is
// opened, so a typo ("sampleRat") is reported as such rather than as a missing key.
class Object {
public:
    Object(const Reader& reader, const Json& json, std::string path,
           std::initializer_list<std::string_view> allowed)
        : reader_(reader)
        , json_(json)
        , path_(std::move(path)) {
        if (!json.is_object())
            reader.fail(path_, "expected an object, got " + describe(json));
        for (const auto& [key, value] : json.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
                continue;
            std::string problem = "unknown key " + quote(key);
            std::string_view suggestion;
            std::size_t best = 3; // suggest only near misses
            for (const auto candidate : allowed) {
                const auto distance = editDistance(key, candidate);
                if (distance < best) {
                    best = distance;
                    suggestion = candidate;
                }
            }
            if (!suggestion.empty()) {
                problem += "; did you mean " + quote(suggestion) + "?";
            } else {
                problem += "; allowed here:";
                for (const auto candidate : allowed)
                    problem += std::string(candidate == *allowed.begin() ? " " : ", ") +
                               std::string(candidate);
            }
            reader.fail(member(path_, key), problem);
        }
    }

    const std::string& path() const { return path_; }
    std::string path(std::string_view key) const { return member(path_, key); }

    const Json* find(std::string_view key) const {
        const auto it = json_.find(std::string(key));
        return it == json_.end() ? nullptr : &*it;
    }

    const Json& require(std::string_view key) const {
        const auto* value = find(key);
        if (!value)
            reader_.fail(path_, "missing required key " + quote(key));
        return *value;
    }

    std::string string(std::string_view key, std::string fallback) const {
        const auto* value = find(key);
        return value ? reader_.string(*value, path(key)) : std::move(fallback);
    }
    std::string requiredString(std::string_view key) const {
        return reader_.string(require(key), path(key));
    }
    int integer(std::string_view key, int fallback) const {
        const auto* value = find(key);
        return value ? reader_.integer(*value, path(key)) : fallback;
    }
    int requiredInteger(std::string_view key) const {
        return reader_.integer(require(key), path(key));
    }
    // A device channel that may be absent or null: -1 = none.
    int optionalIndex(std::string_view key) const {
        const auto* value = find(key);
        return value && !value->is_null() ? reader_.integer(*value, path(key)) : -1;
    }
    double number(std::string_view key, double fallback) const {
        const auto* value = find(key);
        return value ? reader_.number(*value, path(key)) : fallback;
    }
    bool boolean(std::string_view key, bool fallback) const {
        const auto* value = find(key);
        return value ? reader_.boolean(*value, path(key)) : fallback;
    }

private:
    const Reader& reader_;
    const Json& json_;
    std::string path_;
};

HearingProtection readHearing(const Reader& reader, const Json& json, std::string path) {
    const Object object(
        reader, json, std::move(path),
        {"calibrationDbSpl", "ceilingDbSpl", "sustainedDbSpl", "sustainedAfterMs", "warningDbSpl"});
    HearingProtection hearing;
    hearing.calibrationDbSpl = object.number("calibrationDbSpl", hearing.calibrationDbSpl);
    hearing.ceilingDbSpl = object.number("ceilingDbSpl", hearing.ceilingDbSpl);
    hearing.sustainedDbSpl = object.number("sustainedDbSpl", hearing.sustainedDbSpl);
    hearing.sustainedAfterMs = object.number("sustainedAfterMs", hearing.sustainedAfterMs);
    hearing.warningDbSpl = object.number("warningDbSpl", hearing.warningDbSpl);
    return hearing;
}

// A channel's "opus" object. FEC defaults to on where Opus can do it (voip, audio) and to off
// for lowdelay, so {"application": "lowdelay"} alone is a valid choice; validate() refuses an
// explicit "fec": true with lowdelay.
OpusSettings readOpus(const Reader& reader, const Json& json, std::string path) {
    const Object object(reader, json, std::move(path),
                        {"application", "frameMs", "bitrate", "complexity", "fec", "lossPercent"});
    OpusSettings opus;
    if (const auto* application = object.find("application")) {
        const auto text = reader.string(*application, object.path("application"));
        const auto parsed = opusApplicationFromString(text);
        if (!parsed)
            reader.fail(object.path("application"),
                        "unknown Opus application " + quote(text) +
                            "; use \"voip\" (speech), \"audio\" (general) or \"lowdelay\" "
                            "(CELT only, lowest delay, no FEC)");
        opus.application = *parsed;
    }
    opus.frameMs = object.number("frameMs", opus.frameMs);
    opus.bitrate = object.integer("bitrate", opus.bitrate);
    opus.complexity = object.integer("complexity", opus.complexity);
    opus.fec = object.boolean("fec", opus.application != OpusApplication::LowDelay);
    opus.lossPercent = object.integer("lossPercent", opus.lossPercent);
    return opus;
}

// A channel's "rtp" object: a fixed destination for its RTP.
RtpDestination readRtp(const Reader& reader, const Json& json, std::string path) {
    const Object object(reader, json, std::move(path), {"address", "port", "ttl"});
    RtpDestination rtp;
    rtp.address = object.requiredString("address");
    rtp.port = object.requiredInteger("port");
    rtp.ttl = object.integer("ttl", rtp.ttl);
    return rtp;
}

// A booth slot ("a", "b", "c") names a channel by code; the venue holds its index.
int readSlot(const Reader& reader, const Object& booth, std::string_view key, const Venue& venue) {
    const auto* value = booth.find(key);
    if (!value || (value->is_null() && key != "a"))
        return -1;
    const auto code = reader.string(*value, booth.path(key));
    if (const auto index = venue.channelIndex(code))
        return *index; // "floor" resolves to 0, which validate() refuses with its own reason
    std::string known;
    for (std::size_t i = 1; i < venue.channels.size(); ++i)
        known += (i == 1 ? "" : ", ") + venue.channels[i].code;
    reader.fail(booth.path(key),
                "unknown channel " + quote(code) + " (the venue's channels: " + known + ")");
}

Booth readBooth(const Reader& reader, const Json& json, std::string path, const Venue& venue) {
    const Object object(reader, json, std::move(path),
                        {"code", "name", "a", "b", "c", "interlock", "autoRelay", "desks"});
    Booth booth;
    booth.code = object.requiredString("code");
    booth.name = object.string("name", "");
    object.require("a");
    for (int s = 0; s < kSlotCount; ++s)
        booth.outgoing[static_cast<std::size_t>(s)] =
            readSlot(reader, object, kSlotKeys[static_cast<std::size_t>(s)], venue);
    booth.interlock = venue.interlock;
    if (const auto* interlock = object.find("interlock"))
        booth.interlock = reader.interlock(*interlock, object.path("interlock"));
    booth.autoRelay = object.boolean("autoRelay", false);
    const auto& desks = object.require("desks");
    reader.expectArray(desks, object.path("desks"));
    for (std::size_t d = 0; d < desks.size(); ++d) {
        const Object desk(reader, desks[d], element(object.path("desks"), d),
                          {"mic", "headphones"});
        booth.desks.push_back({desk.requiredInteger("mic"), desk.optionalIndex("headphones")});
    }
    return booth;
}

Venue readVenue(const Reader& reader, const Json& root) {
    const Object top(reader, root, "$",
                     {"name", "sampleRate", "blockSize", "device", "interlock", "hearingProtection",
                      "floor", "channels", "booths", "monitor", "control", "icecast"});
    Venue venue;
    venue.name = top.string("name", "");
    venue.sampleRate = top.integer("sampleRate", venue.sampleRate);
    venue.blockSize = top.integer("blockSize", venue.blockSize);

    const Object device(reader, top.require("device"), top.path("device"), {"inputs", "outputs"});
    venue.deviceInputs = device.requiredInteger("inputs");
    venue.deviceOutputs = device.requiredInteger("outputs");

    if (const auto* interlock = top.find("interlock"))
        venue.interlock = reader.interlock(*interlock, top.path("interlock"));
    if (const auto* hearing = top.find("hearingProtection"))
        venue.hearing = readHearing(reader, *hearing, top.path("hearingProtection"));

    // The floor is channel 0; its names are fixed, only its line-out is configurable.
    const Object floor(reader, top.require("floor"), top.path("floor"),
                       {"lineOut", "mics", "opus", "rtp"});
    venue.channels.push_back(
        {std::string(kFloorCode), "Floor", "Floor", floor.optionalIndex("lineOut"), true, {}});
    if (const auto* opus = floor.find("opus"))
        venue.channels.back().opus = readOpus(reader, *opus, floor.path("opus"));
    if (const auto* rtp = floor.find("rtp"))
        venue.channels.back().rtp = readRtp(reader, *rtp, floor.path("rtp"));
    const auto& mics = floor.require("mics");
    reader.expectArray(mics, floor.path("mics"));
    for (std::size_t m = 0; m < mics.size(); ++m) {
        const Object mic(reader, mics[m], element(floor.path("mics"), m), {"name", "input"});
        venue.floorMics.push_back({mic.string("name", ""), mic.requiredInteger("input")});
    }

    const auto& channels = top.require("channels");
    reader.expectArray(channels, top.path("channels"));
    for (std::size_t c = 0; c < channels.size(); ++c) {
        const Object object(reader, channels[c], element(top.path("channels"), c),
                            {"code", "name", "nativeName", "lineOut", "autoFloor", "opus", "rtp"});
        Channel channel;
        channel.code = object.requiredString("code");
        channel.name = object.string("name", "");
        channel.nativeName = object.string("nativeName", "");
        channel.lineOut = object.optionalIndex("lineOut");
        channel.autoFloor = object.boolean("autoFloor", true);
        if (const auto* opus = object.find("opus"))
            channel.opus = readOpus(reader, *opus, object.path("opus"));
        if (const auto* rtp = object.find("rtp"))
            channel.rtp = readRtp(reader, *rtp, object.path("rtp"));
        venue.channels.push_back(std::move(channel));
    }

    const auto& booths = top.require("booths");
    reader.expectArray(booths, top.path("booths"));
    for (std::size_t b = 0; b < booths.size(); ++b)
        venue.booths.push_back(readBooth(reader, booths[b], element(top.path("booths"), b), venue));

    if (const auto* monitor = top.find("monitor")) {
        const Object object(reader, *monitor, top.path("monitor"), {"left", "right"});
        venue.monitor.left = object.optionalIndex("left");
        venue.monitor.right = object.optionalIndex("right");
    }

    if (const auto* control = top.find("control")) {
        const Object object(reader, *control, top.path("control"), {"token", "remoteReads"});
        if (const auto* token = object.find("token")) {
            venue.control.token = reader.string(*token, object.path("token"));
            if (venue.control.token.empty()) // validate() reads "" as "no token"; a file says so
                reader.fail(object.path("token"),
                            "the token is empty; leave \"token\" out for a read-only API");
        }
        venue.control.remoteReads = object.boolean("remoteReads", false);
    }

    if (const auto* icecast = top.find("icecast")) {
        const Object object(reader, *icecast, top.path("icecast"),
                            {"host", "port", "user", "password", "mountPrefix", "public"});
        auto& settings = venue.icecast;
        settings.host = object.requiredString("host");
        if (settings.host.empty())
            reader.fail(object.path("host"),
                        "the host is empty; leave \"icecast\" out for no push");
        settings.port = object.integer("port", settings.port);
        settings.user = object.string("user", settings.user);
        settings.password = object.string("password", settings.password);
        settings.mountPrefix = object.string("mountPrefix", settings.mountPrefix);
        settings.isPublic = object.boolean("public", settings.isPublic);
    }
    return venue;
}

// ---------------------------------------------------------------------------------------------
// Step 3: meaning. Paths are those the value has (or would have) in a venue file, so a venue
// built in code is reported in the same words as a file.

// channels[0] lives under "floor" in a file; channels[i] at "channels"[i - 1].
std::string channelPath(std::size_t index) {
    return index == 0 ? std::string("$.floor") : element("$.channels", index - 1);
}

Json numberJson(double value); // "15", "2.5": as toJson() writes it

class Validator {
public:
    Validator(const Venue& venue, const std::string& file)
        : venue_(venue)
        , file_(file) {}

    void run() {
        checkName(venue_.name, "$.name");
        checkAudio();
        checkHearing();
        checkFloor();
        checkChannels();
        checkBooths();
        claimOutput(venue_.monitor.left, "$.monitor.left");
        claimOutput(venue_.monitor.right, "$.monitor.right");
        checkControl();
        checkIcecast();
    }

private:
    [[noreturn]] void fail(std::string path, std::string problem) const {
        throw VenueError(file_, std::move(path), std::move(problem));
    }

    void checkName(const std::string& name, std::string path) const {
        if (!isValidUtf8(name))
            fail(std::move(path), "the name is not valid UTF-8");
    }

    void checkAudio() const {
        if (std::find(kSampleRates.begin(), kSampleRates.end(), venue_.sampleRate) ==
            kSampleRates.end())
            fail("$.sampleRate", "sample rate " + std::to_string(venue_.sampleRate) +
                                     " Hz is not supported; use 44100, 48000, 88200 or 96000");
        if (venue_.blockSize < kMinBlockSize || venue_.blockSize > kMaxBlockSize)
            fail("$.blockSize", "block size " + std::to_string(venue_.blockSize) +
                                    " is out of range " + std::to_string(kMinBlockSize) + ".." +
                                    std::to_string(kMaxBlockSize) + " frames");
        const auto checkCount = [&](int count, const char* path, const char* what) {
            if (count < kMinDeviceChannels || count > kMaxDeviceChannels)
                fail(path, std::string("device ") + what + " count " + std::to_string(count) +
                               " is out of range " + std::to_string(kMinDeviceChannels) + ".." +
                               std::to_string(kMaxDeviceChannels));
        };
        checkCount(venue_.deviceInputs, "$.device.inputs", "input");
        checkCount(venue_.deviceOutputs, "$.device.outputs", "output");
    }

    void checkHearing() const {
        const auto& h = venue_.hearing;
        const auto text = [](double value) {
            auto result = Json(value).dump(); // shortest form that reads back: 94, 93.5
            if (result.size() > 2 && result.ends_with(".0"))
                result.resize(result.size() - 2);
            return result;
        };
        const std::array<std::pair<double, const char*>, 5> fields{{
            {h.calibrationDbSpl, "calibrationDbSpl"},
            {h.ceilingDbSpl, "ceilingDbSpl"},
            {h.sustainedDbSpl, "sustainedDbSpl"},
            {h.sustainedAfterMs, "sustainedAfterMs"},
            {h.warningDbSpl, "warningDbSpl"},
        }};
        for (const auto& [value, key] : fields)
            if (!std::isfinite(value))
                fail(member("$.hearingProtection", key), "must be a finite number");
        if (h.ceilingDbSpl > h.calibrationDbSpl)
            fail("$.hearingProtection.ceilingDbSpl",
                 "the ceiling " + text(h.ceilingDbSpl) + " dB SPL is above the calibration " +
                     text(h.calibrationDbSpl) +
                     " dB SPL (the level of 0 dBFS), so it could never act; check the "
                     "calibration");
        if (h.sustainedDbSpl >= h.ceilingDbSpl)
            fail("$.hearingProtection.sustainedDbSpl",
                 "the sustained limit " + text(h.sustainedDbSpl) +
                     " dB SPL must be below the ceiling " + text(h.ceilingDbSpl) + " dB SPL");
        if (h.warningDbSpl >= h.sustainedDbSpl)
            fail("$.hearingProtection.warningDbSpl",
                 "the warning level " + text(h.warningDbSpl) +
                     " dB SPL must be below the sustained limit " + text(h.sustainedDbSpl) +
                     " dB SPL");
        if (h.sustainedAfterMs < kMinSustainedAfterMs || h.sustainedAfterMs > kMaxSustainedAfterMs)
            fail("$.hearingProtection.sustainedAfterMs",
                 text(h.sustainedAfterMs) + " ms is out of range " + text(kMinSustainedAfterMs) +
                     ".." + text(kMaxSustainedAfterMs) + " ms");
    }

    void checkFloor() {
        if (venue_.channels.empty())
            fail("$.floor", "the venue has no channels; channel 0 must be the floor (code "
                            "\"floor\")");
        const auto& floor = venue_.channels.front();
        if (floor.code != kFloorCode)
            fail("$.floor",
                 "channel 0 must be the floor (code \"floor\"), not " + quote(floor.code));
        claimOutput(floor.lineOut, "$.floor.lineOut");
        checkOpus(floor.opus, "$.floor.opus");
        checkRtp(floor.rtp, "$.floor.rtp");
        if (venue_.floorMics.empty())
            fail("$.floor.mics", "no floor microphones: a venue needs at least one");
        for (std::size_t m = 0; m < venue_.floorMics.size(); ++m) {
            const auto path = element("$.floor.mics", m);
            checkName(venue_.floorMics[m].name, path + ".name");
            claimInput(venue_.floorMics[m].input, path + ".input");
        }
    }

    void checkChannels() {
        if (venue_.channels.size() < 2)
            fail("$.channels", "no language channels: a venue needs at least one");
        std::map<std::string, std::string, std::less<>> codes;
        for (std::size_t c = 1; c < venue_.channels.size(); ++c) {
            const auto& channel = venue_.channels[c];
            const auto path = channelPath(c);
            checkCode("channel", channel.code, path + ".code", codes, path);
            checkName(channel.name, path + ".name");
            checkName(channel.nativeName, path + ".nativeName");
            claimOutput(channel.lineOut, path + ".lineOut");
            checkOpus(channel.opus, path + ".opus");
            checkRtp(channel.rtp, path + ".rtp");
        }
    }

    // A dotted IPv4 address, an even port, a sensible TTL, and no two channels on one stream.
    void checkRtp(const RtpDestination& rtp, const std::string& path) {
        if (!rtp.configured())
            return;
        int parts = 0;
        int value = -1;
        bool dotted = !rtp.address.empty();
        int first = -1;
        for (char ch : rtp.address + ".") {
            if (ch == '.') {
                dotted = dotted && value >= 0 && value <= 255;
                first = first < 0 ? value : first;
                ++parts;
                value = -1;
            } else if (ch >= '0' && ch <= '9' && value < 1000) {
                value = (value < 0 ? 0 : value * 10) + (ch - '0');
            } else {
                dotted = false;
            }
        }
        if (!dotted || parts != 4)
            fail(path + ".address", quote(rtp.address) +
                                        " is not a dotted IPv4 address (e.g. \"239.255.10.1\" "
                                        "for a multicast group)");
        if (first == 0 || first >= 240)
            fail(path + ".address", quote(rtp.address) + " cannot receive RTP");
        if (rtp.port < 1024 || rtp.port > 65534 || rtp.port % 2 != 0)
            fail(path + ".port", "RTP port " + std::to_string(rtp.port) +
                                     " must be even and in 1024..65534 (RTCP uses port + 1)");
        if (rtp.ttl < 1 || rtp.ttl > 255)
            fail(path + ".ttl", "TTL " + std::to_string(rtp.ttl) + " is out of range 1..255");
        const auto key = rtp.address + ":" + std::to_string(rtp.port);
        if (const auto [it, fresh] = rtpUsers_.emplace(key, path); !fresh)
            fail(path, "RTP destination " + key + " is already used by " + it->second);
    }

    void checkOpus(const OpusSettings& opus, const std::string& path) const {
        const auto& sizes = OpusSettings::kFrameSizesMs;
        if (std::find(sizes.begin(), sizes.end(), opus.frameMs) == sizes.end())
            fail(path + ".frameMs", "frame size " + numberJson(opus.frameMs).dump() +
                                        " ms is not an Opus frame size; use 2.5, 5, 10, 20, "
                                        "40 or 60");
        if (opus.bitrate < OpusSettings::kMinBitrate || opus.bitrate > OpusSettings::kMaxBitrate)
            fail(path + ".bitrate", "bitrate " + std::to_string(opus.bitrate) +
                                        " bit/s is out of range " +
                                        std::to_string(OpusSettings::kMinBitrate) + ".." +
                                        std::to_string(OpusSettings::kMaxBitrate));
        if (opus.complexity < 0 || opus.complexity > 10)
            fail(path + ".complexity",
                 "complexity " + std::to_string(opus.complexity) + " is out of range 0..10");
        if (opus.lossPercent < 0 || opus.lossPercent > 100)
            fail(path + ".lossPercent",
                 "loss " + std::to_string(opus.lossPercent) + " % is out of range 0..100");
        if (opus.fec && opus.application == OpusApplication::LowDelay)
            fail(path + ".fec",
                 "in-band FEC works only in Opus's SILK and hybrid modes, which \"lowdelay\" "
                 "(CELT only) never uses; set \"fec\": false or use \"voip\" or \"audio\"");
        if (opus.fec && opus.lossPercent == 0)
            fail(path + ".lossPercent",
                 "FEC needs an expected loss above 0 % (Opus adds no redundancy at 0); set "
                 "\"lossPercent\" or \"fec\": false");
    }

    void checkBooths() {
        std::map<std::string, std::string, std::less<>> codes;
        for (std::size_t b = 0; b < venue_.booths.size(); ++b) {
            const auto& booth = venue_.booths[b];
            const auto path = element("$.booths", b);
            checkCode("booth", booth.code, path + ".code", codes, path);
            checkName(booth.name, path + ".name");
            checkSlots(booth, path);
            if (booth.desks.empty())
                fail(path + ".desks", "booth " + quote(booth.code) + " has no desks");
            for (std::size_t d = 0; d < booth.desks.size(); ++d) {
                const auto deskPath = element(path + ".desks", d);
                claimInput(booth.desks[d].mic, deskPath + ".mic");
                claimOutput(booth.desks[d].headphones, deskPath + ".headphones");
            }
        }
    }

    void checkSlots(const Booth& booth, const std::string& boothPath) const {
        const auto channelCount = venue_.channels.size();
        for (std::size_t s = 0; s < kSlotCount; ++s) {
            const int index = booth.outgoing[s];
            const auto path = member(boothPath, kSlotKeys[s]);
            if (index == -1) {
                if (s == 0)
                    fail(path, "a booth needs an A channel (the language it interprets into)");
                continue;
            }
            if (s == 2 && booth.outgoing[1] == -1)
                fail(path, "the booth has a C channel but no B channel; use \"b\" first");
            if (index < 0 || static_cast<std::size_t>(index) >= channelCount)
                fail(path, "channel index " + std::to_string(index) +
                               " is not in the venue (it has channels 0.." +
                               std::to_string(channelCount - 1) + ")");
            if (index == 0)
                fail(path, "a booth cannot interpret into the floor; name a language channel");
            for (std::size_t earlier = 0; earlier < s; ++earlier)
                if (booth.outgoing[earlier] == index)
                    fail(path, "channel " +
                                   quote(venue_.channels[static_cast<std::size_t>(index)].code) +
                                   " is already the booth's " +
                                   std::string(toString(static_cast<Slot>(earlier))) + " channel");
        }
    }

    // The token travels in an HTTP header (Authorization: Bearer TOKEN): printable ASCII
    // without spaces, and long enough not to be guessed.
    void checkControl() const {
        const auto& token = venue_.control.token;
        if (token.empty())
            return;
        const auto bad =
            std::find_if(token.begin(), token.end(), [](char c) { return c < '!' || c > '~'; });
        if (bad != token.end())
            fail("$.control.token",
                 "the token may only hold printable ASCII characters without spaces (it is sent "
                 "in an HTTP header)");
        if (token.size() < ControlSettings::kMinTokenLength)
            fail("$.control.token", "the token has " + std::to_string(token.size()) +
                                        " characters; use at least " +
                                        std::to_string(ControlSettings::kMinTokenLength) +
                                        " (for example: openssl rand -hex 16)");
    }

    // Host names, users and mounts travel in an HTTP request line and headers.
    void checkIcecast() const {
        const auto& icecast = venue_.icecast;
        if (!icecast.configured())
            return;
        const auto printable = [](const std::string& text) {
            return std::all_of(text.begin(), text.end(),
                               [](char c) { return c >= '!' && c <= '~'; });
        };
        if (!printable(icecast.host))
            fail("$.icecast.host", quote(icecast.host) + " is not a host name or address");
        if (icecast.port < 1 || icecast.port > 65535)
            fail("$.icecast.port",
                 "port " + std::to_string(icecast.port) + " is out of range 1..65535");
        if (icecast.user.empty() || !printable(icecast.user) ||
            icecast.user.find(':') != std::string::npos)
            fail("$.icecast.user", "the source user must be printable ASCII without spaces or ':'");
        if (!printable(icecast.password))
            fail("$.icecast.password", "the password may only hold printable ASCII characters "
                                       "without spaces");
        const auto& prefix = icecast.mountPrefix;
        const bool prefixOk = !prefix.empty() && prefix.front() == '/' && prefix.back() == '/' &&
                              std::all_of(prefix.begin(), prefix.end(), [](char c) {
                                  return std::isalnum(static_cast<unsigned char>(c)) || c == '/' ||
                                         c == '-' || c == '_' || c == '.';
                              });
        if (!prefixOk)
            fail("$.icecast.mountPrefix",
                 quote(prefix) + " is not a mount prefix: it starts and ends with '/' and holds "
                                 "letters, digits, '-', '_' and '.' (e.g. \"/\" or \"/tirana/\")");
    }

    void checkCode(const char* what, const std::string& code, const std::string& path,
                   std::map<std::string, std::string, std::less<>>& seen,
                   const std::string& ownerPath) const {
        if (code.empty())
            fail(path, std::string(what) + " code is empty");
        if (!isValidCode(code))
            fail(path, std::string(what) + " code " + quote(code) +
                           " is not valid: use lower-case letters, digits and '-', starting "
                           "with a letter (\"en\", \"pt-br\")");
        if (code == kFloorCode && std::string_view(what) == "channel")
            fail(path, "channel code \"floor\" is reserved for the floor (channel 0)");
        const auto [it, inserted] = seen.emplace(code, ownerPath);
        if (!inserted)
            fail(path,
                 std::string(what) + " code " + quote(code) + " is already used by " + it->second);
    }

    // Every device channel has one user: a microphone wired to two inputs, or two feeds mixed
    // onto one output, is a wiring mistake.
    void claimInput(int index, const std::string& path) {
        claim(index, path, venue_.deviceInputs, "input", inputs_);
    }
    void claimOutput(int index, const std::string& path) {
        if (index != -1) // outputs are optional
            claim(index, path, venue_.deviceOutputs, "output", outputs_);
    }
    void claim(int index, const std::string& path, int count, const char* what,
               std::map<int, std::string>& users) const {
        if (index < 0 || index >= count)
            fail(path, std::string("device ") + what + " " + std::to_string(index) +
                           " is out of range: the device has " + std::to_string(count) + " " +
                           what + "s (0.." + std::to_string(count - 1) + ")");
        const auto [it, inserted] = users.emplace(index, path);
        if (!inserted)
            fail(path, std::string("device ") + what + " " + std::to_string(index) +
                           " is already used by " + it->second);
    }

    const Venue& venue_;
    const std::string& file_;
    std::map<int, std::string> inputs_;
    std::map<int, std::string> outputs_;
    std::map<std::string, std::string> rtpUsers_; // "address:port" -> the first channel
};

// ---------------------------------------------------------------------------------------------
// Files

// An owned POSIX file descriptor.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd = -1)
        : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() { reset(); }

    int get() const { return fd_; }
    // Closes now and reports close()'s error (a delayed write error surfaces here).
    int close() {
        const int result = ::close(fd_);
        fd_ = -1;
        return result;
    }
    void reset() {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

std::string readFile(const std::filesystem::path& file, const std::string& name) {
    const FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        throw VenueError(name, "$", "cannot open the file: " + errnoMessage(errno));
    std::string text;
    std::array<char, 65536> buffer{};
    for (;;) {
        const auto count = ::read(fd.get(), buffer.data(), buffer.size());
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            throw VenueError(name, "$", "cannot read the file: " + errnoMessage(errno));
        if (count == 0)
            return text;
        text.append(buffer.data(), static_cast<std::size_t>(count));
    }
}

// A temporary file beside the target, removed unless it was renamed into place.
class TemporaryFile {
public:
    explicit TemporaryFile(std::filesystem::path path)
        : path_(std::move(path)) {}
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    ~TemporaryFile() {
        if (!path_.empty())
            ::unlink(path_.c_str());
    }
    const std::filesystem::path& path() const { return path_; }
    void release() { path_.clear(); }

private:
    std::filesystem::path path_;
};

std::string randomSuffix() {
    static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device device;
    std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
    std::string suffix(6, ' ');
    for (auto& c : suffix)
        c = kAlphabet[pick(device)];
    return suffix;
}

void writeAtomically(const std::filesystem::path& file, const std::string& name,
                     const std::string& text) {
    const auto fail = [&](const std::string& step, int error) {
        throw VenueError(name, "$", "cannot save: " + step + ": " + errnoMessage(error));
    };

    // Saving through a symbolic link replaces the file it points to, not the link.
    std::filesystem::path target = file;
    std::error_code ec;
    if (std::filesystem::is_symlink(file, ec)) {
        auto resolved = std::filesystem::canonical(file, ec);
        if (!ec)
            target = std::move(resolved);
    }

    // O_EXCL with a fresh random name: never opens someone else's file. Mode 0666 lets the
    // umask decide, as for any new file; an existing venue keeps its own mode below.
    std::filesystem::path temporaryPath;
    int descriptor = -1;
    for (int attempt = 0; descriptor < 0; ++attempt) {
        temporaryPath = target;
        temporaryPath += ".tmp-" + randomSuffix();
        descriptor = ::open(temporaryPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (descriptor < 0 && (errno != EEXIST || attempt == 100))
            fail("cannot create a temporary file beside it", errno);
    }
    FileDescriptor fd(descriptor);
    TemporaryFile temporary(temporaryPath);

    struct stat existing {};
    if (::stat(target.c_str(), &existing) == 0 && S_ISREG(existing.st_mode) &&
        ::fchmod(fd.get(), existing.st_mode & 07777) != 0)
        fail("cannot give the temporary file the venue file's permissions", errno);

    std::size_t written = 0;
    while (written < text.size()) {
        const auto count = ::write(fd.get(), text.data() + written, text.size() - written);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            fail("writing the temporary file failed", errno);
        written += static_cast<std::size_t>(count);
    }
    if (::fsync(fd.get()) != 0)
        fail("flushing the temporary file to disk failed", errno);
    if (fd.close() != 0)
        fail("closing the temporary file failed", errno);
    if (::rename(temporary.path().c_str(), target.c_str()) != 0)
        fail("cannot replace the file", errno);
    temporary.release();

    // Make the rename itself durable. The new venue is already in place, so a failure here is
    // not reported as a failed save.
    auto directory = target.parent_path();
    if (directory.empty())
        directory = ".";
    const FileDescriptor directoryFd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (directoryFd.get() >= 0)
        ::fsync(directoryFd.get());
}

// Integral values as JSON integers ("110", not "110.0"), others in their shortest exact form.
Json numberJson(double value) {
    constexpr double kLargestExact = 9007199254740992.0; // 2^53
    if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < kLargestExact)
        return Json(static_cast<std::int64_t>(value));
    return Json(value);
}

// A channel's "opus" object without its defaults; empty when everything is default.
Json opusJson(const OpusSettings& opus) {
    const OpusSettings defaults;
    Json object = Json::object();
    if (opus.application != defaults.application)
        object["application"] = std::string(toString(opus.application));
    if (opus.frameMs != defaults.frameMs)
        object["frameMs"] = numberJson(opus.frameMs);
    if (opus.bitrate != defaults.bitrate)
        object["bitrate"] = opus.bitrate;
    if (opus.complexity != defaults.complexity)
        object["complexity"] = opus.complexity;
    if (opus.fec != (opus.application != OpusApplication::LowDelay)) // the file's default
        object["fec"] = opus.fec;
    if (opus.lossPercent != defaults.lossPercent)
        object["lossPercent"] = opus.lossPercent;
    return object;
}

Json rtpJson(const RtpDestination& rtp) {
    Json object = {{"address", rtp.address}, {"port", rtp.port}};
    if (rtp.ttl != RtpDestination{}.ttl)
        object["ttl"] = rtp.ttl;
    return object;
}

} // namespace

Venue load(const std::filesystem::path& file) {
    const auto name = file.string();
    return parse(readFile(file, name), name);
}

Venue parse(std::string_view json, const std::string& file) {
    StrictDocument document;
    if (!Json::sax_parse(json.begin(), json.end(), &document))
        throw VenueError(file, document.errorPath, document.errorProblem);
    const Reader reader(file);
    Venue venue = readVenue(reader, document.root);
    validate(venue, file);
    return venue;
}

void validate(const Venue& venue, const std::string& file) {
    Validator(venue, file).run();
}

std::string toJson(const Venue& venue) {
    const auto channelCode = [&](int index) -> Json {
        if (index < 0 || static_cast<std::size_t>(index) >= venue.channels.size())
            return Json(nullptr);
        return venue.channels[static_cast<std::size_t>(index)].code;
    };

    Json root = Json::object();
    root["name"] = venue.name;
    root["sampleRate"] = venue.sampleRate;
    root["blockSize"] = venue.blockSize;
    root["device"] = {{"inputs", venue.deviceInputs}, {"outputs", venue.deviceOutputs}};
    root["interlock"] = std::string(toString(venue.interlock));
    root["hearingProtection"] = {
        {"calibrationDbSpl", numberJson(venue.hearing.calibrationDbSpl)},
        {"ceilingDbSpl", numberJson(venue.hearing.ceilingDbSpl)},
        {"sustainedDbSpl", numberJson(venue.hearing.sustainedDbSpl)},
        {"sustainedAfterMs", numberJson(venue.hearing.sustainedAfterMs)},
        {"warningDbSpl", numberJson(venue.hearing.warningDbSpl)},
    };

    Json floor = Json::object();
    if (!venue.channels.empty() && venue.channels.front().lineOut >= 0)
        floor["lineOut"] = venue.channels.front().lineOut;
    floor["mics"] = Json::array();
    for (const auto& mic : venue.floorMics)
        floor["mics"].push_back({{"name", mic.name}, {"input", mic.input}});
    if (!venue.channels.empty())
        if (auto opus = opusJson(venue.channels.front().opus); !opus.empty())
            floor["opus"] = std::move(opus);
    if (!venue.channels.empty() && venue.channels.front().rtp.configured())
        floor["rtp"] = rtpJson(venue.channels.front().rtp);
    root["floor"] = std::move(floor);

    root["channels"] = Json::array();
    for (std::size_t c = 1; c < venue.channels.size(); ++c) {
        const auto& channel = venue.channels[c];
        Json object = {
            {"code", channel.code}, {"name", channel.name}, {"nativeName", channel.nativeName}};
        if (channel.lineOut >= 0)
            object["lineOut"] = channel.lineOut;
        object["autoFloor"] = channel.autoFloor;
        if (auto opus = opusJson(channel.opus); !opus.empty())
            object["opus"] = std::move(opus);
        if (channel.rtp.configured())
            object["rtp"] = rtpJson(channel.rtp);
        root["channels"].push_back(std::move(object));
    }

    root["booths"] = Json::array();
    for (const auto& booth : venue.booths) {
        Json object = {{"code", booth.code}, {"name", booth.name}};
        for (std::size_t s = 0; s < kSlotCount; ++s)
            if (s == 0 || booth.outgoing[s] >= 0)
                object[std::string(kSlotKeys[s])] = channelCode(booth.outgoing[s]);
        object["interlock"] = std::string(toString(booth.interlock));
        object["autoRelay"] = booth.autoRelay;
        object["desks"] = Json::array();
        for (const auto& desk : booth.desks) {
            Json deskObject = {{"mic", desk.mic}};
            if (desk.headphones >= 0)
                deskObject["headphones"] = desk.headphones;
            object["desks"].push_back(std::move(deskObject));
        }
        root["booths"].push_back(std::move(object));
    }

    if (venue.monitor.left >= 0 || venue.monitor.right >= 0) {
        Json monitor = Json::object();
        if (venue.monitor.left >= 0)
            monitor["left"] = venue.monitor.left;
        if (venue.monitor.right >= 0)
            monitor["right"] = venue.monitor.right;
        root["monitor"] = std::move(monitor);
    }

    if (!venue.control.token.empty() || venue.control.remoteReads) {
        Json control = Json::object();
        if (!venue.control.token.empty())
            control["token"] = venue.control.token;
        control["remoteReads"] = venue.control.remoteReads;
        root["control"] = std::move(control);
    }

    if (venue.icecast.configured()) {
        const auto& settings = venue.icecast;
        Json icecast = Json::object();
        icecast["host"] = settings.host;
        icecast["port"] = settings.port;
        icecast["user"] = settings.user;
        if (!settings.password.empty())
            icecast["password"] = settings.password;
        icecast["mountPrefix"] = settings.mountPrefix;
        icecast["public"] = settings.isPublic;
        root["icecast"] = std::move(icecast);
    }
    return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

void save(const Venue& venue, const std::filesystem::path& file) {
    const auto name = file.string();
    validate(venue, name); // never write a venue that load() would refuse
    writeAtomically(file, name, toJson(venue));
}

} // namespace dragoman::venue

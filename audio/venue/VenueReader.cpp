#include "venue/VenueReader.h"

#include "venue/FileFormat.h"
#include "venue/JsonPath.h"
#include "venue/VenueError.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

namespace dragoman::venue {

namespace {

using Json = nlohmann::ordered_json;

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
            fail(path, "unknown interlock mode " + quoteJson(text) +
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
            std::string problem = "unknown key " + quoteJson(key);
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
                problem += "; did you mean " + quoteJson(suggestion) + "?";
            } else {
                problem += "; allowed here:";
                for (const auto candidate : allowed)
                    problem += std::string(candidate == *allowed.begin() ? " " : ", ") +
                               std::string(candidate);
            }
            reader.fail(jsonMember(path_, key), problem);
        }
    }

    const std::string& path() const { return path_; }
    std::string path(std::string_view key) const { return jsonMember(path_, key); }

    const Json* find(std::string_view key) const {
        const auto it = json_.find(std::string(key));
        return it == json_.end() ? nullptr : &*it;
    }

    const Json& require(std::string_view key) const {
        const auto* value = find(key);
        if (!value)
            reader_.fail(path_, "missing required key " + quoteJson(key));
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

JanusServer readJanusServer(const Reader& reader, const Json& json, std::string path) {
    const Object object(reader, json, std::move(path),
                        {"name", "api", "apiSecret", "apiToken", "adminKey", "rtpAddress",
                         "firstRtpPort", "firstMountpointId"});
    JanusServer server;
    server.name = object.string("name", "");
    server.api = object.requiredString("api");
    server.apiSecret = object.string("apiSecret", "");
    server.apiToken = object.string("apiToken", "");
    server.adminKey = object.string("adminKey", "");
    server.rtpAddress = object.requiredString("rtpAddress");
    server.firstRtpPort = object.integer("firstRtpPort", server.firstRtpPort);
    server.firstMountpointId =
        object.integer("firstMountpointId", static_cast<int>(server.firstMountpointId));
    return server;
}

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
                        "unknown Opus application " + quoteJson(text) +
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
                "unknown channel " + quoteJson(code) + " (the venue's channels: " + known + ")");
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
        const Object desk(reader, desks[d], jsonElement(object.path("desks"), d),
                          {"mic", "headphones"});
        booth.desks.push_back({desk.requiredInteger("mic"), desk.optionalIndex("headphones")});
    }
    return booth;
}

Venue readDocument(const Reader& reader, const Json& root) {
    const Object top(reader, root, "$",
                     {"name", "sampleRate", "blockSize", "device", "interlock", "hearingProtection",
                      "floor", "channels", "booths", "monitor", "control", "icecast", "webrtc",
                      "tls"});
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
        const Object mic(reader, mics[m], jsonElement(floor.path("mics"), m), {"name", "input"});
        venue.floorMics.push_back({mic.string("name", ""), mic.requiredInteger("input")});
    }

    const auto& channels = top.require("channels");
    reader.expectArray(channels, top.path("channels"));
    for (std::size_t c = 0; c < channels.size(); ++c) {
        const Object object(reader, channels[c], jsonElement(top.path("channels"), c),
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
        venue.booths.push_back(
            readBooth(reader, booths[b], jsonElement(top.path("booths"), b), venue));

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

    if (const auto* webrtc = top.find("webrtc")) {
        const Object object(reader, *webrtc, top.path("webrtc"),
                            {"rtpPortRange", "servers", "sessionsPerAddress"});
        if (const auto* range = object.find("rtpPortRange")) {
            const auto path = object.path("rtpPortRange");
            reader.expectArray(*range, path);
            if (range->size() != 2)
                reader.fail(path, "wants two ports, the first and the last: [20000, 20999]");
            venue.webrtc.rtpPortMin = reader.integer((*range)[0], jsonElement(path, 0));
            venue.webrtc.rtpPortMax = reader.integer((*range)[1], jsonElement(path, 1));
        }
        venue.webrtc.sessionsPerAddress =
            object.integer("sessionsPerAddress", venue.webrtc.sessionsPerAddress);
        if (const auto* servers = object.find("servers")) {
            const auto path = object.path("servers");
            reader.expectArray(*servers, path);
            if (servers->empty())
                reader.fail(path, "names no server; leave \"servers\" out for the private Janus");
            for (std::size_t i = 0; i < servers->size(); ++i)
                venue.webrtc.servers.push_back(
                    readJanusServer(reader, (*servers)[i], jsonElement(path, i)));
        }
    }

    // The venue's certificate files: checked here, read by readTlsFiles() (VenueTls.h).
    if (const auto* tls = top.find("tls")) {
        const Object object(reader, *tls, top.path("tls"), {"certificate", "key"});
        for (const char* key : {"certificate", "key"})
            if (object.requiredString(key).empty())
                reader.fail(object.path(key), "wants the path of a PEM file; leave \"tls\" out "
                                              "for a self-signed certificate");
    }
    return venue;
}

} // namespace

Venue readVenue(const Json& root, const std::string& file) {
    return readDocument(Reader(file), root);
}

} // namespace dragoman::venue

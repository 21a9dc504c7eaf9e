#include "venue/VenueRules.h"

#include "venue/FileFormat.h"
#include "venue/JsonPath.h"
#include "venue/Utf8.h"
#include "venue/VenueError.h"
#include "venue/VenueWriter.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

namespace dragoman::venue {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::array kSampleRates{44100, 48000, 88200, 96000};
constexpr int kMinBlockSize = 16;
constexpr int kMaxBlockSize = 1024;
constexpr int kMinDeviceChannels = 1;
constexpr int kMaxDeviceChannels = 1024;
constexpr double kMinSustainedAfterMs = 10.0;
constexpr double kMaxSustainedAfterMs = 10000.0;

// Channel and booth codes: [a-z][a-z0-9-]*
bool isValidCode(std::string_view code) {
    if (code.empty() || code.front() < 'a' || code.front() > 'z')
        return false;
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

// channels[0] lives under "floor" in a file; channels[i] at "channels"[i - 1].
std::string channelPath(std::size_t index) {
    return index == 0 ? std::string("$.floor") : jsonElement("$.channels", index - 1);
}

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
        checkWebRtc();
    }

private:
    [[noreturn]] void fail(std::string path, std::string problem) const {
        throw VenueError(file_, std::move(path), std::move(problem));
    }

    void checkName(const std::string& name, std::string path) const {
        if (!isValidUtf8(name))
            fail(std::move(path), "the name is not valid UTF-8");
        if (const auto length = utf8Length(name); length > kMaxNameLength)
            fail(std::move(path), "the name has " + std::to_string(length) +
                                      " characters; a name holds at most " +
                                      std::to_string(kMaxNameLength));
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
                fail(jsonMember("$.hearingProtection", key), "must be a finite number");
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
                 "channel 0 must be the floor (code \"floor\"), not " + quoteJson(floor.code));
        claimOutput(floor.lineOut, "$.floor.lineOut");
        checkOpus(floor.opus, "$.floor.opus");
        checkRtp(floor.rtp, "$.floor.rtp");
        if (venue_.floorMics.empty())
            fail("$.floor.mics", "no floor microphones: a venue needs at least one");
        for (std::size_t m = 0; m < venue_.floorMics.size(); ++m) {
            const auto path = jsonElement("$.floor.mics", m);
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
            fail(path + ".address", quoteJson(rtp.address) +
                                        " is not a dotted IPv4 address (e.g. \"239.255.10.1\" "
                                        "for a multicast group)");
        if (first == 0 || first >= 240)
            fail(path + ".address", quoteJson(rtp.address) + " cannot receive RTP");
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
            const auto path = jsonElement("$.booths", b);
            checkCode("booth", booth.code, path + ".code", codes, path);
            checkName(booth.name, path + ".name");
            checkSlots(booth, path);
            if (booth.desks.empty())
                fail(path + ".desks", "booth " + quoteJson(booth.code) + " has no desks");
            for (std::size_t d = 0; d < booth.desks.size(); ++d) {
                const auto deskPath = jsonElement(path + ".desks", d);
                claimInput(booth.desks[d].mic, deskPath + ".mic");
                claimOutput(booth.desks[d].headphones, deskPath + ".headphones");
            }
        }
    }

    void checkSlots(const Booth& booth, const std::string& boothPath) const {
        const auto channelCount = venue_.channels.size();
        for (std::size_t s = 0; s < kSlotCount; ++s) {
            const int index = booth.outgoing[s];
            const auto path = jsonMember(boothPath, kSlotKeys[s]);
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
                    fail(path,
                         "channel " +
                             quoteJson(venue_.channels[static_cast<std::size_t>(index)].code) +
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

    // Janus needs a few ports for its media; below 1024 they are privileged.
    void checkWebRtc() const {
        const auto& webrtc = venue_.webrtc;
        if (webrtc.rtpPortMin < 1024 || webrtc.rtpPortMax > 65535 ||
            webrtc.rtpPortMin > webrtc.rtpPortMax)
            fail("$.webrtc.rtpPortRange",
                 "[" + std::to_string(webrtc.rtpPortMin) + ", " +
                     std::to_string(webrtc.rtpPortMax) +
                     "] is not a port range: the first port is 1024 or above, the last 65535 or "
                     "below and not before the first");
        if (webrtc.sessionsPerAddress < 1 || webrtc.sessionsPerAddress > 1000)
            fail("$.webrtc.sessionsPerAddress",
                 std::to_string(webrtc.sessionsPerAddress) + " is outside 1..1000");
        for (std::size_t i = 0; i < webrtc.servers.size(); ++i)
            checkJanusServer(i);
    }

    // An external Janus: its API URL, credentials that travel in JSON, an IPv4 address, and
    // one port and one mountpoint id per channel that fit; no two servers share an API or a
    // unicast address:port (two servers may join one multicast group on the same ports).
    void checkJanusServer(std::size_t index) const {
        const auto& server = venue_.webrtc.servers[index];
        const auto path = jsonElement("$.webrtc.servers", index);
        const auto at = [&](std::string_view key) { return jsonMember(path, key); };
        const auto printable = [](const std::string& text) {
            return std::all_of(text.begin(), text.end(),
                               [](char c) { return c >= '!' && c <= '~'; });
        };
        checkName(server.name, at("name"));
        const auto scheme = server.api.rfind("http://", 0) == 0    ? 7u
                            : server.api.rfind("https://", 0) == 0 ? 8u
                                                                   : 0u;
        if (scheme == 0 || server.api.size() <= scheme || server.api[scheme] == '/' ||
            !printable(server.api))
            fail(at("api"), quoteJson(server.api) +
                                " is not an API URL: http:// or https://, the host, its port "
                                "and the path (e.g. \"http://10.0.0.5:8088/janus\")");
        for (const auto& [key, value] :
             {std::pair{"apiSecret", &server.apiSecret}, std::pair{"apiToken", &server.apiToken},
              std::pair{"adminKey", &server.adminKey}})
            if (!printable(*value))
                fail(at(key), "may only hold printable ASCII characters without spaces");
        const auto address = ipv4(server.rtpAddress);
        if (!address)
            fail(at("rtpAddress"),
                 quoteJson(server.rtpAddress) + " is not an IPv4 address (a.b.c.d)");
        const int channels = static_cast<int>(venue_.channels.size());
        if (server.firstRtpPort < 1024 || server.firstRtpPort + channels - 1 > 65535)
            fail(at("firstRtpPort"), "port " + std::to_string(server.firstRtpPort) +
                                         " leaves no room for " + std::to_string(channels) +
                                         " channels: 1024 or above, the last 65535 or below");
        if (server.firstMountpointId < 1 || server.firstMountpointId + channels - 1 > 2147483647)
            fail(at("firstMountpointId"), "mountpoint ids are 1 or above");
        for (std::size_t j = 0; j < index; ++j) {
            const auto& other = venue_.webrtc.servers[j];
            if (other.api == server.api)
                fail(at("api"), "servers[" + std::to_string(j) + "] has this API already");
            if (!server.name.empty() && other.name == server.name)
                fail(at("name"), "servers[" + std::to_string(j) + "] has this name already");
            const bool overlap = std::abs(other.firstRtpPort - server.firstRtpPort) < channels;
            if (overlap && other.rtpAddress == server.rtpAddress && (*address >> 28) != 0xe)
                fail(at("firstRtpPort"), "servers[" + std::to_string(j) +
                                             "] takes these ports at " + server.rtpAddress +
                                             " already");
        }
    }

    // "a.b.c.d" as a number; nullopt for anything else.
    static std::optional<std::uint32_t> ipv4(const std::string& text) {
        std::uint32_t value = 0;
        int parts = 0;
        std::size_t i = 0;
        while (parts < 4) {
            std::size_t digits = 0;
            unsigned part = 0;
            while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) &&
                   digits < 3) {
                part = part * 10 + static_cast<unsigned>(text[i++] - '0');
                ++digits;
            }
            if (digits == 0 || part > 255)
                return std::nullopt;
            value = value << 8 | part;
            if (++parts < 4 && (i >= text.size() || text[i++] != '.'))
                return std::nullopt;
        }
        if (i != text.size())
            return std::nullopt;
        return value;
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
            fail("$.icecast.host", quoteJson(icecast.host) + " is not a host name or address");
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
                 quoteJson(prefix) +
                     " is not a mount prefix: it starts and ends with '/' and holds "
                     "letters, digits, '-', '_' and '.' (e.g. \"/\" or \"/tirana/\")");
    }

    void checkCode(const char* what, const std::string& code, const std::string& path,
                   std::map<std::string, std::string, std::less<>>& seen,
                   const std::string& ownerPath) const {
        if (code.empty())
            fail(path, std::string(what) + " code is empty");
        if (code.size() > kMaxNameLength)
            fail(path, std::string(what) + " code has " + std::to_string(code.size()) +
                           " characters; a code holds at most " + std::to_string(kMaxNameLength));
        if (!isValidCode(code))
            fail(path, std::string(what) + " code " + quoteJson(code) +
                           " is not valid: use lower-case letters, digits and '-', starting "
                           "with a letter (\"en\", \"pt-br\")");
        if (code == kFloorCode && std::string_view(what) == "channel")
            fail(path, "channel code \"floor\" is reserved for the floor (channel 0)");
        const auto [it, inserted] = seen.emplace(code, ownerPath);
        if (!inserted)
            fail(path, std::string(what) + " code " + quoteJson(code) + " is already used by " +
                           it->second);
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

} // namespace

void validate(const Venue& venue, const std::string& file) {
    Validator(venue, file).run();
}

} // namespace dragoman::venue

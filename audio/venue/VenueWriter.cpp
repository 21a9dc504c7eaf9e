#include "venue/VenueWriter.h"

#include "venue/FileDescriptor.h"
#include "venue/FileFormat.h"
#include "venue/VenueError.h"
#include "venue/VenueRules.h"
#include "venue/VenueTls.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <fcntl.h>
#include <random>
#include <string_view>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace dragoman::venue {

namespace {

using Json = nlohmann::ordered_json;

std::string errnoMessage(int error) {
    return std::generic_category().message(error);
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

// Integral values as JSON integers ("110", not "110.0"), others in their shortest exact form.
Json numberJson(double value) {
    constexpr double kLargestExact = 9007199254740992.0; // 2^53
    if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < kLargestExact)
        return Json(static_cast<std::int64_t>(value));
    return Json(value);
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

    if (venue.webrtc != WebRtcSettings{}) {
        Json webrtc{{"rtpPortRange", {venue.webrtc.rtpPortMin, venue.webrtc.rtpPortMax}}};
        if (venue.webrtc.sessionsPerAddress != WebRtcSettings{}.sessionsPerAddress)
            webrtc["sessionsPerAddress"] = venue.webrtc.sessionsPerAddress;
        for (const auto& server : venue.webrtc.servers) {
            Json s = Json::object();
            if (!server.name.empty())
                s["name"] = server.name;
            s["api"] = server.api;
            if (!server.apiSecret.empty())
                s["apiSecret"] = server.apiSecret;
            if (!server.apiToken.empty())
                s["apiToken"] = server.apiToken;
            if (!server.adminKey.empty())
                s["adminKey"] = server.adminKey;
            s["rtpAddress"] = server.rtpAddress;
            s["firstRtpPort"] = server.firstRtpPort;
            s["firstMountpointId"] = server.firstMountpointId;
            webrtc["servers"].push_back(std::move(s));
        }
        root["webrtc"] = std::move(webrtc);
    }
    return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

void save(const Venue& venue, const std::filesystem::path& file) {
    const auto name = file.string();
    validate(venue, name); // never write a venue that load() would refuse
    std::string text = toJson(venue);
    // The file's certificate keys are the file's, not the routing's: kept as they were.
    TlsFiles tls;
    try {
        tls = readTlsFiles(file);
    } catch (const VenueError&) { // no file yet, or one that is being replaced
    }
    if (tls.configured()) {
        Json root = Json::parse(text);
        root["tls"] = Json{{"certificate", tls.certificateAsWritten}, {"key", tls.keyAsWritten}};
        text = root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    }
    writeAtomically(file, name, text);
}

} // namespace dragoman::venue

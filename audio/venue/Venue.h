// The venue: everything Dragoman knows about a room before audio starts: sample rate, block
// size, the floor microphones, the language channels, the booths and their desks, and how
// each of them maps onto the audio interface's channels.
//
// A Venue is a plain value. It is built by venue::load() (VenueFile.h) or in code, and read by
// the engine when it is constructed; the engine never looks at it again on the audio thread.
// Thread contract: none: a Venue is immutable once handed over; copies are cheap enough for
// the control thread.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dragoman::venue {

// How two microphones that want one channel are arbitrated.
enum class InterlockMode {
    Override,  // the newest press wins; the desk that held the channel goes off
    Interlock, // the first holds; the newcomer is refused and sees "engaged"
};

std::string_view toString(InterlockMode mode);
std::optional<InterlockMode> interlockModeFromString(std::string_view text);

struct FloorMic {
    std::string name; // "Chair", "Lectern"
    int input = -1;   // device input channel (0-based)

    bool operator==(const FloorMic&) const = default;
};

// How a channel is encoded for listeners (RTP, Ogg over HTTP, Icecast, recordings). Opus at
// 48 kHz mono; the ranges and rules are those of docs/venue-format.md ("opus").
enum class OpusApplication {
    Voip,     // speech-tuned SILK/hybrid; in-band FEC works
    Audio,    // general audio (SILK/hybrid/CELT as the bitrate allows); in-band FEC works
    LowDelay, // restricted low delay: CELT only, frame + 2.5 ms delay; no FEC
};

constexpr std::string_view toString(OpusApplication application) {
    switch (application) {
    case OpusApplication::Voip:
        return "voip";
    case OpusApplication::Audio:
        return "audio";
    case OpusApplication::LowDelay:
        return "lowdelay";
    }
    return "?";
}

constexpr std::optional<OpusApplication> opusApplicationFromString(std::string_view text) {
    if (text == "voip")
        return OpusApplication::Voip;
    if (text == "audio")
        return OpusApplication::Audio;
    if (text == "lowdelay")
        return OpusApplication::LowDelay;
    return std::nullopt;
}

struct OpusSettings {
    static constexpr std::array<double, 6> kFrameSizesMs{2.5, 5.0, 10.0, 20.0, 40.0, 60.0};
    static constexpr int kMinBitrate = 6000;
    static constexpr int kMaxBitrate = 510000;

    OpusApplication application = OpusApplication::Audio;
    double frameMs = 20.0; // one of kFrameSizesMs
    int bitrate = 32000;   // bits per second, kMinBitrate..kMaxBitrate
    int complexity = 10;   // 0..10
    bool fec = true;       // in-band forward error correction (not with LowDelay)
    int lossPercent = 10;  // expected packet loss, 0..100; FEC needs more than 0

    bool operator==(const OpusSettings&) const = default;

    // Samples per frame at 48 kHz (120 for 2.5 ms .. 2880 for 60 ms).
    int frameSamples() const { return static_cast<int>(frameMs * 48.0 + 0.5); }
};

// One language output. channels[0] is always the floor (code "floor").
// A fixed RTP destination for a channel: a unicast receiver or a multicast group on the venue
// network (listeners can also subscribe themselves through the listeners' server).
struct RtpDestination {
    std::string address; // dotted IPv4, unicast or multicast; "" = none
    int port = 0;        // even (RTCP goes to port + 1)
    int ttl = 16;        // multicast hops

    bool configured() const { return !address.empty(); }
    bool operator==(const RtpDestination&) const = default;
};

struct Channel {
    std::string code;       // "floor", "en", "sq", "bsm", "mk"
    std::string name;       // display name in English: "Albanian"
    std::string nativeName; // in its own language and script: "Shqip", "Македонски"
    int lineOut = -1;       // device output feeding the IR/RF transmitter; -1 = none
    bool autoFloor = true;  // carries the floor while no desk is live on it
    OpusSettings opus{};    // how listeners receive it
    RtpDestination rtp{};   // where its RTP always goes, if anywhere

    bool operator==(const Channel&) const = default;
};

struct Desk {
    int mic = -1;        // device input of the interpreter's microphone
    int headphones = -1; // device output of the interpreter's headphones

    bool operator==(const Desk&) const = default;
};

enum class Slot { A = 0, B = 1, C = 2 };
inline constexpr int kSlotCount = 3;

std::string_view toString(Slot slot);
std::optional<Slot> slotFromString(std::string_view text);

// A team interpreting into one language. Its A channel is that language; B and C are retour
// channels, used when the floor speaks the booth's own language.
struct Booth {
    std::string code; // "en"; desk ids are "<booth code>.<1-based desk number>"
    std::string name; // "English"
    // Channel indices (into Venue::channels, never 0) for A, B, C; -1 where the booth has none.
    std::array<int, kSlotCount> outgoing{-1, -1, -1};
    // Arbitration when another booth wants a channel this booth holds, and between the desks
    // of this booth (only one desk of a booth is live at a time).
    InterlockMode interlock = InterlockMode::Override;
    // A pivot booth: while it is live, its output replaces the floor on every desk of the
    // other booths that listens to the floor.
    bool autoRelay = false;
    std::vector<Desk> desks;

    bool operator==(const Booth&) const = default;
};

// Hearing protection for every desk headphone feed, in dB SPL with a calibration that says
// which SPL a full-scale (0 dBFS) sine produces at the interpreter's ear. The anchor is the
// ISO 20109-compliant behaviour of hardware desks: an instant ceiling, a lower limit once the
// ceiling has been exceeded for a while, and a warning on a high one-minute average.
struct HearingProtection {
    double calibrationDbSpl = 110.0; // SPL at the ear for 0 dBFS
    double ceilingDbSpl = 100.0;     // never exceeded, from the first sample
    double sustainedDbSpl = 94.0;    // the limit once the ceiling held for sustainedAfterMs
    double sustainedAfterMs = 100.0;
    double warningDbSpl = 80.0; // warning when the one-minute average exceeds it

    bool operator==(const HearingProtection&) const = default;

    double ceilingDbfs() const { return ceilingDbSpl - calibrationDbSpl; }
    double sustainedDbfs() const { return sustainedDbSpl - calibrationDbSpl; }
    double warningDbfs() const { return warningDbSpl - calibrationDbSpl; }
};

// The technician's monitor (PFL) outputs.
struct Monitor {
    int left = -1;
    int right = -1;

    bool operator==(const Monitor&) const = default;
};

// Who may use the HTTP control API (app/control). Writes need the bearer token; without one
// the API is read-only. The DRAGOMAN_TOKEN environment variable, when set, replaces the token.
struct ControlSettings {
    std::string token;        // "" = none; otherwise at least kMinTokenLength printable ASCII
    bool remoteReads = false; // clients on other hosts may read the state without the token

    static constexpr std::size_t kMinTokenLength = 16;

    bool operator==(const ControlSettings&) const = default;
};

// An Icecast server that takes every channel as an Ogg Opus source (optional): a venue whose
// listeners outgrow one machine hands its channels to Icecast and its relays. Each channel
// goes to the mount mountPrefix + code + ".opus" ("/en.opus"). The DRAGOMAN_ICECAST_PASSWORD
// environment variable, when set, replaces the password.
struct IcecastSettings {
    std::string host;            // name or address of the server; "" = no Icecast push
    int port = 8000;             // its HTTP port
    std::string user = "source"; // the source user
    std::string password;        // the source password
    std::string mountPrefix = "/";
    bool isPublic = false; // ask the server to list the streams in public directories

    bool configured() const { return !host.empty(); }
    bool operator==(const IcecastSettings&) const = default;
};

// A Janus server on another machine (docs/listeners.md "Janus on another machine"): its HTTP
// API, the credentials Dragoman needs there, and where Dragoman sends each channel's RTP
// (channel c to rtpAddress:firstRtpPort + c, mountpoint id firstMountpointId + c).
struct JanusServer {
    std::string name;        // a label for the console and /api/state; "" = the API's host
    std::string api;         // "http://10.0.0.5:8088/janus"
    std::string apiSecret;   // janus.jcfg's api_secret ("" = none)
    std::string apiToken;    // a stored token (token_auth) instead of or beside the secret
    std::string adminKey;    // the streaming plugin's admin_key, needed to create ("" = none)
    std::string rtpAddress;  // IPv4 the channels' RTP goes to; a multicast group is joined
    int firstRtpPort = 5002; // channel c's RTP arrives on firstRtpPort + c
    long long firstMountpointId = 7001;

    bool operator==(const JanusServer&) const = default;
};

// WebRTC listeners through Janus (app/webrtc, `dragoman --webrtc`): the UDP ports the private
// Janus may use for its WebRTC media (ICE/DTLS-SRTP), one per listener, or the external Janus
// servers used instead of it. Optional in a venue file.
struct WebRtcSettings {
    int rtpPortMin = 20000;
    int rtpPortMax = 20999;
    std::vector<JanusServer> servers; // none: the private Janus
    int sessionsPerAddress = 16;      // WebRTC sessions one listener address may hold (a NAT)

    bool operator==(const WebRtcSettings&) const = default;
};

// Where a desk sits: booth index and desk index inside the booth.
struct DeskAddress {
    int booth = -1;
    int desk = -1;
};

struct Venue {
    std::string name;
    int sampleRate = 48000;
    int blockSize = 128;
    int deviceInputs = 16;
    int deviceOutputs = 16;
    InterlockMode interlock = InterlockMode::Override; // default for booths that say nothing
    HearingProtection hearing;
    std::vector<FloorMic> floorMics;
    std::vector<Channel> channels; // [0] is the floor
    std::vector<Booth> booths;
    Monitor monitor;
    ControlSettings control;
    IcecastSettings icecast;
    WebRtcSettings webrtc;

    // Field-by-field equality (a loaded venue against the one it was saved from).
    bool operator==(const Venue&) const = default;

    // Lookups by the ids people type (control thread; linear scans over a few dozen entries).
    std::optional<int> channelIndex(std::string_view code) const;
    std::optional<int> boothIndex(std::string_view code) const;
    // "en.1" -> flat desk index (desks numbered booth by booth in venue order).
    std::optional<int> deskIndex(std::string_view id) const;
    std::string deskId(int flatDesk) const;
    DeskAddress deskAddress(int flatDesk) const;
    int deskCount() const;
    const Desk& desk(int flatDesk) const;
};

} // namespace dragoman::venue

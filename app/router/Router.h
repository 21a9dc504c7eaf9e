// The router: everything `dragoman` runs, wired together and owned in one place: the venue,
// the engine, the one EngineController, the audio device (or the virtual clock), the demo
// session, the encoder thread with its recorder and listeners' paths, the HTTP control API and
// the listeners' servers and the Icecast push. The headless binary and the console both run one
// Router; the console reads what it shows (controller, device status, listener counts) from it.
//
//   Router(options)   loads the venue, builds the engine and the controller
//   start()           demo, encoders, device, HTTP API, listeners' servers; the demo script
//   stop()            the device first, then the encoders, then their sinks
//
// Thread contract: the control thread (the Qt event loop's) for everything; deviceStatus()
// from any thread.
#pragma once

#include "control/EngineController.h"
#include "core/Engine.h"
#include "device/DeviceStatus.h"
#include "venue/Venue.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace dragoman::device {
class AudioCallback;
class AudioRunner;
} // namespace dragoman::device
namespace dragoman::demo {
class DemoSession;
}
namespace dragoman::stream {
class EncoderThread;
class LiveOggStreams;
class PcmSink;
class Recorder;
class RtpSender;
} // namespace dragoman::stream
namespace dragoman::control {
class ControlServer;
}
namespace dragoman::midi {
class MidiLearn;
class MidiSurfaces;
} // namespace dragoman::midi
namespace dragoman::listeners {
class IcecastPush;
class ListenerServer;
class StreamServer;
} // namespace dragoman::listeners

namespace dragoman::webrtc {
class WebRtcService;
} // namespace dragoman::webrtc
namespace dragoman::tls {
struct Identity;
}

namespace dragoman::router {

class SessionKeeper;

struct RouterOptions {
    std::filesystem::path venue;         // the venue file
    std::string audio = "default";       // jack, default, virtual or a device name
    std::string clientName = "dragoman"; // JACK client name
    bool demo = false;                   // play the scripted demo session on the venue's mics
    std::filesystem::path demoEvents;    // the demo's event script (with demo)
    std::filesystem::path demoClips;     // the demo's speech clips (with demo)
    std::filesystem::path record;        // "" = no recording
    std::optional<std::pair<QHostAddress, quint16>> listen; // the listeners' server
    std::filesystem::path listenPage; // its web page (resources/web/listen.html); "" = none
    std::filesystem::path deskPage;   // the booth tablet's page (resources/web/desk.html)
    // MIDI control surfaces (--midi): their JACK clients join the audio graph, so they run
    // only when asked for.
    bool midi = false;
    std::vector<std::filesystem::path> midiMappings; // --midi files; the first keeps learnt ones
    std::filesystem::path midiDefaults;              // the shipped mappings (resources/midi)
    // WebRTC listeners (--webrtc, needs `listen`): a private Janus as a child process, or the
    // venue's webrtc.servers, one mountpoint per channel, the signalling on the listeners' port
    // (app/webrtc).
    bool webrtc = false;
    std::string janusProgram = "janus";
    std::vector<std::string> webrtcInterfaces; // the interfaces Janus may use for ICE; all
    QHostAddress httpAddress = QHostAddress::LocalHost;
    quint16 httpPort = 8470;
    // Run the encoder thread even when nothing uses the packets, so that the channel taps are
    // drained and their PCM reaches the PCM sink (setPcmSink: the console's loudness meters).
    // Channels without a packet sink are not encoded. When the thread cannot run for this alone (a
    // venue not at 48 kHz), nothing is drained and notice() says why.
    bool drainTaps = false;
    // The state file that keeps the running settings across a crash (SessionKeeper.h);
    // "" = none.
    std::filesystem::path stateFile;
    // Where the self-signed certificate is kept when the venue has none (tls/IdentityStore.h);
    // "" = the application data folder's "tls".
    std::filesystem::path tlsFolder;
};

// A start-up failure; what() reads like "HTTP API: address in use".
class RouterError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Router : public QObject {
    Q_OBJECT

public:
    // Loads the venue and builds the engine and its controller. Throws venue::VenueError for a
    // bad venue file.
    explicit Router(RouterOptions options, QObject* parent = nullptr);
    ~Router() override; // stops
    Router(const Router&) = delete;
    Router& operator=(const Router&) = delete;

    // Before start(): `sink` receives every channel's PCM on the encoder thread (with drainTaps
    // or anything else that runs the thread). It must outlive the router's stop().
    void setPcmSink(stream::PcmSink* sink) { pcmSink_ = sink; }
    // Before start(): each channel's {momentary, short-term} LUFS for /api/state (the loudness
    // meters the PCM sink feeds). Called on the control thread; must outlive stop().
    void setLoudness(std::function<std::pair<float, float>(int channel)> loudness) {
        loudness_ = std::move(loudness);
    }

    // Starts everything; throws RouterError naming the part that failed.
    void start();
    void stop();

    const RouterOptions& options() const { return options_; }
    const venue::Venue& venue() const { return venue_; }
    core::Engine& engine() { return *engine_; }
    control::EngineController& controller() { return *controller_; }

    device::DeviceStatus deviceStatus() const;
    // The MIDI control surfaces (after start(); null without --midi), and their learn mode
    // (null without a --midi file: learnt bindings are stored in the first mapping file).
    midi::MidiSurfaces* midiSurfaces() { return midi_.get(); }
    midi::MidiLearn* midiLearn() { return midiLearn_.get(); }
    // The keeper of the running settings (after start(); null without a state file). Its
    // message() lines belong in the event log.
    SessionKeeper* sessionKeeper() { return keeper_.get(); }
    // Listeners of a channel: RTP subscribers, live Ogg streams and WebRTC sessions whose media
    // is up (0 without --listen).
    int listenerCount(int channel) const;
    bool hasListeners() const { return rtp_ != nullptr; }
    // The listeners' page as a listener on the venue network reaches it (empty without
    // --listen): https with the venue's own certificate, which phones trust; http with the
    // self-signed one, which each phone would have to be told to accept.
    QUrl listenersPage() const;
    // The certificate both ports present (null before start() or when neither needs one).
    const tls::Identity* tlsIdentity() const { return tls_.get(); }
    // The desk page's link with desk `flatDesk`'s own token, on the address tablets reach the
    // control port at (its LAN address when bound to every interface); empty without a token.
    QUrl deskPage(int flatDesk) const;
    // Revokes the desk's token (its tablet is shut out at once); false when it could not be
    // saved for the next start.
    bool revokeDesk(int flatDesk, QString* error);
    // Booth tablets (desk pages) connected to each desk; empty without a control port.
    std::vector<int> deskPanels() const;
    // WebRTC (--webrtc): whether it runs, and its state in one line, e.g.
    // "running · Janus 4242 · 3 listeners" or "2/2 Janus up · 20 listeners (a 10 · b 10)"
    // (`healthy` false while a Janus is down).
    bool runsWebRtc() const { return webrtc_ != nullptr; }
    QString webrtcSummary(bool* healthy) const;
    // Whether the channel taps are drained (the PCM sink sees the channels).
    bool drainsTaps() const { return encoders_ != nullptr; }
    // What is worth knowing about the start but is no failure ("" when none).
    const std::string& notice() const { return notice_; }

    // The lines `dragoman` prints once started ("Dragoman — VENUE", venue, audio, control API…).
    std::string banner() const;
    // "virtual clock (no audio device)" or "device clock: HOST / DEVICE, N frames, …".
    static std::string describe(const device::DeviceStatus& status);

Q_SIGNALS:
    // The device's clock or state changed (a device lost, a device back); checked 10 times a
    // second.
    void deviceChanged(const QString& description);
    // The recording stopped (a failed write: a full disk) or went on in a new part; `alarm`
    // for a stop. Checked 10 times a second.
    void recordingChanged(const QString& line, bool alarm);

private:
    void startStreams();
    void startServers();
    void loadTls();                    // the venue's certificate, or the self-signed one
    QJsonObject recordingJson() const; // /api/state's "recording"
    void startMidi();
    void startWebRtc();
    void watchDevice();

    RouterOptions options_;
    venue::Venue venue_;
    std::unique_ptr<core::Engine> engine_;
    std::unique_ptr<control::EngineController> controller_;
    std::unique_ptr<demo::DemoSession> session_;
    std::unique_ptr<device::AudioCallback> callback_;
    std::unique_ptr<stream::EncoderThread> encoders_;
    std::unique_ptr<stream::Recorder> recorder_;
    std::unique_ptr<stream::RtpSender> rtp_;
    std::unique_ptr<stream::RtpSender> webrtcRtp_; // to Janus: frames of 10 ms at most
    std::unique_ptr<stream::LiveOggStreams> live_; // Ogg Opus over HTTP and to Icecast
    std::unique_ptr<device::AudioRunner> runner_;
    std::unique_ptr<control::ControlServer> server_;
    std::unique_ptr<listeners::ListenerServer> listenerServer_;
    std::unique_ptr<listeners::StreamServer> streamServer_;
    std::unique_ptr<listeners::IcecastPush> icecast_;
    std::unique_ptr<midi::MidiSurfaces> midi_;
    std::unique_ptr<midi::MidiLearn> midiLearn_;
    std::unique_ptr<SessionKeeper> keeper_;
    std::unique_ptr<webrtc::WebRtcService> webrtc_;
    std::unique_ptr<tls::Identity> tls_;
    QString tlsNote_; // why a kept self-signed certificate was replaced
    stream::PcmSink* pcmSink_ = nullptr;
    std::function<std::pair<float, float>(int)> loudness_;
    std::string notice_;
    bool hasToken_ = false;
    QTimer watch_;
    QTimer script_;
    device::Clock lastClock_ = device::Clock::Virtual;
    device::State lastState_ = device::State::Stopped;
    bool lastRecording_ = true;
};

} // namespace dragoman::router

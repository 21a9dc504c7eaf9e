#include "router/Router.h"

#include "control/Access.h"
#include "control/ControlServer.h"
#include "control/ControlToken.h"
#include "demo/DemoInput.h"
#include "demo/DemoSession.h"
#include "device/AudioRunner.h"
#include "listeners/IcecastPush.h"
#include "listeners/ListenerServer.h"
#include "listeners/PageAddress.h"
#include "listeners/RtpSenderJson.h"
#include "listeners/StreamServer.h"
#include "midi/DefaultMappings.h"
#include "midi/MidiLearn.h"
#include "midi/MidiSurfaces.h"
#include "midi/SurfacesJson.h"
#include "router/EngineAudio.h"
#include "router/RouterTls.h"
#include "router/SessionKeeper.h"
#include "stream/EncoderThread.h"
#include "stream/LiveOggStreams.h"
#include "stream/Recorder.h"
#include "stream/RtpSender.h"
#include "tls/Identity.h"
#include "venue/VenueFile.h"
#include "webrtc/WebRtcOpus.h"
#include "webrtc/WebRtcService.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <algorithm>
#include <cstdio>

namespace dragoman::router {

Router::Router(RouterOptions options, QObject* parent)
    : QObject(parent)
    , options_(std::move(options))
    , venue_(venue::load(options_.venue))
    , engine_(std::make_unique<core::Engine>(venue_))
    , controller_(std::make_unique<control::EngineController>(*engine_)) {
}

Router::~Router() {
    stop();
}

void Router::start() {
    try {
        if (options_.demo) {
            session_ = std::make_unique<demo::DemoSession>(venue_, options_.demoEvents);
            callback_ =
                std::make_unique<demo::DemoInput>(*engine_, venue_, *session_, options_.demoClips);
        } else {
            callback_ = std::make_unique<EngineAudio>(*engine_);
        }
    } catch (const std::exception& error) {
        throw RouterError(std::string("demo: ") + error.what());
    }

    startStreams();

    device::AudioSettings audio;
    audio.audio = options_.audio;
    audio.inputs = venue_.deviceInputs;
    audio.outputs = venue_.deviceOutputs;
    audio.sampleRate = venue_.sampleRate;
    audio.blockSize = venue_.blockSize;
    audio.jackClientName = options_.clientName;
    runner_ = std::make_unique<device::AudioRunner>(*callback_, audio);
    runner_->start();

    startServers();
    watchDevice();
    if (recorder_)
        server_->addStateSection("recording", [this] { return recordingJson(); });

    if (!options_.stateFile.empty()) {
        keeper_ = std::make_unique<SessionKeeper>(*controller_, options_.stateFile);
        server_->addStateSection("session", [this] { return keeper_->statusJson(); });
        // Started from the event loop, so that whoever runs the router has connected to the
        // keeper's messages by then.
        QTimer::singleShot(0, keeper_.get(), [this] { keeper_->start(); });
    }

    if (session_) {
        connect(&script_, &QTimer::timeout, this, [this] {
            for (const auto& command : session_->due(engine_->stats().frames))
                controller_->submit(command, {});
        });
        script_.start(10);
    }
}

// Encoding costs CPU (Opus at complexity 10 is ~2 % of a core per channel), so it runs only
// for something that uses the packets (recordings, listeners, the Icecast push); the console runs
// the thread for the channels' PCM alone (drainTaps), which encodes nothing.
void Router::startStreams() {
    const bool fixedRtp = std::any_of(venue_.channels.begin(), venue_.channels.end(),
                                      [](const venue::Channel& c) { return c.rtp.configured(); });
    const bool icecast = venue_.icecast.configured();
    const bool packets = !options_.record.empty() || options_.listen || fixedRtp || icecast;
    if (!packets && !options_.drainTaps)
        return;
    if (!packets) { // only for the PCM: never a reason not to start
        try {
            encoders_ = std::make_unique<stream::EncoderThread>(*engine_);
        } catch (const std::exception& error) {
            notice_ = std::string("no loudness meters: ") + error.what();
            return;
        }
    }
    try {
        if (!encoders_)
            encoders_ = std::make_unique<stream::EncoderThread>(*engine_);
        if (pcmSink_)
            encoders_->attachPcm(*pcmSink_);
        if (!options_.record.empty()) {
            recorder_ = std::make_unique<stream::Recorder>(venue_, *encoders_, options_.record);
            encoders_->attach(*recorder_);
            recorder_->start();
        }
        if (options_.listen || fixedRtp) {
            stream::RtpSenderConfig config;
            config.channels = static_cast<int>(venue_.channels.size());
            for (const auto& channel : venue_.channels) // one TTL for the sender: the largest
                if (channel.rtp.configured())
                    config.multicastTtl = std::max(config.multicastTtl, channel.rtp.ttl);
            rtp_ = std::make_unique<stream::RtpSender>(config);
            for (std::size_t c = 0; c < venue_.channels.size(); ++c) {
                const auto& fixed = venue_.channels[c].rtp;
                if (fixed.configured())
                    rtp_->addDestination(
                        static_cast<int>(c),
                        *stream::Endpoint::parse(fixed.address,
                                                 static_cast<std::uint16_t>(fixed.port)));
            }
            encoders_->attach(*rtp_);
            rtp_->start();
        }
        if (options_.webrtc && options_.listen) {
            // Janus's mountpoints get their own RTP streams, with 10 ms frames
            // (webrtc/WebRtcOpus.h): a second encoder where the channel's frames are not 10 ms.
            stream::RtpSenderConfig config;
            config.channels = static_cast<int>(venue_.channels.size());
            // The private Janus is on loopback; the venue's Janus servers are elsewhere.
            config.bindAddress = venue_.webrtc.servers.empty() ? "127.0.0.1" : "0.0.0.0";
            config.cname = "dragoman-webrtc";
            webrtcRtp_ = std::make_unique<stream::RtpSender>(config);
            for (std::size_t c = 0; c < venue_.channels.size(); ++c) {
                const auto& own = venue_.channels[c].opus;
                const auto opus = webrtc::webrtcOpus(own);
                if (opus == own)
                    encoders_->attach(static_cast<int>(c), *webrtcRtp_);
                else
                    encoders_->attachEncoding(static_cast<int>(c), opus, *webrtcRtp_);
            }
            webrtcRtp_->start();
        }
        if (options_.listen || icecast) {
            live_ =
                std::make_unique<stream::LiveOggStreams>(stream::liveChannels(venue_, *encoders_));
            encoders_->attach(*live_);
        }
        if (icecast)
            icecast_ = std::make_unique<listeners::IcecastPush>(
                *live_, venue_, listeners::resolveIcecastPassword(venue_.icecast));
        encoders_->start();
    } catch (const std::exception& error) {
        throw RouterError(std::string("listeners and recordings: ") + error.what());
    }
}

void Router::startServers() {
    tls_ = loadIdentity(options_, &tlsNote_);
    control::ServerSettings http;
    http.address = options_.httpAddress;
    http.port = options_.httpPort;
    if (!control::isLoopback(http.address)) { // a token on the venue LAN: never in clear
        http.tls = control::TlsMode::Only;
        http.tlsConfig = tls_->serverConfiguration();
    }
    http.token = control::resolveToken(venue_);
    http.remoteReads = venue_.control.remoteReads;
    // Revoked desk tokens stay revoked across restarts, beside the running settings.
    if (!options_.stateFile.empty())
        http.deskTokensFile =
            QString::fromStdString((options_.stateFile.parent_path() /
                                    (options_.stateFile.stem().string() + "-desks.json"))
                                       .string());
    if (QFile page(options_.deskPage); page.open(QIODevice::ReadOnly))
        http.deskPage = page.readAll();
    hasToken_ = !http.token.isEmpty();
    server_ = std::make_unique<control::ControlServer>(
        *controller_, [this] { return deviceStatus(); }, http);
    if (!server_->deskTokensProblem().isEmpty()) // a revoked tablet must not come back
        throw RouterError("desk tokens: " + server_->deskTokensProblem().toStdString() +
                          " (remove the file to start with every desk's first token)");
    if (loudness_ && encoders_)
        server_->setLoudness(loudness_);
    QString error;
    if (!server_->listen(&error))
        throw RouterError("HTTP API: " + error.toStdString());
    if (tls_)
        server_->addStateSection("tls", [this] {
            QJsonObject tls = tls_->json();
            tls.insert("control", server_->servesTls());
            tls.insert("listeners", listenerServer_ && listenerServer_->servesTls());
            return tls;
        });
    if (options_.midi)
        startMidi();
    if (icecast_) {
        icecast_->start();
        server_->addStateSection("icecast", [this] { return icecast_->statusJson(); });
    }

    if (rtp_) {
        server_->setListenerCount([this](int channel) { return listenerCount(channel); });
        if (options_.listen) {
            listeners::ListenerSettings settings{
                options_.listen->first, options_.listen->second, {}, {}};
            if (tls_)
                settings.tls = tls_->serverConfiguration();
            if (QFile page(options_.listenPage); page.open(QIODevice::ReadOnly))
                settings.page = page.readAll();
            listenerServer_ =
                std::make_unique<listeners::ListenerServer>(*controller_, *rtp_, settings);
            listenerServer_->setListenerCount(
                [this](int channel) { return listenerCount(channel); });
            if (!listenerServer_->listen(&error))
                throw RouterError("listeners: " + error.toStdString());
        }
    }
    // The live Ogg streams on the listeners' port + 1 (0: any free port); the listeners'
    // channel list shows their URLs and counts.
    if (listenerServer_) {
        const quint16 port = options_.listen->second == 0 ? 0 : options_.listen->second + 1;
        listeners::StreamSettings streams;
        streams.address = options_.listen->first;
        streams.port = port;
        if (tls_)
            streams.tls = tls_->serverConfiguration();
        streamServer_ = std::make_unique<listeners::StreamServer>(*live_, streams);
        if (!streamServer_->listen(&error))
            throw RouterError("listeners' streams: " + error.toStdString());
        listenerServer_->setStreams(streamServer_.get());
        server_->addStateSection("listeners", [this] { return listenerServer_->statusJson(); });
    }
    if (options_.webrtc)
        startWebRtc();
}

// WebRTC (app/webrtc/WebRtcService.h): the private Janus or the venue's Janus servers, the
// channels' RTP sent to their mountpoints, the signalling on the listeners' port.
void Router::startWebRtc() {
    if (!listenerServer_)
        throw RouterError("WebRTC: --webrtc needs --listen (the signalling runs on the listeners' "
                          "port)");
    webrtc::WebRtcOptions webrtcOptions;
    webrtcOptions.janusProgram = QString::fromStdString(options_.janusProgram);
    for (const auto& name : options_.webrtcInterfaces)
        webrtcOptions.iceInterfaces << QString::fromStdString(name);
    webrtcOptions.runtimeFolder = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    try {
        webrtc_ = std::make_unique<webrtc::WebRtcService>(venue_, webrtcOptions);
        for (const auto& feed : webrtc_->feeds())
            webrtcRtp_->addDestination(feed.channel, stream::Endpoint{feed.address, feed.port});
        webrtc_->start();
    } catch (const std::exception& error) {
        throw RouterError(std::string("WebRTC: ") + error.what());
    }
    listenerServer_->setWebRtc(&webrtc_->signalling());
    server_->addStateSection("webrtc", [this] {
        auto status = webrtc_->statusJson();
        status.insert("rtp", listeners::rtpSenderJson(webrtcRtp_->stats()));
        return status;
    });
}

// MIDI control surfaces (docs/session.md "MIDI control surfaces"): the --midi mapping files, then
// the shipped defaults; hot-plugged ports and, on JACK, the virtual ports NAME-midi:in and :out.
void Router::startMidi() {
    try {
        midi::SurfacesOptions midiOptions;
        midiOptions.clientName = options_.clientName + "-midi";
        midi_ = std::make_unique<midi::MidiSurfaces>(
            *controller_, midi::loadMappings(options_.midiMappings, options_.midiDefaults, venue_),
            midiOptions);
    } catch (const std::exception& error) {
        throw RouterError(std::string("MIDI: ") + error.what());
    }
    for (const auto& problem : midi_->start())
        std::fprintf(stderr, "dragoman: MIDI: %s\n", problem.c_str());
    if (!options_.midiMappings.empty())
        midiLearn_ = std::make_unique<midi::MidiLearn>(*midi_, options_.midiMappings.front());
    server_->addStateSection("midi", [this] { return midi::surfacesJson(*midi_); });
}

// Says so whenever the clock changes: a device lost, a device back.
void Router::watchDevice() {
    const auto first = runner_->status();
    lastClock_ = first.clock;
    lastState_ = first.state;
    connect(&watch_, &QTimer::timeout, this, [this] {
        const auto status = runner_->status();
        if (status.clock != lastClock_ || status.state != lastState_) {
            lastClock_ = status.clock;
            lastState_ = status.state;
            Q_EMIT deviceChanged(QString::fromStdString(describe(status)));
        }
        if (recorder_) {
            const auto recording = recorder_->stats();
            if (recording.recording != lastRecording_) {
                lastRecording_ = recording.recording;
                if (recording.recording)
                    Q_EMIT recordingChanged(
                        QString::fromStdString("recording: going on in part " +
                                               std::to_string(recording.part) + " (" +
                                               recorder_->file(0).filename().string() + ", …)"),
                        false);
                else
                    Q_EMIT recordingChanged(
                        QString::fromStdString("recording stopped: " + recorder_->lastError() +
                                               "; it goes on in new files when there is space"),
                        true);
            }
        }
    });
    watch_.start(100);
}

void Router::stop() {
    if (keeper_)
        keeper_->finish(); // while the engine still answers: the last settings, a clean stop
    watch_.stop();
    script_.stop();
    if (runner_)
        runner_->stop();
    if (encoders_)
        encoders_->stop(); // before the sinks go
    if (recorder_)
        recorder_->stop();
    if (rtp_)
        rtp_->stop();
    if (webrtcRtp_)
        webrtcRtp_->stop();
    icecast_.reset(); // its sources leave the live streams before they go
    if (listenerServer_)
        listenerServer_->setWebRtc(nullptr);
    if (webrtc_)
        webrtc_->stop(); // the private Janus by its process id; external mountpoints destroyed
    webrtc_.reset();
}

QJsonObject Router::recordingJson() const {
    const auto s = recorder_->stats();
    QJsonArray files;
    if (s.recording)
        for (std::size_t c = 0; c < venue_.channels.size(); ++c)
            files.append(QString::fromStdString(recorder_->file(static_cast<int>(c)).string()));
    const auto error = recorder_->lastError();
    return {
        {"folder", QString::fromStdString(recorder_->sessionFolder().string())},
        {"recording", s.recording},
        {"alarm", s.recording ? QJsonValue() : QJsonValue(QString::fromStdString(error))},
        {"part", s.part},
        {"files", files},
        {"written", static_cast<qint64>(s.written)},
        {"dropped", static_cast<qint64>(s.dropped)},
        {"writeErrors", static_cast<qint64>(s.writeErrors)},
        {"lost", static_cast<qint64>(s.lost)},
        {"stops", static_cast<qint64>(s.stops)},
        {"resumes", static_cast<qint64>(s.resumes)},
        {"lastError", error.empty() ? QJsonValue() : QJsonValue(QString::fromStdString(error))}};
}

device::DeviceStatus Router::deviceStatus() const {
    return runner_ ? runner_->status() : device::DeviceStatus{};
}

QUrl Router::listenersPage() const {
    if (!listenerServer_)
        return {};
    const bool https = tls_ && tls_->source == tls::Identity::Source::Venue;
    return listeners::listenersPageUrl(options_.listen->first, listenerServer_->port(), https);
}

QUrl Router::deskPage(int flatDesk) const {
    const QByteArray token = server_ ? server_->deskTokens().token(flatDesk) : QByteArray();
    if (token.isEmpty())
        return {};
    QUrl url =
        listeners::listenersPageUrl(options_.httpAddress, server_->port(), server_->servesTls());
    url.setPath(QStringLiteral("/desk/") + QString::fromStdString(venue_.deskId(flatDesk)));
    url.setFragment(QStringLiteral("token=") + QString::fromLatin1(token));
    return url;
}

std::vector<int> Router::deskPanels() const {
    return server_ ? server_->deskPanels() : std::vector<int>{};
}

bool Router::revokeDesk(int flatDesk, QString* error) {
    return server_ && server_->revokeDesk(flatDesk, error);
}

QString Router::webrtcSummary(bool* healthy) const {
    *healthy = true;
    return webrtc_ ? webrtc_->summary(healthy) : QStringLiteral("off");
}

int Router::listenerCount(int channel) const {
    if (!rtp_)
        return 0;
    const int webrtc =
        webrtc_ ? webrtc_->listeners(QString::fromStdString(venue_.channels[channel].code)) : 0;
    return static_cast<int>(rtp_->listenerCount(channel)) +
           (live_ ? live_->listeners(channel) : 0) + webrtc;
}

std::string Router::describe(const device::DeviceStatus& s) {
    if (s.clock == device::Clock::Virtual) {
        std::string text = "virtual clock (no audio device";
        if (!s.lastError.empty())
            text += ": " + s.lastError;
        return text + ")";
    }
    char latency[96];
    std::snprintf(latency, sizeof latency, ", %d frames, in %.1f ms / out %.1f ms", s.blockSize,
                  s.inputLatencyMs, s.outputLatencyMs);
    return "device clock: " + s.hostApi + " / " + s.device + latency;
}

std::string Router::banner() const {
    std::string text;
    char line[512];
    auto add = [&](const std::string& s) { text += s + "\n"; };
    add("Dragoman — " + venue_.name);
    add("  venue: " + options_.venue.string());
    add("  audio: " + describe(deviceStatus()));
    const bool controlTls = server_ && server_->servesTls();
    std::snprintf(line, sizeof line, "  control API: %s://%s:%u/api/state%s",
                  controlTls ? "https" : "http", qPrintable(options_.httpAddress.toString()),
                  server_ ? server_->port() : 0,
                  hasToken_ ? " (writes need the bearer token)"
                            : " (read-only: set DRAGOMAN_TOKEN or the venue's control.token "
                              "to allow writes)");
    add(line);
    if (session_) {
        std::snprintf(line, sizeof line, "  demo: a %.0f s scripted session, looping",
                      session_->loopSeconds());
        add(line);
    }
    if (recorder_)
        add("  recording: " + recorder_->sessionFolder().string());
    if (keeper_)
        add("  settings kept in: " + keeper_->file().string());
    if (listenerServer_) {
        std::snprintf(line, sizeof line,
                      "  listeners: http://%s:%u/channels.json%s, RTP from port %u",
                      qPrintable(options_.listen->first.toString()), listenerServer_->port(),
                      listenerServer_->servesTls() ? " (https too)" : "", rtp_->rtpPort());
        add(line);
    }
    if (tls_) {
        const bool venueOwn = tls_->source == tls::Identity::Source::Venue;
        add("  TLS: " +
            std::string(venueOwn        ? "the venue's certificate "
                        : tls_->madeNow ? "a self-signed certificate made now in "
                                        : "the self-signed certificate kept in ") +
            tls_->certificateFile.toStdString() +
            (tlsNote_.isEmpty() ? "" : " (" + tlsNote_.toStdString() + ")"));
        add("  TLS fingerprint: SHA-256 " + tls_->fingerprint().toStdString());
    }
    if (webrtc_)
        for (const auto& webrtcLine : webrtc_->bannerLines())
            add("  " + webrtcLine.toStdString());
    if (streamServer_)
        add("  streams: " + streamServer_->url(QStringLiteral("CODE")).toStdString());
    if (icecast_)
        add("  icecast: " + venue_.icecast.host + ", mounts " + venue_.icecast.mountPrefix +
            "CODE.opus");
    return text;
}

} // namespace dragoman::router

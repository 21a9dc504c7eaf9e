// dragoman: the interpretation router. Loads a venue, runs the engine on an audio device (or
// the virtual clock where there is none), serves the HTTP control API and, with --demo, plays
// a scripted interpretation session so the whole system can be seen working anywhere.
//
//   dragoman --headless [--venue FILE] [--audio jack|default|virtual|"DEVICE NAME"] [--demo]
//            [--http ADDR:PORT] [--client-name NAME] [--record DIR] [--listen ADDR:PORT]
//            [--midi FILE]...
#include "EngineAudio.h"
#include "common/ResourcePath.h"
#include "control/ControlServer.h"
#include "control/ControlToken.h"
#include "control/EngineController.h"
#include "core/Engine.h"
#include "demo/DemoInput.h"
#include "demo/DemoSession.h"
#include "device/AudioRunner.h"
#include "listeners/ListenerServer.h"
#include "listeners/StreamServer.h"
#include "midi/DefaultMappings.h"
#include "midi/MidiLearn.h"
#include "midi/MidiSurfaces.h"
#include "midi/SurfacesJson.h"
#include "stream/EncoderThread.h"
#include "stream/LiveOggStreams.h"
#include "stream/Recorder.h"
#include "venue/VenueFile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <utility>

using namespace dragoman;

namespace {

std::atomic<bool> quitRequested{false};

void onSignal(int) {
    quitRequested.store(true);
}

struct Options {
    bool headless = false;
    bool demo = false;
    std::filesystem::path venue;
    std::string audio;
    std::string clientName;
    std::filesystem::path record;            // "" = no recording
    std::vector<std::filesystem::path> midi; // mapping files; the first also stores learnt ones
    std::optional<std::pair<QHostAddress, quint16>> listen; // the listeners' server
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8470;
};

// "ADDR:PORT" ("[::1]:8470" for IPv6); exits with status 2 and a message when it is not one.
std::pair<QHostAddress, quint16> parseEndpoint(const char* option, const QString& endpoint) {
    const int colon = endpoint.lastIndexOf(':');
    bool portOk = false;
    const uint port = colon > 0 ? endpoint.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = colon > 0 ? endpoint.left(colon) : QString();
    if (host.startsWith('[') && host.endsWith(']'))
        host = host.mid(1, host.size() - 2);
    QHostAddress address;
    if (!portOk || port > 65535 || !address.setAddress(host)) {
        std::fprintf(stderr, "dragoman: %s wants ADDR:PORT (e.g. 127.0.0.1:8470), got \"%s\"\n",
                     option, qPrintable(endpoint));
        std::exit(2);
    }
    return {address, static_cast<quint16>(port)};
}

// Parses the command line; exits with status 2 and a message on a bad argument.
Options parseOptions(const QCoreApplication& app, const char* argv0) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Dragoman: a simultaneous-interpretation channel router for conference venues.");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless("headless", "Run without the console window.");
    const QCommandLineOption venue("venue", "The venue file (default: the Tirana venue).", "FILE");
    const QCommandLineOption audio(
        "audio", "Audio device: jack, default, virtual or a device name (default: default).",
        "DEVICE", "default");
    const QCommandLineOption demo("demo", "Play the scripted demo session on the venue's mics.");
    const QCommandLineOption http("http", "Address and port of the HTTP control API.", "ADDR:PORT",
                                  "127.0.0.1:8470");
    const QCommandLineOption clientName(
        "client-name", "JACK client name; ports are NAME:in_N and NAME:out_N (default: dragoman).",
        "NAME", "dragoman");
    const QCommandLineOption record(
        "record", "Record every channel as Ogg Opus in a folder per session under DIR.", "DIR");
    const QCommandLineOption listen(
        "listen",
        "Serve listeners (channel list, SDP, RTP) at ADDR:PORT, e.g. 0.0.0.0:8480 for the venue "
        "network. Read-only.",
        "ADDR:PORT");
    const QCommandLineOption midi("midi",
                                  "A MIDI mapping file (repeatable); the first also keeps the "
                                  "bindings learn mode stores.",
                                  "FILE");
    parser.addOptions({headless, venue, audio, demo, http, clientName, record, listen, midi});
    parser.process(app);

    Options options;
    options.headless = parser.isSet(headless);
    options.demo = parser.isSet(demo);
    options.venue = parser.isSet(venue) ? std::filesystem::path(parser.value(venue).toStdString())
                                        : app::findResource("venues/tirana.json", argv0);
    options.audio = parser.value(audio).toStdString();
    options.clientName = parser.value(clientName).toStdString();
    if (parser.isSet(record))
        options.record = parser.value(record).toStdString();
    for (const auto& file : parser.values(midi))
        options.midi.emplace_back(file.toStdString());
    const auto http_ = parseEndpoint("--http", parser.value(http));
    options.address = http_.first;
    options.port = http_.second;
    if (parser.isSet(listen))
        options.listen = parseEndpoint("--listen", parser.value(listen));
    return options;
}

std::string describe(const device::DeviceStatus& s) {
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

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("dragoman");
    QCoreApplication::setApplicationVersion(DRAGOMAN_VERSION);
    const Options options = parseOptions(app, argv[0]);
    if (!options.headless)
        std::fprintf(stderr, "dragoman: the console window is not built yet; running headless\n");

    venue::Venue venue;
    try {
        venue = venue::load(options.venue);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "dragoman: %s\n", error.what());
        return 2;
    }

    core::Engine engine(venue);
    control::EngineController controller(engine);

    std::unique_ptr<demo::DemoSession> session;
    std::unique_ptr<device::AudioCallback> callback;
    try {
        if (options.demo) {
            session = std::make_unique<demo::DemoSession>(
                venue, app::findResource("demo/live.events", argv[0]));
            callback = std::make_unique<demo::DemoInput>(engine, venue, *session,
                                                         app::findResource("demo/clips", argv[0]));
        } else {
            callback = std::make_unique<EngineAudio>(engine);
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "dragoman: demo: %s\n", error.what());
        return 2;
    }

    // Encoding costs CPU (Opus at complexity 10 is ~2 % of a core per channel), so it runs
    // only for something that uses the packets: recordings and listeners.
    std::unique_ptr<stream::EncoderThread> encoders;
    std::unique_ptr<stream::Recorder> recorder;
    std::unique_ptr<stream::RtpSender> rtp;
    std::unique_ptr<stream::LiveOggStreams> live; // Ogg Opus over HTTP
    const bool fixedRtp = std::any_of(venue.channels.begin(), venue.channels.end(),
                                      [](const venue::Channel& c) { return c.rtp.configured(); });
    if (!options.record.empty() || options.listen || fixedRtp) {
        try {
            encoders = std::make_unique<stream::EncoderThread>(engine);
            if (!options.record.empty()) {
                recorder = std::make_unique<stream::Recorder>(venue, *encoders, options.record);
                encoders->attach(*recorder);
                recorder->start();
            }
            if (options.listen || fixedRtp) {
                stream::RtpSenderConfig config;
                config.channels = static_cast<int>(venue.channels.size());
                for (const auto& channel : venue.channels) // one TTL for the sender: the largest
                    if (channel.rtp.configured())
                        config.multicastTtl = std::max(config.multicastTtl, channel.rtp.ttl);
                rtp = std::make_unique<stream::RtpSender>(config);
                for (std::size_t c = 0; c < venue.channels.size(); ++c) {
                    const auto& fixed = venue.channels[c].rtp;
                    if (fixed.configured())
                        rtp->addDestination(
                            static_cast<int>(c),
                            *stream::Endpoint::parse(fixed.address,
                                                     static_cast<std::uint16_t>(fixed.port)));
                }
                encoders->attach(*rtp);
                rtp->start();
                live = std::make_unique<stream::LiveOggStreams>(
                    stream::liveChannels(venue, *encoders));
                encoders->attach(*live);
            }
            encoders->start();
        } catch (const std::exception& error) {
            std::fprintf(stderr, "dragoman: listeners and recordings: %s\n", error.what());
            return 2;
        }
    }

    device::AudioSettings audio;
    audio.audio = options.audio;
    audio.inputs = venue.deviceInputs;
    audio.outputs = venue.deviceOutputs;
    audio.sampleRate = venue.sampleRate;
    audio.blockSize = venue.blockSize;
    audio.jackClientName = options.clientName;
    device::AudioRunner runner(*callback, audio);
    runner.start();

    control::ServerSettings http;
    http.address = options.address;
    http.port = options.port;
    http.token = control::resolveToken(venue);
    http.remoteReads = venue.control.remoteReads;
    control::ControlServer server(
        controller, [&runner] { return runner.status(); }, http);
    QString error;
    if (!server.listen(&error)) {
        std::fprintf(stderr, "dragoman: HTTP API: %s\n", qPrintable(error));
        return 2;
    }

    // MIDI control surfaces (README "MIDI control surfaces"): mapping files, then the defaults.
    std::unique_ptr<midi::MidiSurfaces> midiSurfaces;
    std::unique_ptr<midi::MidiLearn> midiLearn;
    try {
        midi::SurfacesOptions midiOptions;
        midiOptions.clientName = options.clientName + "-midi";
        midiSurfaces = std::make_unique<midi::MidiSurfaces>(
            controller, midi::loadMappings(options.midi, app::findResource("midi", argv[0]), venue),
            midiOptions);
    } catch (const std::exception& midiError) {
        std::fprintf(stderr, "dragoman: %s\n", midiError.what());
        return 2;
    }
    for (const auto& problem : midiSurfaces->start())
        std::fprintf(stderr, "dragoman: MIDI: %s\n", problem.c_str());
    if (!options.midi.empty())
        midiLearn = std::make_unique<midi::MidiLearn>(*midiSurfaces, options.midi.front());
    server.addStateSection("midi", [&midiSurfaces] { return midi::surfacesJson(*midiSurfaces); });

    std::unique_ptr<listeners::ListenerServer> listenerServer;
    if (rtp) {
        server.setListenerCount([&rtp, &live](int channel) {
            return static_cast<int>(rtp->listenerCount(channel)) + live->listeners(channel);
        });
        listenerServer = std::make_unique<listeners::ListenerServer>(
            controller, *rtp,
            listeners::ListenerSettings{options.listen->first, options.listen->second});
        if (!listenerServer->listen(&error)) {
            std::fprintf(stderr, "dragoman: listeners: %s\n", qPrintable(error));
            return 2;
        }
    }
    // The live Ogg streams on the listeners' port + 1 (0: any free port); the listeners'
    // channel list shows their URLs and counts.
    std::unique_ptr<listeners::StreamServer> streamServer;
    if (listenerServer) {
        const quint16 port = options.listen->second == 0 ? 0 : options.listen->second + 1;
        streamServer = std::make_unique<listeners::StreamServer>(
            *live, listeners::StreamSettings{options.listen->first, port});
        if (!streamServer->listen(&error)) {
            std::fprintf(stderr, "dragoman: listeners' streams: %s\n", qPrintable(error));
            return 2;
        }
        listenerServer->setStreams(streamServer.get());
    }

    std::printf("Dragoman — %s\n", venue.name.c_str());
    std::printf("  venue: %s\n", options.venue.c_str());
    std::printf("  audio: %s\n", describe(runner.status()).c_str());
    std::printf("  control API: http://%s:%u/api/state%s\n", qPrintable(options.address.toString()),
                server.port(),
                http.token.isEmpty()
                    ? " (read-only: set DRAGOMAN_TOKEN or the venue's control.token "
                      "to allow writes)"
                    : " (writes need the bearer token)");
    if (options.demo)
        std::printf("  demo: a %.0f s scripted session, looping\n", session->loopSeconds());
    if (recorder)
        std::printf("  recording: %s\n", recorder->sessionFolder().c_str());
    if (listenerServer)
        std::printf("  listeners: http://%s:%u/channels.json, RTP from port %u\n",
                    qPrintable(options.listen->first.toString()), listenerServer->port(),
                    rtp->rtpPort());
    if (streamServer)
        std::printf("  streams: %s\n", qPrintable(streamServer->url(QStringLiteral("CODE"))));
    std::fflush(stdout);

    // Say so whenever the clock changes: a device lost, a device back.
    QTimer watch;
    auto lastClock = runner.status().clock;
    auto lastState = runner.status().state;
    QObject::connect(&watch, &QTimer::timeout, &app, [&] {
        if (quitRequested.load())
            QCoreApplication::quit();
        const auto status = runner.status();
        if (status.clock != lastClock || status.state != lastState) {
            std::printf("  audio: %s\n", describe(status).c_str());
            std::fflush(stdout);
            lastClock = status.clock;
            lastState = status.state;
        }
    });
    watch.start(100);

    QTimer script;
    if (session) {
        QObject::connect(&script, &QTimer::timeout, &app, [&] {
            for (const auto& command : session->due(engine.stats().frames))
                controller.submit(command, {});
        });
        script.start(10);
    }

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    const int status = QCoreApplication::exec();
    runner.stop();
    if (encoders)
        encoders->stop(); // before the sinks go
    if (recorder)
        recorder->stop();
    if (rtp)
        rtp->stop();
    return status;
}

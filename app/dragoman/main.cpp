// dragoman: the interpretation router. Loads a venue, runs the engine on an audio device (or
// the virtual clock where there is none), serves the HTTP control API and, with --demo, plays
// a scripted interpretation session so the whole system can be seen working anywhere. The
// wiring lives in router::Router; this file only reads the command line and starts it.
//
//   dragoman [--headless] [--desk ID] [--venue FILE] [--audio jack|default|virtual|"DEVICE NAME"]
//            [--demo] [--http ADDR:PORT] [--client-name NAME] [--record DIR] [--listen ADDR:PORT]
//            [--midi FILE|default]... [--webrtc [--webrtc-interface NAME]...] [--verbose]
//   dragoman --router URL [--desk ID] [--token-file FILE] [--fingerprint HEX]
//
// Without --headless it opens the console (the technician's window, or with --desk one desk's
// panel) on the same router. With --router it runs no router: the console of the router at URL
// (remote::runRemoteConsole, over its control WebSocket).
#include "common/EventLoop.h"
#include "common/ResourcePath.h"
#include "console/ConsoleWindow.h"
#include "device/LibraryMessages.h"
#include "loudness/LoudnessMeter.h"
#include "remote/RemoteConsole.h"
#include "router/Router.h"
#include "router/SessionKeeper.h"
#include "widgets/Theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>
#include <QIcon>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <sys/resource.h>
#include <utility>

using namespace dragoman;

namespace {

std::atomic<bool> quitRequested{false};

void onSignal(int) {
    quitRequested.store(true);
}

struct Options {
    bool headless = false;
    bool verbose = false; // --verbose: the audio libraries' own messages on stderr
    QString desk;         // --desk: open this desk's panel instead of the technician's window
    bool venueGiven = false;
    bool audioGiven = false;
    remote::RemoteCommandLine remote; // --router: the console of a router elsewhere
    router::RouterOptions router;
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

// Parses the command line; exits with status 2 and a message on a bad argument. An option is
// one QCommandLineOption in the list below and one line that reads it into Options.
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
    const QCommandLineOption http(
        "http",
        "Address and port of the HTTP control API; beyond loopback it serves only HTTPS (the "
        "venue's certificate, or a self-signed one kept in the data folder).",
        "ADDR:PORT", "127.0.0.1:8470");
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
    const QCommandLineOption webrtc(
        "webrtc", "Serve every channel over WebRTC too: a private Janus (the janus package), or "
                  "the venue's webrtc.servers, with a mountpoint per channel; the listeners' page "
                  "plays it. Needs --listen.");
    const QCommandLineOption webrtcInterface(
        "webrtc-interface",
        "A network interface Janus may offer to listeners for ICE (repeatable; default: all).",
        "NAME");
    const QCommandLineOption desk("desk", "Open one desk's panel as its own window, e.g. en.1.",
                                  "ID");
    const QCommandLineOption midi(
        "midi",
        "MIDI control surfaces, with this mapping file (repeatable; the first also keeps the "
        "bindings learn mode stores) before the shipped ones, or \"default\" for the shipped "
        "mappings alone.",
        "FILE");
    const QCommandLineOption verbose(
        "verbose", "Print the audio libraries' own messages (ALSA, JACK) on stderr as they come.");
    const QCommandLineOption state(
        "state",
        "The file that keeps the running settings across a crash (default: one per venue and "
        "client name in the application data folder; \"none\": keep nothing).",
        "FILE");
    const QCommandLineOption remoteRouter(
        "router",
        "Run no router here: open the console (or --desk's panel) of the router at URL, e.g. "
        "http://HOST:8470 (https:// for TLS). The token comes from DRAGOMAN_TOKEN or --token-file.",
        "URL");
    const QCommandLineOption tokenFile(
        "token-file", "With --router: the file holding the technician's or a desk's token.",
        "FILE");
    const QCommandLineOption fingerprint(
        "fingerprint",
        "With --router https://: trust the router's certificate with this SHA-256 fingerprint "
        "(its banner and /api/state show it), e.g. a self-signed one.",
        "HEX");
    parser.addOptions({headless, venue, audio, demo, http, clientName, record, listen, webrtc,
                       webrtcInterface, desk, midi, verbose, state, remoteRouter, tokenFile,
                       fingerprint});
    parser.process(app);

    Options options;
    auto& r = options.router;
    options.headless = parser.isSet(headless);
    options.verbose = parser.isSet(verbose);
    options.desk = parser.value(desk);
    options.remote = {parser.value(remoteRouter), options.desk, parser.value(tokenFile),
                      parser.value(fingerprint)};
    if (parser.isSet(remoteRouter) && options.headless) {
        std::fprintf(stderr,
                     "dragoman: --router opens a console: it does not go with --headless\n");
        std::exit(2);
    }
    options.venueGiven = parser.isSet(venue);
    options.audioGiven = parser.isSet(audio);
    r.demo = parser.isSet(demo);
    r.venue = parser.isSet(venue) ? std::filesystem::path(parser.value(venue).toStdString())
                                  : app::findResource("venues/tirana.json", argv0);
    if (r.demo) {
        r.demoEvents = app::findResource("demo/live.events", argv0);
        r.demoClips = app::findResource("demo/clips", argv0);
    }
    r.audio = parser.value(audio).toStdString();
    r.clientName = parser.value(clientName).toStdString();
    if (parser.isSet(record))
        r.record = parser.value(record).toStdString();
    const auto endpoint = parseEndpoint("--http", parser.value(http));
    r.httpAddress = endpoint.first;
    r.httpPort = endpoint.second;
    r.deskPage = app::findResource("web/desk.html", argv0);
    if (parser.isSet(listen)) {
        r.listen = parseEndpoint("--listen", parser.value(listen));
        r.listenPage = app::findResource("web/listen.html", argv0);
    }
    r.webrtc = parser.isSet(webrtc);
    if (r.webrtc && !r.listen) {
        std::fprintf(stderr, "dragoman: --webrtc needs --listen ADDR:PORT (the listeners' page "
                             "and its signalling)\n");
        std::exit(2);
    }
    for (const auto& name : parser.values(webrtcInterface))
        r.webrtcInterfaces.push_back(name.toStdString());
    r.midi = parser.isSet(midi);
    for (const auto& file : parser.values(midi))
        if (file != QStringLiteral("default"))
            r.midiMappings.emplace_back(file.toStdString());
    r.midiDefaults = app::findResource("midi", argv0);
    // The running settings belong to this machine's router, not to the venue file (which may
    // be shared, read-only or installed): the application data folder, one file per venue and
    // JACK client name, so that two routers on one machine keep their own.
    if (parser.isSet(state)) {
        if (parser.value(state) != QStringLiteral("none"))
            r.stateFile = parser.value(state).toStdString();
    } else {
        r.stateFile = std::filesystem::path(
                          QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
                              .toStdString()) /
                      "state" / (r.venue.stem().string() + "-" + r.clientName + ".json");
    }
    return options;
}

// The channels' loudness meters feed on the router's PCM and show in /api/state (and the
// console). The meter must outlive the router, whose encoder thread feeds it until it stops.
void attachLoudness(router::Router& router, std::unique_ptr<loudness::LoudnessMeter>& meter) {
    const auto& venue = router.venue();
    meter = std::make_unique<loudness::LoudnessMeter>(static_cast<int>(venue.channels.size()),
                                                      venue.sampleRate);
    router.setPcmSink(meter.get());
    router.setLoudness([reader = meter.get()](int channel) {
        const auto reading = reader->read(channel);
        return std::pair{reading.momentaryLufs, reading.shortTermLufs};
    });
}

// Builds and starts the router; prints the reason and returns null on failure.
std::unique_ptr<router::Router> startRouter(router::RouterOptions options,
                                            std::unique_ptr<loudness::LoudnessMeter>& meter) {
    options.drainTaps = true; // the loudness meters read the channels' PCM
    std::unique_ptr<router::Router> router;
    try {
        router = std::make_unique<router::Router>(options);
        attachLoudness(*router, meter);
    } catch (const std::exception& error) { // the venue file
        std::fprintf(stderr, "dragoman: %s\n", error.what());
        return nullptr;
    }
    try {
        router->start();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "dragoman: %s\n", error.what());
        return nullptr;
    }
    return router;
}

// Quits the event loop once SIGINT or SIGTERM has arrived.
void quitOnSignal(QTimer& timer) {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QObject::connect(&timer, &QTimer::timeout, [] {
        if (quitRequested.load())
            QCoreApplication::quit();
    });
    timer.start(100);
}

int runHeadless(QCoreApplication& app, const Options& options) {
    std::unique_ptr<loudness::LoudnessMeter> loudness;
    auto router = startRouter(options.router, loudness);
    if (!router)
        return 2;
    std::fputs(router->banner().c_str(), stdout);
    std::fflush(stdout);
    QObject::connect(router.get(), &router::Router::deviceChanged, &app,
                     [](const QString& description) {
                         std::printf("  audio: %s\n", qPrintable(description));
                         std::fflush(stdout);
                     });
    QObject::connect(router.get(), &router::Router::recordingChanged, &app,
                     [](const QString& line, bool) {
                         std::printf("  %s\n", qPrintable(line));
                         std::fflush(stdout);
                     });
    if (auto* keeper = router->sessionKeeper())
        QObject::connect(keeper, &router::SessionKeeper::message, &app, [](const QString& line) {
            std::printf("  %s\n", qPrintable(line));
            std::fflush(stdout);
        });
    QTimer quit;
    quitOnSignal(quit);
    const int status = QCoreApplication::exec();
    router->stop();
    return status;
}

// The console on the router: the technician's window, or one desk's panel (--desk). The last
// venue and audio device come back from the settings when the command line does not say.
int runConsole(QApplication& app, Options options) {
    widgets::applyTheme(app);
    QSettings settings;
    if (!options.venueGiven) {
        const QString last = settings.value(QStringLiteral("session/venue")).toString();
        if (!last.isEmpty() && QFileInfo::exists(last))
            options.router.venue = last.toStdString();
    }
    if (!options.audioGiven) {
        const QString last = settings.value(QStringLiteral("session/audio")).toString();
        if (!last.isEmpty())
            options.router.audio = last.toStdString();
    }
    options.router.drainTaps = true; // the loudness meters read the channels' PCM

    // The meter outlives the router, whose encoder thread feeds it until the router stops.
    std::unique_ptr<loudness::LoudnessMeter> loudness;
    std::unique_ptr<router::Router> router;
    std::optional<int> desk;
    try {
        router = std::make_unique<router::Router>(options.router);
        const auto& venue = router->venue();
        if (!options.desk.isEmpty()) {
            desk = venue.deskIndex(options.desk.toStdString());
            if (!desk)
                throw std::invalid_argument("--desk: the venue has no desk \"" +
                                            options.desk.toStdString() +
                                            "\" (desks are BOOTH.N, e.g. en.1)");
        }
        attachLoudness(*router, loudness);
        router->start();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "dragoman: %s\n", error.what());
        return 2;
    }
    std::fputs(router->banner().c_str(), stdout);
    if (!router->notice().empty())
        std::printf("  note: %s\n", router->notice().c_str());
    std::fflush(stdout);
    settings.setValue(
        QStringLiteral("session/venue"),
        QString::fromStdString(std::filesystem::absolute(options.router.venue).string()));
    settings.setValue(QStringLiteral("session/audio"),
                      QString::fromStdString(options.router.audio));

    console::ConsoleSources sources;
    sources.controller = &router->controller();
    sources.device = [&router] { return router->deviceStatus(); };
    if (router->hasListeners())
        sources.listeners = [&router](int channel) { return router->listenerCount(channel); };
    if (router->drainsTaps())
        sources.loudness = loudness.get();
    if (router->runsWebRtc())
        sources.webrtc = [&router] {
            bool healthy = true;
            const QString text = router->webrtcSummary(&healthy);
            return console::ServiceLine{text, healthy};
        };
    sources.venueFile = options.router.venue;
    sources.listenersPage = router->listenersPage();
    if (!router->deskPage(0).isEmpty()) { // a technician's token: desks have tokens too
        sources.deskPairing = [&router](int d) { return router->deskPage(d); };
        sources.revokeDesk = [&router](int d, QString* error) {
            return router->revokeDesk(d, error);
        };
        sources.panels = [&router] { return router->deskPanels(); };
    }
    sources.midi = router->midiSurfaces();
    sources.midiLearn = router->midiLearn();
    console::ConsoleWindow window(sources);
    QObject::connect(router.get(), &router::Router::deviceChanged, &window,
                     [](const QString& description) {
                         std::printf("  audio: %s\n", qPrintable(description));
                         std::fflush(stdout);
                     });
    QObject::connect(router.get(), &router::Router::recordingChanged, &window,
                     [&window](const QString& line, bool alarm) {
                         window.view()->eventLog()->add(
                             alarm ? console::EventKind::Alarm : console::EventKind::Device, line);
                         std::printf("  %s\n", qPrintable(line));
                         std::fflush(stdout);
                     });
    if (auto* keeper = router->sessionKeeper())
        QObject::connect(keeper, &router::SessionKeeper::message, &window,
                         [&window](const QString& line) {
                             window.view()->eventLog()->add(console::EventKind::Routing, line);
                             std::printf("  %s\n", qPrintable(line));
                             std::fflush(stdout);
                         });
    if (desk) {
        window.openDesk(*desk);
        QObject::connect(window.view()->eventLog(), &console::EventLog::added, &window,
                         [](console::EventKind kind, const QString& line) {
                             // No technician's window here: say calls on the terminal too.
                             if (kind != console::EventKind::Call)
                                 return;
                             std::printf("  %s\n", qPrintable(line));
                             std::fflush(stdout);
                         });
    } else {
        window.show();
    }
    QTimer quit;
    quitOnSignal(quit);
    const int status = QApplication::exec();
    router->stop();
    return status;
}

// Every listener of a live stream holds a socket: take all the descriptors the system allows.
void raiseDescriptorLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// Options that need no window, so no display: --headless, and --help and --version (which
// print and exit, e.g. on a rack machine over ssh).
bool isTextOnly(std::string_view argument) {
    return argument == "--headless" || argument == "--help" || argument == "-h" ||
           argument == "--version" || argument == "-v";
}

} // namespace

int main(int argc, char** argv) {
    raiseDescriptorLimit();
    // The console needs a QApplication (and a display); --headless needs neither.
    bool headless = false;
    for (int i = 1; i < argc; ++i)
        headless = headless || isTextOnly(argv[i]);
    std::unique_ptr<QCoreApplication> app;
    if (headless) {
        // The service's loop; a desktop session's console keeps GLib's, which the platform's
        // own dialogs may need.
        app::preferQtEventLoop();
        app = std::make_unique<QCoreApplication>(argc, argv);
    } else {
        app = std::make_unique<QApplication>(argc, argv);
    }
    QCoreApplication::setOrganizationName("Dragoman");
    QCoreApplication::setApplicationName("dragoman");
    QCoreApplication::setApplicationVersion(DRAGOMAN_VERSION);
    const Options options = parseOptions(*app, argv[0]);
    device::installLibraryMessages(options.verbose); // before any device is probed
    if (options.headless)
        return runHeadless(*app, options);
    QGuiApplication::setDesktopFileName("dragoman");
    QApplication::setWindowIcon(QIcon::fromTheme("dragoman"));
    if (!options.remote.router.isEmpty())
        return remote::runRemoteConsole(static_cast<QApplication&>(*app), options.remote);
    return runConsole(static_cast<QApplication&>(*app), options);
}

// dragoman: the interpretation router. Loads a venue, runs the engine on an audio device (or
// the virtual clock where there is none), serves the HTTP control API and, with --demo, plays
// a scripted interpretation session so the whole system can be seen working anywhere. The
// wiring lives in router::Router; this file only reads the command line and starts it.
//
//   dragoman --headless [--venue FILE] [--audio jack|default|virtual|"DEVICE NAME"] [--demo]
//            [--http ADDR:PORT] [--client-name NAME] [--record DIR] [--listen ADDR:PORT]
#include "common/ResourcePath.h"
#include "router/Router.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QTimer>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
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
    parser.addOptions({headless, venue, audio, demo, http, clientName, record, listen});
    parser.process(app);

    Options options;
    auto& r = options.router;
    options.headless = parser.isSet(headless);
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
    if (parser.isSet(listen)) {
        r.listen = parseEndpoint("--listen", parser.value(listen));
        r.listenPage = app::findResource("web/listen.html", argv0);
    }
    return options;
}

// Builds and starts the router; prints the reason and returns null on failure.
std::unique_ptr<router::Router> startRouter(const router::RouterOptions& options) {
    std::unique_ptr<router::Router> router;
    try {
        router = std::make_unique<router::Router>(options);
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

int runHeadless(QCoreApplication& app, const Options& options) {
    auto router = startRouter(options.router);
    if (!router)
        return 2;
    std::fputs(router->banner().c_str(), stdout);
    std::fflush(stdout);
    QObject::connect(router.get(), &router::Router::deviceChanged, &app,
                     [](const QString& description) {
                         std::printf("  audio: %s\n", qPrintable(description));
                         std::fflush(stdout);
                     });
    QTimer quit;
    QObject::connect(&quit, &QTimer::timeout, &app, [] {
        if (quitRequested.load())
            QCoreApplication::quit();
    });
    quit.start(100);
    const int status = QCoreApplication::exec();
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

} // namespace

int main(int argc, char** argv) {
    raiseDescriptorLimit();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("dragoman");
    QCoreApplication::setApplicationVersion(DRAGOMAN_VERSION);
    const Options options = parseOptions(app, argv[0]);
    if (!options.headless)
        std::fprintf(stderr, "dragoman: the console window is not built yet; running headless\n");
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    return runHeadless(app, options);
}

// dragoman-listener: tunes a language channel of a Dragoman router and plays it, with an
// adaptive jitter buffer, loss concealment and clock-drift correction. A window by default;
// --headless for kiosks and tests (it prints the link quality every few seconds).
//
//   dragoman-listener [--headless] --router http://HOST:PORT --channel CODE
//                     [--audio jack|default|virtual|"DEVICE NAME"] [--client-name NAME]
//                     [--rtp-port N] [--subscribe-port N] [--duration SECONDS]
//                     [--stats-interval SECONDS] [--language en|sq|mk|bs]
#include "listener/ListenerSession.h"
#include "listener/ListenerWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSettings>
#include <QTimer>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string_view>

using namespace dragoman;

namespace {

std::atomic<bool> quitRequested{false};

void onSignal(int) {
    quitRequested.store(true);
}

quint16 portOption(const QCommandLineParser& parser, const QString& name) {
    if (!parser.isSet(name))
        return 0;
    bool ok = false;
    const uint port = parser.value(name).toUInt(&ok);
    if (!ok || port < 1024 || port > 65534 || port % 2 != 0) {
        std::fprintf(stderr, "dragoman-listener: --%s wants an even port 1024-65534\n",
                     qPrintable(name));
        std::exit(2);
    }
    return static_cast<quint16>(port);
}

void printQuality(const ui::ListenerSession& session) {
    const auto q = session.quality();
    if (q.code.isEmpty()) {
        std::printf("listener: not tuned\n");
    } else {
        std::printf("listener: %s %s loss %.2f %% concealed %.2f %% jitter %.2f ms buffer %.2f ms "
                    "latency %.2f ms fec %llu plc %llu late %llu duplicates %llu underruns %llu "
                    "restarts %llu drift %d ppm compressed %.0f ms\n",
                    qPrintable(q.code), q.playing ? "playing" : "waiting", q.lossPercent,
                    q.concealedPercent, q.jitterMs, q.bufferMs, q.latencyMs,
                    static_cast<unsigned long long>(q.fecFrames),
                    static_cast<unsigned long long>(q.plcFrames),
                    static_cast<unsigned long long>(q.late),
                    static_cast<unsigned long long>(q.duplicates),
                    static_cast<unsigned long long>(q.underruns),
                    static_cast<unsigned long long>(q.restarts), q.ppm, q.compressedMs);
    }
    std::fflush(stdout);
}

// Options that need no window, so no display: --headless, and --help and --version (which
// print and exit).
bool isTextOnly(std::string_view argument) {
    return argument == "--headless" || argument == "--help" || argument == "-h" ||
           argument == "--version" || argument == "-v";
}

} // namespace

int main(int argc, char** argv) {
    bool headless = false;
    for (int i = 1; i < argc; ++i)
        headless = headless || isTextOnly(argv[i]);
    std::unique_ptr<QCoreApplication> app;
    if (headless)
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Dragoman"));
    QCoreApplication::setApplicationName(QStringLiteral("dragoman-listener"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DRAGOMAN_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Dragoman listener: tunes and plays a language channel of a router."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("headless"), QStringLiteral("No window; print the link quality.")},
        {QStringLiteral("router"),
         QStringLiteral("The router's listeners' server (dragoman --listen)."),
         QStringLiteral("http://HOST:PORT")},
        {QStringLiteral("channel"), QStringLiteral("The channel to tune (en, sq, floor, ...)."),
         QStringLiteral("CODE")},
        {QStringLiteral("audio"),
         QStringLiteral("jack, default, virtual or a device name (default: default)."),
         QStringLiteral("DEVICE"), QStringLiteral("default")},
        {QStringLiteral("client-name"),
         QStringLiteral("The JACK client name (default: dragoman-listener)."),
         QStringLiteral("NAME"), QStringLiteral("dragoman-listener")},
        {QStringLiteral("rtp-port"), QStringLiteral("Receive RTP on this even port."),
         QStringLiteral("N")},
        {QStringLiteral("subscribe-port"),
         QStringLiteral("Ask the router to send to this port (a relay forwards it)."),
         QStringLiteral("N")},
        {QStringLiteral("duration"), QStringLiteral("Quit after this many seconds."),
         QStringLiteral("SECONDS")},
        {QStringLiteral("stats-interval"),
         QStringLiteral("Headless: print the link quality this often (default 5)."),
         QStringLiteral("SECONDS"), QStringLiteral("5")},
        {QStringLiteral("language"), QStringLiteral("The window's language: en, sq, mk, bs."),
         QStringLiteral("CODE")},
    });
    parser.process(*app);

    QSettings settings;
    ui::SessionSettings session;
    session.router = QUrl(parser.isSet(QStringLiteral("router"))
                              ? parser.value(QStringLiteral("router"))
                              : settings.value(QStringLiteral("router")).toString());
    const QString channel = parser.isSet(QStringLiteral("channel"))
                                ? parser.value(QStringLiteral("channel"))
                                : settings.value(QStringLiteral("channel")).toString();
    session.audio = parser.value(QStringLiteral("audio")).toStdString();
    session.clientName = parser.value(QStringLiteral("client-name")).toStdString();
    session.rtpPort = portOption(parser, QStringLiteral("rtp-port"));
    session.subscribePort = portOption(parser, QStringLiteral("subscribe-port"));
    if (headless && (session.router.isEmpty() || channel.isEmpty())) {
        std::fprintf(stderr, "dragoman-listener: --headless needs --router and --channel\n");
        return 2;
    }

    ui::ListenerSession listener(session);
    QString error;
    if (!session.router.isEmpty() && !listener.start(&error)) {
        std::fprintf(stderr, "dragoman-listener: %s\n", qPrintable(error));
        return 2;
    }
    if (session.router.isEmpty())
        listener.start(); // the window asks for the router
    settings.setValue(QStringLiteral("router"), session.router.toString());

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QTimer quitPoll;
    QObject::connect(&quitPoll, &QTimer::timeout, [] {
        if (quitRequested.load())
            QCoreApplication::quit();
    });
    quitPoll.start(100);
    if (parser.isSet(QStringLiteral("duration")))
        QTimer::singleShot(
            static_cast<int>(parser.value(QStringLiteral("duration")).toDouble() * 1000),
            [] { QCoreApplication::quit(); });

    QObject::connect(&listener, &ui::ListenerSession::message, [](const QString& text) {
        std::fprintf(stderr, "dragoman-listener: %s\n", qPrintable(text));
    });
    QObject::connect(&listener, &ui::ListenerSession::tunedChanged, [](const QString& code) {
        QSettings().setValue(QStringLiteral("channel"), code);
        std::printf("listener: tuned %s\n", qPrintable(code));
        std::fflush(stdout);
    });

    std::unique_ptr<ui::ListenerWindow> window;
    QTimer stats;
    if (headless) {
        // Tune once the router has listed the channel (its RTCP port comes with the list).
        QObject::connect(&listener, &ui::ListenerSession::channelsChanged, [&listener, channel] {
            if (listener.tuned().isEmpty())
                listener.tune(channel);
        });
        QObject::connect(&stats, &QTimer::timeout, [&listener] { printQuality(listener); });
        stats.start(
            static_cast<int>(parser.value(QStringLiteral("stats-interval")).toDouble() * 1000));
        const auto device = listener.deviceStatus();
        std::printf("listener: router %s, channel %s, audio %s\n",
                    qPrintable(session.router.toString()), qPrintable(channel),
                    device.clock == device::Clock::Device ? device.device.c_str()
                                                          : "virtual clock (no audio device)");
        std::fflush(stdout);
    } else {
        window = std::make_unique<ui::ListenerWindow>(listener, channel);
        if (parser.isSet(QStringLiteral("language")))
            window->setLanguage(parser.value(QStringLiteral("language")));
        window->resize(560, 480);
        window->show();
    }
    const int status = app->exec();
    if (headless)
        printQuality(listener);
    return status;
}

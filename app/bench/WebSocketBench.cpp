#include "bench/Bench.h"
#include "control/ControlServer.h"
#include "control/EngineController.h"
#include "core/Engine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace dragoman::bench {

namespace {

constexpr const char* kToken = "bench-token-0123456789abcdef";

// The engine's "audio thread": silent 128-frame blocks in real time.
class Pump {
public:
    explicit Pump(core::Engine& engine)
        : engine_(engine)
        , thread_([this] { run(); }) {}
    ~Pump() {
        running_ = false;
        thread_.join();
    }

private:
    void run() {
        const auto& venue = engine_.venue();
        std::vector<float> silence(kBlock, 0.0f);
        std::vector<std::vector<float>> out(static_cast<std::size_t>(venue.deviceOutputs),
                                            std::vector<float>(kBlock));
        std::vector<const float*> inputs(static_cast<std::size_t>(venue.deviceInputs),
                                         silence.data());
        std::vector<float*> outputs;
        for (auto& o : out)
            outputs.push_back(o.data());
        const auto period =
            std::chrono::microseconds(kBlock * 1'000'000 / static_cast<unsigned>(venue.sampleRate));
        auto next = std::chrono::steady_clock::now();
        while (running_) {
            engine_.process(inputs.data(), outputs.data(), kBlock);
            next += period;
            std::this_thread::sleep_until(next);
        }
    }
    static constexpr std::size_t kBlock = 128;
    core::Engine& engine_;
    std::atomic<bool> running_{true};
    std::thread thread_;
};

double threadCpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Runs the event loop (blocking in it, as the router does: no busy polling) until `done()` or
// `timeoutMs`.
void spinUntil(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer elapsed;
    elapsed.start();
    while (!done() && elapsed.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(1, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

// Runs the event loop for `ms`, woken only by what happens (as the router's own loop is).
void runLoopFor(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

std::unique_ptr<QWebSocket> openSocket(quint16 port) {
    auto ws = std::make_unique<QWebSocket>();
    ws->setProxy(QNetworkProxy::NoProxy);
    ws->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/ws").arg(port)));
    return ws;
}

QString frame(const QJsonObject& object) {
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

// The meter subscribers: `count` sockets at 30 Hz in a thread of their own, so that the
// router's (this thread's) CPU time is the router's alone.
class Subscribers : public QThread {
public:
    Subscribers(quint16 port, int count)
        : port_(port)
        , count_(count) {}
    std::atomic<int> ready{0};
    std::atomic<long> frames{0};

protected:
    void run() override {
        std::vector<std::unique_ptr<QWebSocket>> sockets;
        for (int i = 0; i < count_; ++i) {
            auto ws = openSocket(port_);
            QWebSocket* raw = ws.get();
            QObject::connect(raw, &QWebSocket::connected, raw, [raw] {
                raw->sendTextMessage(frame({{"type", "auth"}, {"token", kToken}}));
                raw->sendTextMessage(frame({{"type", "meters"}, {"hz", 30}}));
            });
            QObject::connect(raw, &QWebSocket::textMessageReceived, raw,
                             [this](const QString& text) {
                                 // Compact JSON sorts its keys: "meters" comes first.
                                 if (text.startsWith(QLatin1String("{\"meters\"")))
                                     ++frames;
                                 else if (text.contains(QLatin1String("\"type\":\"hello\"")))
                                     ++ready;
                             });
            sockets.push_back(std::move(ws));
        }
        exec(); // until quit()
        for (auto& s : sockets)
            s->abort();
    }

private:
    quint16 port_;
    int count_;
};

} // namespace

void runWebSocket(const venue::Venue& venue, int presses, int subscribers, double seconds) {
    core::Engine engine(venue);
    control::EngineController controller(engine);
    control::ServerSettings settings;
    settings.port = 0;
    settings.token = QString::fromLatin1(kToken);
    control::ControlServer server(controller, {}, settings);
    QString error;
    if (!server.listen(&error))
        throw std::runtime_error("websocket: " + error.toStdString());
    Pump pump(engine);

    // Key press -> the state that shows it, back on the socket that pressed.
    auto ws = openSocket(server.port());
    bool hello = false;
    bool want = false;
    bool seen = false;
    QElapsedTimer pressed;
    double tookMs = 0.0;
    QObject::connect(ws.get(), &QWebSocket::textMessageReceived, [&](const QString& text) {
        const QJsonObject f = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = f.value("type").toString();
        if (type == QLatin1String("hello"))
            hello = true;
        else if (type == QLatin1String("state") &&
                 f.value("state")["desks"]["en.1"]["mic"].toBool() == want && !seen) {
            seen = true;
            tookMs = static_cast<double>(pressed.nsecsElapsed()) / 1e6;
        }
    });
    QObject::connect(ws.get(), &QWebSocket::connected, [&] {
        ws->sendTextMessage(frame({{"type", "auth"}, {"token", kToken}}));
    });
    spinUntil([&] { return hello; }, 5000);
    if (!hello)
        throw std::runtime_error("websocket: no hello from the router");
    std::vector<double> ms;
    int lost = 0;
    for (int i = 0; i < presses; ++i) {
        want = (i % 2) == 0;
        seen = false;
        pressed.start();
        ws->sendTextMessage(frame(
            {{"id", i}, {"type", "desk"}, {"desk", "en.1"}, {"set", QJsonObject{{"mic", want}}}}));
        spinUntil([&] { return seen; }, 1000);
        if (seen)
            ms.push_back(tookMs);
        else
            ++lost;
    }
    std::printf("{\"case\":\"websocket-press\",\"presses\":%d,\"lost\":%d,\"median_ms\":%.2f,"
                "\"p99_ms\":%.2f,\"max_ms\":%.2f}\n",
                presses, lost, percentile(ms, 0.5), percentile(ms, 0.99), percentile(ms, 1.0));
    std::fflush(stdout);
    ws->abort();

    // Meter subscribers at 30 Hz: the router thread's CPU.
    Subscribers subs(server.port(), subscribers);
    subs.start();
    spinUntil([&] { return subs.ready >= subscribers; }, 20000);
    const int ready = subs.ready;
    runLoopFor(1000); // settle
    const long frames0 = subs.frames;
    const double cpu0 = threadCpuSeconds();
    QElapsedTimer wall;
    wall.start();
    runLoopFor(static_cast<int>(seconds * 1000));
    const double cpu = threadCpuSeconds() - cpu0;
    const double elapsed = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    const long frames = subs.frames - frames0;
    subs.quit();
    subs.wait();
    std::printf("{\"case\":\"websocket-meters\",\"sockets\":%d,\"hz\":30,\"frames_per_s\":%.0f,"
                "\"per_socket_hz\":%.1f,\"router_cpu_percent_of_core\":%.1f}\n",
                ready, static_cast<double>(frames) / elapsed,
                ready ? static_cast<double>(frames) / elapsed / ready : 0.0, 100.0 * cpu / elapsed);
    std::fflush(stdout);
}

} // namespace dragoman::bench

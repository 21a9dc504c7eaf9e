// Helpers for the listener tests: a running `dragoman --headless --listen` (on a JACK server
// or the virtual clock), waiting on the Qt event loop, reading a program's quality lines.
#pragma once

#include "support/ChildProcess.h"
#include "support/Http.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace dragoman::test {

inline std::string binary(const std::string& relative) {
    return std::string(DRAGOMAN_BINARY_DIR) + "/" + relative;
}

inline std::string venueFile(const std::string& name) {
    return std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/" + name;
}

// `dragoman --headless --listen 127.0.0.1:PORT` with its API on another free port.
class Router {
public:
    Router(const std::string& audio, const std::string& clientName,
           const std::string& venue = "tirana.json")
        : listen_(freeLoopbackPortPair())
        , process_({binary("app/dragoman/dragoman"), "--headless", "--venue", venueFile(venue),
                    "--audio", audio, "--client-name", clientName, "--http",
                    "127.0.0.1:" + std::to_string(freeLoopbackPort()), "--listen",
                    "127.0.0.1:" + std::to_string(listen_)},
                   binary("tests/ui/listener/router-" + std::to_string(listen_) + ".log")) {
        for (int i = 0; i < 100; ++i) {
            if (http("GET", url() + "/channels.json").status == 200)
                return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        FAIL("the router did not start: " << process_.output());
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(listen_); }
    ChildProcess& process() { return process_; }

private:
    int listen_;
    ChildProcess process_;
};

// Runs the Qt event loop until `done` holds or `limit` passes; returns done().
template <typename Done> bool waitUntil(Done&& done, std::chrono::milliseconds limit) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > limit.count())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

} // namespace dragoman::test

namespace dragoman::test {

// An even UDP port on loopback whose successor is free too (RTP and RTCP).
inline int freeUdpPortPair() {
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int port = 20000 + 2 * (std::rand() % 20000);
        bool free = true;
        for (int p : {port, port + 1}) {
            const int fd = socket(AF_INET, SOCK_DGRAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            a.sin_port = htons(static_cast<std::uint16_t>(p));
            free = free && bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
            close(fd);
        }
        if (free)
            return port;
    }
    throw std::runtime_error("no free UDP port pair");
}

// The link-quality lines a headless dragoman-listener printed:
// "listener: en playing loss L % concealed C % jitter J ms buffer B ms latency T ms ...".
struct QualityLine {
    bool playing = false;
    double loss = 0, concealed = 0, jitter = 0, buffer = 0, latency = 0;
    unsigned long long fec = 0, plc = 0, late = 0, duplicates = 0, underruns = 0, restarts = 0;
};

inline std::vector<QualityLine> qualityLines(const std::string& output) {
    std::vector<QualityLine> lines;
    std::size_t at = 0;
    while ((at = output.find("listener: ", at)) != std::string::npos) {
        const auto end = output.find('\n', at);
        const std::string line = output.substr(at, end - at);
        at = end;
        QualityLine q;
        char code[32], state[32];
        int drift = 0;
        if (std::sscanf(line.c_str(),
                        "listener: %31s %31s loss %lf %% concealed %lf %% jitter %lf ms buffer %lf "
                        "ms latency %lf ms fec %llu plc %llu late %llu duplicates %llu underruns "
                        "%llu restarts %llu drift %d",
                        code, state, &q.loss, &q.concealed, &q.jitter, &q.buffer, &q.latency,
                        &q.fec, &q.plc, &q.late, &q.duplicates, &q.underruns, &q.restarts,
                        &drift) == 14) {
            q.playing = std::string(state) == "playing";
            lines.push_back(q);
        }
        if (end == std::string::npos)
            break;
    }
    return lines;
}

} // namespace dragoman::test

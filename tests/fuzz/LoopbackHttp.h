// For the fuzz targets that drive a real HTTP server of Dragoman's: the Qt application, the
// Tirana venue's engine driven by its own "audio" thread and the EngineController (made once),
// and a raw client that sends one input's bytes to a server on loopback, closes its side and
// runs the event loop until the server has closed the connection too.
// Thread contract: the fuzzer's thread (the Qt main thread).
#pragma once

#include "FuzzVenue.h"
#include "control/EngineController.h"
#include "core/Engine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dragoman::fuzz {

class RunningEngine {
public:
    RunningEngine()
        : engine_(tirana())
        , controller_(engine_) {
        thread_ = std::thread([this] {
            const auto& venue = engine_.venue();
            std::vector<float> silence(128, 0.0f);
            std::vector<std::vector<float>> outs(static_cast<std::size_t>(venue.deviceOutputs),
                                                 std::vector<float>(128));
            std::vector<const float*> in(static_cast<std::size_t>(venue.deviceInputs),
                                         silence.data());
            std::vector<float*> out;
            for (auto& o : outs)
                out.push_back(o.data());
            while (running_.load()) {
                engine_.process(in.data(), out.data(), 128);
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
        });
    }
    ~RunningEngine() {
        running_.store(false);
        thread_.join();
    }
    control::EngineController& controller() { return controller_; }

private:
    core::Engine engine_;
    control::EngineController controller_;
    std::atomic<bool> running_{true};
    std::thread thread_;
};

inline QCoreApplication& application() {
    static int argc = 1;
    static char name[] = "fuzz";
    static char* argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    return app;
}

// Sends `data` to 127.0.0.1:port and reads the answers until the server has been silent for
// kQuiet, then shuts the sending side and reads until the server closes. (Closing at once
// would have the server see the end of the connection before it has answered.) A server that
// keeps the connection for 5 s after the client has gone is a finding.
inline void exchange(quint16 port, const std::uint8_t* data, std::size_t size) {
    constexpr qint64 kQuietMs = 15;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    std::size_t sent = 0;
    bool shut = false;
    bool closed = false;
    char buffer[4096];
    QElapsedTimer clock, quiet;
    clock.start();
    quiet.start();
    while (!closed) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
        if (sent < size) {
            const auto n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
            if (n > 0) {
                sent += static_cast<std::size_t>(n);
                quiet.restart();
            } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN &&
                       errno != EINPROGRESS) {
                sent = size; // the server has refused and closed
            }
        }
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0)
            quiet.restart();
        else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN))
            closed = true;
        if (sent == size && !shut && quiet.elapsed() > kQuietMs) {
            ::shutdown(fd, SHUT_WR);
            shut = true;
        }
        if (clock.elapsed() > 5000) {
            std::fprintf(stderr, "the server kept the connection 5 s after the client closed\n");
            __builtin_trap();
        }
    }
    ::close(fd);
    // Let the server finish with its side (deleteLater, answers still on their way).
    for (int i = 0; i < 4; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
}

} // namespace dragoman::fuzz

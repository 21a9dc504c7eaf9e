// The guard's test bench (GuardedTcpServer.h): a real QHttpServer on loopback behind a guard
// with small limits (plain, or speaking TLS), and a raw socket client that can send anything.
#pragma once

#include "control/GuardedTcpServer.h"
#include "support/QtWait.h"

#include <QHttpServer>
#include <QSslConfiguration>
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace dragoman::test {

inline control::HttpLimits smallLimits() {
    control::HttpLimits limits;
    limits.maxHeaderBytes = 1024;
    limits.maxBodyBytes = 1024;
    limits.headerTimeout = std::chrono::milliseconds(300);
    limits.idleTimeout = std::chrono::milliseconds(600);
    limits.maxConnections = 4;
    return limits;
}

// A QHttpServer answering GET /ok and POST /echo behind a guard with `limits`.
class GuardedHttp {
public:
    // `tls`: the port speaks TLS that way, with `config`'s certificate and key.
    explicit GuardedHttp(control::HttpLimits limits = smallLimits(),
                         control::TlsMode tls = control::TlsMode::Off,
                         const QSslConfiguration& config = {}) {
        http_.route("/ok", [] { return QStringLiteral("ok"); });
        http_.route("/big", [] { return QByteArray(8 * 1024 * 1024, 'z'); });
        http_.route("/echo", QHttpServerRequest::Method::Post,
                    [](const QHttpServerRequest& request) { return request.body(); });
        auto tcp = std::make_unique<control::GuardedTcpServer>(limits);
        tcp->setTls(tls, config);
        REQUIRE(tcp->listen(QHostAddress::LocalHost, 0));
        tcp_ = tcp.release();
        http_.bind(tcp_);
    }
    quint16 port() const { return tcp_->serverPort(); }
    control::GuardedTcpServer::Stats stats() const { return tcp_->stats(); }

private:
    QHttpServer http_;
    control::GuardedTcpServer* tcp_ = nullptr;
};

// A client socket on loopback that sends raw bytes and collects the answer while the event
// loop (and so the server) runs.
class RawSocket {
public:
    explicit RawSocket(quint16 port, int receiveBuffer = 0)
        : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        if (receiveBuffer > 0) // before connect, so the window stays small
            ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(port);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        ::fcntl(fd_, F_SETFL, O_NONBLOCK);
    }
    ~RawSocket() { ::close(fd_); }
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;

    void send(const std::string& bytes) {
        std::size_t at = 0;
        while (at < bytes.size()) { // the server reads as the event loop runs
            const auto n = ::send(fd_, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
            if (n > 0)
                at += static_cast<std::size_t>(n);
            else if (errno != EAGAIN || !waitUntil([] { return false; }, 5))
                break;
        }
    }
    // Reads what has arrived; true once the server has closed the connection.
    bool pump() {
        char buffer[4096];
        for (;;) {
            const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n > 0)
                answer.append(buffer, static_cast<std::size_t>(n));
            else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                return closed = true;
            else
                return closed;
        }
    }
    bool waitClosed(int ms) {
        return waitUntil([this] { return pump(); }, ms);
    }
    std::string statusLine() const { return answer.substr(0, answer.find("\r\n")); }

    std::string answer;
    bool closed = false;

private:
    int fd_;
};

} // namespace dragoman::test

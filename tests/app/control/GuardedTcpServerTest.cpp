// The HTTP connection guard (GuardedTcpServer.h) in front of a real QHttpServer on loopback,
// with small limits, against a raw socket client that can send anything.
#include "control/GuardedTcpServer.h"

#include "ControlFixture.h"

#include <QHttpServer>
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <memory>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

using namespace dragoman;
using namespace dragoman::test;

namespace {

control::HttpLimits smallLimits() {
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
    explicit GuardedHttp(control::HttpLimits limits = smallLimits()) {
        http_.route("/ok", [] { return QStringLiteral("ok"); });
        http_.route("/echo", QHttpServerRequest::Method::Post,
                    [](const QHttpServerRequest& request) { return request.body(); });
        auto tcp = std::make_unique<control::GuardedTcpServer>(limits);
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
    explicit RawSocket(quint16 port)
        : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
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

} // namespace

TEST_CASE("Requests beyond the limits are answered with their 4xx and the connection closed") {
    struct Row {
        const char* what;
        std::string request;
        std::string status;
    };
    const std::vector<Row> rows{
        {"a head larger than the limit",
         "GET /ok HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(2000, 'a') + "\r\n\r\n",
         "HTTP/1.1 431 Request Header Fields Too Large"},
        {"thousands of small headers",
         "GET /ok HTTP/1.1\r\n" +
             [] {
                 std::string headers;
                 for (int i = 0; i < 500; ++i)
                     headers += "X-" + std::to_string(i) + ": y\r\n";
                 return headers;
             }() +
             "\r\n",
         "HTTP/1.1 431 Request Header Fields Too Large"},
        {"a body announced larger than the limit, refused before it is sent",
         "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n",
         "HTTP/1.1 413 Content Too Large"},
        {"a negative body length", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
         "HTTP/1.1 413 Content Too Large"},
        {"a chunked body",
         "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
         "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
         "HTTP/1.1 411 Length Required"},
        {"bytes that are not HTTP (a TLS hello)",
         std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n", 12),
         "HTTP/1.1 400 Bad Request"},
        {"a request line without a version", "GET /ok\r\n\r\n", "HTTP/1.1 400 Bad Request"},
        {"a lower-case method", "get /ok HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request"},
    };
    GuardedHttp http;
    for (const auto& row : rows) {
        INFO(row.what);
        RawSocket client(http.port());
        client.send(row.request);
        CHECK(client.waitClosed(3000));
        CHECK(client.statusLine() == row.status);
    }
    const auto stats = http.stats();
    CHECK(stats.headTooLarge == 2);
    CHECK(stats.bodyTooLarge == 3);
    CHECK(stats.malformed == 3);
    CHECK(waitUntil([&] { return http.stats().open == 0; }, 2000));
}

TEST_CASE("Requests within the limits reach the HTTP server untouched, several on one connection") {
    GuardedHttp http;
    RawSocket client(http.port());
    const std::string body(1000, 'b'); // just under the body limit
    client.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(waitUntil([&] {
        client.pump();
        return client.answer.find("\r\n\r\nok") != std::string::npos;
    }));
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + body +
                "\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(waitUntil([&] {
        client.pump();
        return client.answer.rfind("HTTP/1.1 200") > client.answer.find(body);
    }));
    INFO(client.answer);
    CHECK(client.answer.find(body) != std::string::npos);
    CHECK(client.answer.rfind("HTTP/1.1 200") > client.answer.find(body));
    const auto stats = http.stats();
    CHECK(stats.headTooLarge + stats.bodyTooLarge + stats.malformed + stats.slowRequests == 0);
}

TEST_CASE("A client too slow to send its request gets 408, a silent one is closed when idle") {
    GuardedHttp http;
    RawSocket slow(http.port());
    RawSocket silent(http.port());
    slow.send("GET /ok HTTP/1.1\r\nHost: x\r\n"); // never finishes the head
    QElapsedTimer elapsed;
    elapsed.start();
    REQUIRE(slow.waitClosed(3000));
    CHECK(slow.statusLine() == "HTTP/1.1 408 Request Timeout");
    CHECK(elapsed.elapsed() >= 250);
    REQUIRE(silent.waitClosed(3000));
    CHECK(silent.answer.empty());
    CHECK(elapsed.elapsed() >= 550);
    CHECK(http.stats().slowRequests == 1);
    CHECK(http.stats().idleClosed == 1);
}

TEST_CASE("Connections beyond the limit get 503 while the others are served") {
    auto limits = smallLimits(); // at most 4
    limits.idleTimeout = std::chrono::seconds(30);
    GuardedHttp http(limits);
    std::vector<std::unique_ptr<RawSocket>> held;
    for (int i = 0; i < 4; ++i)
        held.push_back(std::make_unique<RawSocket>(http.port()));
    REQUIRE(waitUntil([&] { return http.stats().open == 4; }));
    RawSocket extra(http.port());
    REQUIRE(extra.waitClosed(3000));
    CHECK(extra.statusLine() == "HTTP/1.1 503 Service Unavailable");
    CHECK(http.stats().busy == 1);

    held[0]->send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(waitUntil([&] {
        held[0]->pump();
        return !held[0]->answer.empty();
    }));
    CHECK(held[0]->statusLine() == "HTTP/1.1 200 OK");
    held.erase(held.begin());
    REQUIRE(waitUntil([&] { return http.stats().open == 3; }));
    RawSocket next(http.port()); // a place is free again
    next.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(waitUntil([&] {
        next.pump();
        return !next.answer.empty();
    }));
    CHECK(next.statusLine() == "HTTP/1.1 200 OK");
}

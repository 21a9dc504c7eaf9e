// The HTTP connection guard (GuardedTcpServer.h) in front of a real QHttpServer on loopback,
// with small limits, against a raw socket client that can send anything.
#include "control/GuardedTcpServer.h"

#include "ControlFixture.h"
#include "GuardedHttp.h"

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
         "HTTP/1.1 400 Bad Request"},
        {"two different body lengths",
         "POST /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
         "HTTP/1.1 400 Bad Request"},
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
    CHECK(stats.bodyTooLarge == 2);
    CHECK(stats.malformed == 5);
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

TEST_CASE("Connection: close and HTTP/1.0 close the connection after the answer, else it stays") {
    struct Row {
        const char* request;
        bool closes;
        const char* says; // the Connection header of the answer, "" for none
        const char* body = "ok";
    };
    const std::vector<Row> rows{
        {"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n", false, ""},
        {"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true, "close"},
        {"GET /ok HTTP/1.1\r\nConnection: Upgrade, CLOSE\r\n\r\n", true, "close"},
        {"GET /ok HTTP/1.0\r\n\r\n", true, "close"},
        {"GET /ok HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", false, "keep-alive"},
        {"GET /ok HTTP/1.0\r\nConnection: Keep-Alive, close\r\n\r\n", true, "close"},
        {"POST /echo HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello", true, "close", "hello"},
        // The first of two pipelined requests keeps the connection; the second closes it.
        {"GET /ok HTTP/1.1\r\n\r\nGET /ok HTTP/1.1\r\nConnection: close\r\n\r\n", true, "close"},
    };
    auto limits = smallLimits();
    limits.idleTimeout = std::chrono::seconds(30);
    GuardedHttp http(limits);
    for (const auto& row : rows) {
        INFO(row.request);
        RawSocket client(http.port());
        client.send(row.request);
        const bool closed = client.waitClosed(row.closes ? 3000 : 500);
        CHECK(closed == row.closes);
        CHECK(client.statusLine() == "HTTP/1.1 200 OK");
        const auto header = client.answer.rfind("\r\nConnection: ");
        const std::string says =
            header == std::string::npos
                ? ""
                : client.answer.substr(header + 14,
                                       client.answer.find("\r\n", header + 2) - header - 14);
        CHECK(says == row.says);
        CHECK(client.answer.ends_with(row.body));
    }
    CHECK(http.stats().closedAsAsked == 6);
}

TEST_CASE("A request or an answer slower than the minimum rate is cut off once the grace ends") {
    auto limits = smallLimits();
    limits.grace = std::chrono::milliseconds(400);
    limits.minBytesPerSecond = 100000; // more than the kernel buffers for a reader in 400 ms
    limits.headerTimeout = std::chrono::seconds(10);
    limits.idleTimeout = std::chrono::seconds(30);
    GuardedHttp http(limits);

    // A body a byte at a time (10 bytes a second): cut off after the grace, with 408.
    RawSocket slowBody(http.port());
    slowBody.send("POST /echo HTTP/1.1\r\nContent-Length: 1000\r\n\r\n");
    QElapsedTimer elapsed;
    elapsed.start();
    CHECK(waitUntil(
        [&] {
            slowBody.send("b");
            waitUntil([] { return false; }, 100);
            return slowBody.pump();
        },
        3000));
    CHECK(slowBody.closed);
    CHECK(slowBody.statusLine() == "HTTP/1.1 408 Request Timeout");
    CHECK(elapsed.elapsed() >= 400);
    CHECK(elapsed.elapsed() < 1500);

    // A head a byte at a time, likewise.
    RawSocket slowHead(http.port());
    const std::string head = "GET /ok HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(200, 'p');
    elapsed.restart();
    for (const char c : head) {
        slowHead.send(std::string(1, c));
        if (waitUntil([&] { return slowHead.pump(); }, 50))
            break;
    }
    CHECK(slowHead.closed);
    CHECK(slowHead.statusLine() == "HTTP/1.1 408 Request Timeout");
    CHECK(elapsed.elapsed() < 1500);

    // A client that does not take its 8 MB answer (a small receive window, nothing read).
    RawSocket slowReader(http.port(), 4096);
    slowReader.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
    elapsed.restart();
    REQUIRE(waitUntil([&] { return http.stats().slowReaders == 1; }, 3000));
    CHECK(elapsed.elapsed() >= 400);
    std::size_t received = 0;
    while (!slowReader.pump()) { // what the kernel held for it, then the end
        received = slowReader.answer.size();
        slowReader.answer.clear();
        waitUntil([] { return false; }, 10);
    }
    CHECK(received < 8 * 1024 * 1024);
    CHECK(http.stats().slowRequests == 2);
    CHECK(waitUntil([&] { return http.stats().open == 0; }, 2000));
}

TEST_CASE(
    "When full, a new connection frees an idle one, then the slowest, and never a privileged one") {
    auto limits = smallLimits(); // at most 4
    limits.idleTimeout = std::chrono::seconds(30);
    limits.headerTimeout = std::chrono::seconds(30);
    limits.grace = std::chrono::seconds(30); // no one is cut off for their pace here
    limits.reserveConnections = 1;
    limits.privileged = [](const control::RequestHead& head) { return head.value("x-key") == "k"; };
    GuardedHttp http(limits);
    const auto served = [](RawSocket& client, const std::string& request) {
        client.send(request);
        return waitUntil([&] {
            client.pump();
            return client.answer.find("\r\n\r\nok") != std::string::npos;
        });
    };

    // Three slow requests begun one after the other, and one idle keep-alive connection.
    std::vector<std::unique_ptr<RawSocket>> slow;
    for (int i = 0; i < 3; ++i) {
        slow.push_back(std::make_unique<RawSocket>(http.port()));
        slow.back()->send("POST /echo HTTP/1.1\r\nContent-Length: 100\r\n\r\n");
        waitUntil([] { return false; }, 50);
    }
    RawSocket idle(http.port());
    REQUIRE(served(idle, "GET /ok HTTP/1.1\r\n\r\n"));
    REQUIRE(http.stats().open == 4);

    RawSocket first(http.port()); // the idle one goes
    CHECK(idle.waitClosed(2000));
    CHECK(served(first, "GET /ok HTTP/1.1\r\n\r\n"));
    RawSocket second(http.port()); // then the slowest: the oldest slow request ("first" is idle)
    CHECK(first.waitClosed(2000));
    RawSocket third(http.port());
    CHECK(slow[0]->waitClosed(2000));
    CHECK_FALSE(slow[1]->pump());
    CHECK(served(third, "GET /ok HTTP/1.1\r\nConnection: close\r\n\r\n"));
    CHECK(served(second, "GET /ok HTTP/1.1\r\n\r\n"));
    CHECK(http.stats().evicted == 3);

    // Four privileged connections, each with a request in progress: never freed. A newcomer
    // takes the reserve's place, and is served if it is privileged too; else 503.
    std::vector<std::unique_ptr<RawSocket>> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(std::make_unique<RawSocket>(http.port()));
        held.back()->send("POST /echo HTTP/1.1\r\nX-Key: k\r\nContent-Length: 100\r\n\r\n");
    }
    REQUIRE(waitUntil([&] { return http.stats().open == 4; }));
    for (auto& client : held)
        CHECK_FALSE(client->pump());
    RawSocket stranger(http.port());
    stranger.send("GET /ok HTTP/1.1\r\n\r\n");
    CHECK(stranger.waitClosed(2000));
    CHECK(stranger.statusLine() == "HTTP/1.1 503 Service Unavailable");
    RawSocket technician(http.port());
    CHECK(served(technician, "GET /ok HTTP/1.1\r\nX-Key: k\r\n\r\n"));
    RawSocket beyond(http.port()); // the reserve is taken now
    CHECK(beyond.waitClosed(2000));
    CHECK(beyond.statusLine() == "HTTP/1.1 503 Service Unavailable");
    CHECK(http.stats().busy == 2);
    for (auto& client : held)
        CHECK_FALSE(client->pump());
}

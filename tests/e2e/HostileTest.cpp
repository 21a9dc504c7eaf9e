// End to end against misbehaving clients: the real `dragoman --headless` (virtual clock, demo
// session, listeners' server) under oversized, malformed, unknown and never-finished requests
// on all three of its ports at once, while a well-behaved listener streams a channel.
#include "e2e/DragomanProcess.h"
#include "support/ChildProcess.h"
#include "support/RawClient.h"

#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>

using namespace dragoman;
using namespace dragoman::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// The status line a client got, or "closed" when the server closed without one.
std::string answerOf(RawClient& client, std::chrono::milliseconds wait) {
    std::string answer;
    const auto end = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < end && answer.find("\r\n") == std::string::npos)
        if (!client.read(answer, 50ms))
            break;
    const auto line = answer.find("\r\n");
    return line == std::string::npos ? "closed" : answer.substr(0, line);
}

// How many bytes `client` receives in `span`.
std::size_t bytesIn(RawClient& client, std::chrono::milliseconds span) {
    std::string received;
    const auto end = std::chrono::steady_clock::now() + span;
    while (std::chrono::steady_clock::now() < end)
        if (!client.read(received, 20ms))
            break;
    return received.size();
}

} // namespace

TEST_CASE("Hostile clients get 4xx or a closed connection and never stall listeners or audio") {
    const int listenPort = freeLoopbackPortPair();
    Dragoman dragoman(
        {"--audio", "virtual", "--demo", "--listen", "127.0.0.1:" + std::to_string(listenPort)});
    dragoman.waitFor([](const json& s) { return !s.is_null(); }, 8s);
    INFO(dragoman.output());
    const int apiPort = std::stoi(dragoman.api("").substr(dragoman.api("").rfind(':') + 1));
    const std::vector<int> ports{apiPort, listenPort, listenPort + 1};

    RawClient listener(listenPort + 1, "GET /stream/en.opus HTTP/1.0\r\n\r\n");
    REQUIRE(listener.connected());
    bytesIn(listener, 500ms); // the headers
    const std::size_t calm = bytesIn(listener, 2000ms);
    REQUIRE(calm > 4000); // ~32 kb/s of Opus with its Ogg pages

    const auto framesBefore = dragoman.state()["engine"]["frames"].get<std::int64_t>();
    const auto start = std::chrono::steady_clock::now();

    // Slow clients that never finish their request: 100 on each port.
    std::vector<std::unique_ptr<RawClient>> slow;
    for (int port : ports)
        for (int i = 0; i < 100; ++i)
            slow.push_back(std::make_unique<RawClient>(port, "GET / HTTP/1.1\r\nHost: x\r\n"));
    // Requests that are refused at once, on every port.
    const std::vector<std::string> hostile{
        "GET /api/state HTTP/1.1\r\nX-Big: " + std::string(100000, 'a') + "\r\n\r\n",
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15),
        "GET /no/such/path HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /api/desks/en/1 HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n" +
            std::string(10000, '{'),
    };
    std::vector<std::pair<std::string, std::unique_ptr<RawClient>>> refused;
    for (int port : ports)
        for (const auto& request : hostile)
            refused.emplace_back(std::to_string(port) + " " + request.substr(0, 24),
                                 std::make_unique<RawClient>(port, request));

    // Meanwhile the listener keeps its stream and the control API answers.
    const std::size_t attacked = bytesIn(listener, 2000ms);
    CHECK(attacked > calm * 8 / 10);
    const auto before = std::chrono::steady_clock::now();
    const auto state = dragoman.state();
    CHECK(std::chrono::steady_clock::now() - before < 1s);
    REQUIRE_FALSE(state.is_null());

    for (auto& [what, client] : refused) {
        INFO(what);
        const auto status = answerOf(*client, 3s);
        CHECK((status == "closed" || status.find(" 4") != std::string::npos));
    }

    // The slow clients are let go within the request timeout (10 s), each with 408 or closed.
    int closedSlow = 0;
    for (auto& client : slow) {
        const auto status = answerOf(*client, 12s);
        closedSlow += status == "closed" || status.find(" 408 ") != std::string::npos;
    }
    CHECK(closedSlow == static_cast<int>(slow.size()));

    // The audio clock never stopped: the engine ran in real time throughout.
    const auto after = dragoman.state();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double frames =
        static_cast<double>(after["engine"]["frames"].get<std::int64_t>() - framesBefore);
    CHECK(frames / 48000.0 > seconds * 0.9);
    CHECK(bytesIn(listener, 1000ms) > calm / 4);

    INFO(after["api"].dump() << "\n" << after["listeners"].dump());
    CHECK(after["api"]["connections"]["slowRequests"].get<int>() >= 100);
    CHECK(after["api"]["connections"]["headTooLarge"].get<int>() >= 1);
    CHECK(after["api"]["connections"]["malformed"].get<int>() >= 1);
    CHECK(after["api"]["connections"]["bodyTooLarge"].get<int>() >= 1);
    CHECK(after["listeners"]["http"]["slowRequests"].get<int>() >= 100);
    CHECK(after["listeners"]["streams"]["badRequests"].get<int>() >= 100);
}

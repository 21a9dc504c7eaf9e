// The control API's WebSocket (/api/ws, app/control/WsHub.h) and the desk tokens
// (DeskTokens.h) against a running engine on loopback, with a real WebSocket client
// (QWebSocket): the state on authenticating, changes made elsewhere pushed, commands answered
// with the HTTP verdicts, a desk token's scope, revocation, meters at the asked rate, and
// malformed frames answered and counted.
#include "ControlFixture.h"
#include "control/DeskTokens.h"

#include <QJsonArray>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <catch2/catch.hpp>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

using namespace dragoman;
using namespace dragoman::test;
using Catch::Matchers::Contains;

namespace {

// A WebSocket client that keeps every frame it receives.
class WsClient {
public:
    explicit WsClient(const ControlFixture& api, const QString& path = QStringLiteral("/api/ws")) {
        QObject::connect(&socket_, &QWebSocket::textMessageReceived, [this](const QString& text) {
            frames.push_back(QJsonDocument::fromJson(text.toUtf8()).object());
        });
        QObject::connect(&socket_, &QWebSocket::disconnected, [this] {
            closed = true;
            closeCode = socket_.closeCode();
        });
        socket_.setProxy(QNetworkProxy::NoProxy);
        socket_.open(QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(api.server.port()).arg(path)));
        waitUntil([this] { return socket_.state() == QAbstractSocket::ConnectedState || closed; });
    }
    bool connected() const { return socket_.state() == QAbstractSocket::ConnectedState; }
    void send(const QJsonObject& frame) {
        socket_.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson()));
    }
    void sendText(const QString& text) { socket_.sendTextMessage(text); }

    // The first frame from `from` on that satisfies `match`, waiting up to `timeoutMs`; {} if none.
    QJsonObject await(const std::function<bool(const QJsonObject&)>& match, int timeoutMs = 3000,
                      std::size_t* from = nullptr) {
        std::size_t start = from ? *from : 0;
        QJsonObject found;
        waitUntil(
            [&] {
                if (!found.isEmpty())
                    return true; // waitUntil asks once more at the end
                for (; start < frames.size(); ++start)
                    if (match(frames[start])) {
                        found = frames[start++];
                        return true;
                    }
                return false;
            },
            timeoutMs);
        if (from)
            *from = start;
        return found;
    }
    QJsonObject awaitType(const QString& type, int timeoutMs = 3000) {
        return await([&](const QJsonObject& f) { return f.value("type") == type; }, timeoutMs);
    }
    QJsonObject answer(const QJsonValue& id) {
        return await([&](const QJsonObject& f) {
            return f.value("type") == QLatin1String("answer") && f.value("id") == id;
        });
    }
    // Authenticates; the hello frame.
    QJsonObject auth(const QString& token) {
        send({{"type", "auth"}, {"token", token}});
        return awaitType(QStringLiteral("hello"));
    }

    std::vector<QJsonObject> frames;
    bool closed = false;
    QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeNormal;

private:
    QWebSocket socket_;
};

QJsonObject desk(const QJsonObject& stateFrame, const char* id) {
    return stateFrame.value("state").toObject().value("desks").toObject().value(id).toObject();
}

bool isState(const QJsonObject& frame) {
    return frame.value("type") == QLatin1String("state");
}

QJsonObject wsCounters(ControlFixture& api) {
    return api.state().value("api").toObject().value("webSockets").toObject();
}

QString deskToken(ControlFixture& api, const char* desk) {
    return api.request("GET", QStringLiteral("/api/desk-tokens/") + desk, {}, kToken)
        .json.value("token")
        .toString();
}

} // namespace

TEST_CASE("A WebSocket gets the whole state on authenticating and every change made elsewhere") {
    ControlFixture api;
    WsClient ws(api);
    REQUIRE(ws.connected());

    const auto hello = ws.auth(kToken);
    CHECK(hello.value("role") == QLatin1String("technician"));
    const auto first = ws.awaitType(QStringLiteral("state"));
    REQUIRE(first.value("state").toObject().contains("desks"));
    CHECK_FALSE(desk(first, "en.1").value("live").toBool());

    // A change over HTTP (another client) reaches the socket.
    REQUIRE(api.post("/api/desks/en/1", R"({"mic": true})").status == 200);
    const auto pushed = ws.await(
        [](const QJsonObject& f) { return isState(f) && desk(f, "en.1").value("live").toBool(); });
    CHECK(desk(pushed, "en.1").value("live").toBool());

    // And a second socket sees the first one's command.
    WsClient other(api);
    other.auth(kToken);
    ws.send({{"id", 1}, {"type", "desk"}, {"desk", "en.1"}, {"set", QJsonObject{{"mic", false}}}});
    CHECK(ws.answer(1).value("status").toInt() == 200);
    const auto off = other.await(
        [](const QJsonObject& f) { return isState(f) && !desk(f, "en.1").value("mic").toBool(); });
    CHECK(off.value("type") == QLatin1String("state"));
}

TEST_CASE("Commands on the WebSocket get the HTTP verdicts, answered with their id") {
    ControlFixture api;
    WsClient ws(api);
    ws.auth(kToken);

    ws.send({{"id", "interlock"},
             {"type", "booth"},
             {"booth", "en"},
             {"set", QJsonObject{{"interlock", "interlock"}}}});
    CHECK(ws.answer("interlock").value("status").toInt() == 200);
    ws.send({{"id", 2}, {"type", "desk"}, {"desk", "en.1"}, {"set", QJsonObject{{"mic", true}}}});
    const auto live = ws.answer(2);
    CHECK(live.value("status").toInt() == 200);
    CHECK(live.value("accepted").toBool());

    ws.send({{"id", 3},
             {"type", "desk"},
             {"desk", "sq.1"},
             {"set", QJsonObject{{"out", "B"}, {"mic", true}}}});
    const auto refused = ws.answer(3);
    CHECK(refused.value("status").toInt() == 409);
    CHECK_THAT(refused.value("error").toString().toStdString(),
               Contains("mic: channel engaged (held by en.1)"));
    const auto results = refused.value("results").toArray();
    REQUIRE(results.size() == 2);
    CHECK(results[1].toObject().value("holder") == QLatin1String("en.1"));

    ws.send({{"id", 4}, {"type", "desk"}, {"desk", "en.1"}, {"set", QJsonObject{{"volume", 99}}}});
    CHECK(ws.answer(4).value("status").toInt() == 400);
    CHECK(wsCounters(api).value("commands").toInt() == 4); // 99 dB: the engine's 400
}

TEST_CASE("A desk token acts on its own desk only, and revoking it closes its sessions at once") {
    QTemporaryDir dir;
    FixtureOptions options;
    options.deskTokensFile = dir.filePath("desks.json");
    ControlFixture api(options);

    CHECK(api.request("GET", "/api/desk-tokens/en.1").status == 401);
    CHECK(api.request("GET", "/api/desk-tokens/xx.9", {}, kToken).status == 404);
    const QString token = deskToken(api, "en.1");
    REQUIRE(token.size() == 32);
    CHECK(api.request("GET", "/api/desk-tokens/en.1", {}, kToken).json.value("page") ==
          "/desk/en.1#token=" + token);
    CHECK(token != deskToken(api, "en.2"));
    // A desk token is no technician's token over HTTP.
    CHECK(api.post("/api/desks/en/1", R"({"mic": true})", token).status == 401);

    WsClient ws(api);
    const auto hello = ws.auth(token);
    CHECK(hello.value("role") == QLatin1String("desk"));
    CHECK(hello.value("desk") == QLatin1String("en.1"));
    ws.send({{"id", 1}, {"type", "desk"}, {"desk", "en.1"}, {"set", QJsonObject{{"mic", true}}}});
    CHECK(ws.answer(1).value("status").toInt() == 200);
    ws.send({{"id", 2}, {"type", "desk"}, {"desk", "en.2"}, {"set", QJsonObject{{"mic", true}}}});
    CHECK(ws.answer(2).value("status").toInt() == 403);
    ws.send({{"id", 3},
             {"type", "channel"},
             {"channel", "en"},
             {"set", QJsonObject{{"autofloor", false}}}});
    CHECK(ws.answer(3).value("status").toInt() == 403);
    CHECK_FALSE(desk(ws.awaitType("state"), "en.2").value("mic").toBool());
    CHECK(wsCounters(api).value("forbidden").toInt() == 2);

    const auto revoked = api.request("DELETE", "/api/desk-tokens/en.1", {}, kToken);
    REQUIRE(revoked.status == 200);
    const QString next = revoked.json.value("token").toString();
    CHECK(next != token);
    CHECK(waitUntil([&] { return ws.closed; }, 3000));

    WsClient stale(api);
    stale.auth(token);
    CHECK(waitUntil([&] { return stale.closed; }, 3000));
    CHECK(stale.closeCode == QWebSocketProtocol::CloseCodePolicyViolated);
    WsClient paired(api);
    CHECK(paired.auth(next).value("desk") == QLatin1String("en.1"));

    // The revocation holds across a restart: the next start reads it back.
    control::DeskTokens again(api.venue, kToken.toUtf8(), options.deskTokensFile);
    CHECK(again.token(*api.venue.deskIndex("en.1")) == next.toUtf8());
    CHECK(again.deskFor(token.toUtf8()) == -1);
}

TEST_CASE("A damaged desk-token file is named with what is wrong in it") {
    QTemporaryDir dir;
    const QString file = dir.filePath("desks.json");
    QFile out(file);
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write(R"({"en.1": 1, "zz.4": 2, "sq.1": "x"})");
    out.close();
    const auto venue = tiranaVenue();
    QString problem;
    control::DeskTokens tokens(venue, kToken.toUtf8(), file, &problem);
    CHECK_THAT(problem.toStdString(), Contains("desks.json") && Contains("$.zz.4"));
    control::DeskTokens fresh(venue, kToken.toUtf8());
    CHECK(tokens.token(*venue.deskIndex("en.1")) != fresh.token(*venue.deskIndex("en.1")));
}

TEST_CASE("Meters come at the rate a WebSocket client asks for, and none by default") {
    ControlFixture api;
    WsClient ws(api);
    ws.auth(kToken);
    spin(500);
    const auto count = [&] {
        return std::count_if(ws.frames.begin(), ws.frames.end(), [](const QJsonObject& f) {
            return f.value("type") == QLatin1String("meters");
        });
    };
    CHECK(count() == 0);

    ws.send({{"type", "meters"}, {"hz", 10}});
    spin(2000);
    const auto atTen = count();
    INFO(atTen << " meter frames in 2 s at 10 Hz");
    CHECK(atTen >= 14);
    CHECK(atTen <= 24);
    const auto meters = ws.awaitType("meters").value("meters").toObject();
    CHECK(meters.value("desks").toObject().contains("en.1"));
    CHECK(meters.value("channels").toObject().contains("floor"));

    ws.send({{"type", "meters"}, {"hz", 31}});
    CHECK(ws.awaitType("error").value("error").toString().contains("0 to 30"));
}

TEST_CASE(
    "Malformed frames get an error frame and are counted, and a wrong token closes the socket") {
    ControlFixture api;

    WsClient wrong(api);
    wrong.auth(QStringLiteral("not-the-token-at-all"));
    CHECK(waitUntil([&] { return wrong.closed; }, 3000));
    CHECK(wrong.closeCode == QWebSocketProtocol::CloseCodePolicyViolated);

    WsClient elsewhere(api, QStringLiteral("/api/other"));
    CHECK(waitUntil([&] { return elsewhere.closed; }, 3000));

    WsClient ws(api);
    ws.auth(kToken);
    ws.sendText(QStringLiteral("{not json"));
    ws.sendText(QStringLiteral(R"({"a": 1, "a": 2})"));
    ws.send({{"id", 5}, {"type", "launch"}});
    ws.send({{"type", "desk"}, {"desk", "en.1"}, {"set", QJsonObject{{"mic", true}}}}); // no id
    ws.send({{"id", 6}, {"type", "desk"}, {"desk", "en.1"}, {"set", QJsonObject{{"mike", 1}}}});
    std::size_t from = 0;
    int errors = 0;
    while (!ws.await([](const QJsonObject& f) { return f.value("type") == QLatin1String("error"); },
                     2000, &from)
                .isEmpty())
        ++errors;
    CHECK(errors == 4);
    CHECK(ws.answer(6).value("status").toInt() == 400);
    CHECK(ws.connected());

    const auto counters = wsCounters(api);
    CHECK(counters.value("malformed").toInt() == 5);
    CHECK(counters.value("authFailed").toInt() == 1);
    CHECK(counters.value("refused").toInt() == 0);
    CHECK(counters.value("authenticated").toInt() == 1);

    // Plain HTTP on the WebSocket's path is told to upgrade.
    const auto plain = api.get("/api/ws");
    CHECK(plain.status == 426);
}

namespace {

// A WebSocket client by hand on a raw TCP socket: it upgrades, authenticates, and then neither
// reads nor answers a ping again, as a tablet does whose Wi-Fi went away.
class DeadClient {
public:
    explicit DeadClient(const ControlFixture& api) {
        socket_.setProxy(QNetworkProxy::NoProxy);
        socket_.connectToHost(QHostAddress::LocalHost, api.server.port());
        REQUIRE(socket_.waitForConnected(3000));
        socket_.write("GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n");
        waitUntil([this] { return socket_.bytesAvailable() > 0; }, 3000);
        const QByteArray answer = socket_.readAll();
        REQUIRE(answer.startsWith("HTTP/1.1 101"));
        sendText(QJsonDocument(QJsonObject{{"type", "auth"}, {"token", kToken}}).toJson());
        sendText(QJsonDocument(QJsonObject{{"type", "meters"}, {"hz", 30}}).toJson());
    }
    bool open() const { return socket_.state() == QAbstractSocket::ConnectedState; }

private:
    // One masked text frame (RFC 6455 5.2; payloads under 126 bytes).
    void sendText(const QByteArray& payload) {
        REQUIRE(payload.size() < 126);
        const char mask[4] = {0x11, 0x22, 0x33, 0x44};
        QByteArray frame;
        frame.append(char(0x81));
        frame.append(char(0x80 | payload.size()));
        frame.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame.append(char(payload[i] ^ mask[i % 4]));
        socket_.write(frame);
        socket_.flush();
    }
    QTcpSocket socket_;
};

} // namespace

TEST_CASE("A WebSocket client that stops answering is dropped, the others carry on") {
    ControlFixture api;
    DeadClient dead(api);
    WsClient alive(api);
    alive.auth(kToken);
    alive.send({{"type", "meters"}, {"hz", 10}});
    REQUIRE(waitUntil([&] { return wsCounters(api).value("authenticated").toInt() == 2; }, 3000));

    // No pong for the stall timeout (3.5 s; pings every second): gone within about 5 s.
    CHECK(waitUntil([&] { return wsCounters(api).value("slowDropped").toInt() == 1; }, 8000));
    CHECK(wsCounters(api).value("authenticated").toInt() == 1);
    CHECK(alive.connected());
    // The live client still hears changes and meters as they come.
    REQUIRE(api.post("/api/desks/en/1", R"({"mic": true})").status == 200);
    CHECK(desk(alive.await([](const QJsonObject& f) {
              return isState(f) && desk(f, "en.1").value("live").toBool();
          }),
               "en.1")
              .value("live")
              .toBool());
    const auto before = alive.frames.size();
    spin(500);
    CHECK(alive.frames.size() > before);
}

TEST_CASE("A thousand malformed frames leave the router answering, on the socket and over HTTP") {
    ControlFixture api;
    WsClient ws(api);
    ws.auth(kToken);
    const QStringList bad{QStringLiteral("{"),
                          QStringLiteral("[1,2]"),
                          QStringLiteral("\"x\""),
                          QStringLiteral(R"({"id":1,"type":"desk","desk":"zz.9","set":{}})"),
                          QStringLiteral(R"({"id":{},"type":"desk"})"),
                          QStringLiteral(R"({"id":2,"type":"meters","hz":"fast"})"),
                          QStringLiteral(R"({"id":3,"type":"channel","channel":"en","set":[]})"),
                          QString(70 * 1024, QLatin1Char('['))}; // over the frame limit: closes
    for (int i = 0; i < 1000; ++i)
        ws.sendText(bad[i % (bad.size() - 1)]);
    CHECK(waitUntil([&] { return wsCounters(api).value("malformed").toInt() == 1000; }, 10000));
    CHECK(ws.connected());
    ws.send(
        {{"id", "ok"}, {"type", "desk"}, {"desk", "en.1"}, {"set", QJsonObject{{"mic", true}}}});
    CHECK(ws.answer("ok").value("status").toInt() == 200);
    CHECK(api.get().status == 200);

    // A frame over 64 KiB closes that socket; the next one is welcome.
    ws.sendText(bad.last());
    CHECK(waitUntil([&] { return ws.closed; }, 3000));
    WsClient next(api);
    CHECK(next.auth(kToken).value("role") == QLatin1String("technician"));
}

TEST_CASE(
    "The router counts the booth tablets connected to each desk, and forgets them as they go") {
    ControlFixture api;
    const auto en1 = static_cast<std::size_t>(*api.venue.deskIndex("en.1"));
    const auto sq1 = static_cast<std::size_t>(*api.venue.deskIndex("sq.1"));
    const auto panels = [&] { return api.server.deskPanels(); };
    const auto total = [&] {
        const auto p = panels();
        return std::accumulate(p.begin(), p.end(), 0);
    };
    REQUIRE(panels().size() == static_cast<std::size_t>(api.venue.deskCount()));
    CHECK(total() == 0);

    WsClient technician(api); // a console, not a desk's panel
    technician.auth(kToken);
    WsClient waiting(api); // not authenticated yet: no one's panel
    auto first = std::make_unique<WsClient>(api);
    first->auth(deskToken(api, "en.1"));
    WsClient second(api);
    second.auth(deskToken(api, "en.1"));
    WsClient albanian(api);
    albanian.auth(deskToken(api, "sq.1"));
    CHECK(panels()[en1] == 2);
    CHECK(panels()[sq1] == 1);
    CHECK(total() == 3);

    first.reset(); // the tablet closes its page
    CHECK(waitUntil([&] { return panels()[en1] == 1; }, 3000));
    REQUIRE(api.request("DELETE", "/api/desk-tokens/sq.1", {}, kToken).status == 200);
    CHECK(panels()[sq1] == 0); // being dropped: gone at once
    CHECK(waitUntil([&] { return albanian.closed; }, 3000));
    CHECK(total() == 1);
}

TEST_CASE("A technician's console opened on one desk's panel counts as that desk's panel, a desk "
          "token names only its own desk, and the hello carries the venue") {
    ControlFixture api;
    const auto en2 = static_cast<std::size_t>(*api.venue.deskIndex("en.2"));
    WsClient console(api);
    console.send({{"type", "auth"}, {"token", kToken}, {"panel", "en.2"}});
    const QJsonObject hello = console.awaitType(QStringLiteral("hello"));
    CHECK(hello.value("role") == QLatin1String("technician"));
    CHECK(hello.value("panel") == QLatin1String("en.2"));
    CHECK(hello.value("venue").toObject().value("name").toString().toStdString() == api.venue.name);
    CHECK(api.server.deskPanels()[en2] == 1);
    CHECK(desk(console.awaitType(QStringLiteral("state")), "en.2").value("panels") == 1);

    WsClient elsewhere(api); // a desk token naming another desk: refused and closed
    elsewhere.send({{"type", "auth"}, {"token", deskToken(api, "en.1")}, {"panel", "en.2"}});
    const QJsonObject error = elsewhere.awaitType(QStringLiteral("error"));
    CHECK(error.value("error").toString().contains(QStringLiteral("en.1")));
    CHECK(waitUntil([&] { return elsewhere.closed; }, 3000));
    CHECK(elsewhere.closeCode == QWebSocketProtocol::CloseCodePolicyViolated);

    WsClient unknown(api); // a desk the venue does not have
    unknown.send({{"type", "auth"}, {"token", kToken}, {"panel", "fr.9"}});
    CHECK(unknown.awaitType(QStringLiteral("error")).value("error").toString().contains("panel"));
    CHECK(api.server.deskPanels()[en2] == 1);
}

// The control port and the connection guard over TLS (GuardedTcpServer.h setTls), with the
// router's self-signed certificate made in a temporary folder and real clients: Qt's HTTPS
// client and QWebSocket (wss) trusting that certificate alone, QSslSocket, and a raw socket for
// clients that misbehave.
#include "ControlFixture.h"
#include "GuardedHttp.h"
#include "tls/IdentityStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace dragoman;
using namespace dragoman::test;
using Catch::Matchers::Contains;

namespace {

// The self-signed identity, made once for this binary (it is the slow part).
const tls::Identity& identity() {
    static QTemporaryDir folder;
    static const tls::Identity made = tls::selfSignedIdentity(folder.path() + "/tls");
    return made;
}

// What a client configured to trust the router's certificate (and nothing else) uses.
QSslConfiguration trusting() {
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates({identity().certificate});
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return config;
}

// Whether a state frame shows desk `id`'s mic on.
bool micOn(const QJsonObject& stateFrame, const QString& id) {
    const auto desks = stateFrame.value("state").toObject().value("desks").toObject();
    return desks.value(id).toObject().value("mic").toBool();
}

FixtureOptions tlsOnly() {
    FixtureOptions options;
    options.tls = control::TlsMode::Only;
    options.tlsConfig = identity().serverConfiguration();
    return options;
}

// A TLS client on loopback that sends raw bytes once encrypted and collects the answer.
class TlsClient {
public:
    explicit TlsClient(quint16 port) {
        socket.setSslConfiguration(trusting());
        socket.setProxy(QNetworkProxy::NoProxy);
        QObject::connect(&socket, &QSslSocket::readyRead, [this] { answer += socket.readAll(); });
        QObject::connect(&socket, &QSslSocket::disconnected, [this] { closed = true; });
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        waitUntil([this] { return socket.isEncrypted() || closed; });
    }
    QSslSocket socket;
    QByteArray answer;
    bool closed = false;
};

} // namespace

TEST_CASE("Over TLS the control API answers https with the router's certificate") {
    ControlFixture api(tlsOnly());
    api.clientTls = trusting();
    const auto reply = api.get();
    INFO(reply.body.toStdString());
    CHECK(reply.error == QNetworkReply::NoError); // verified against the certificate alone
    REQUIRE(reply.status == 200);
    CHECK(reply.json.contains("channels"));
    CHECK(api.post("/api/desks/en/1", R"({"mic": true})").status == 200);
    CHECK(api.post("/api/desks/en/1", R"({"mic": false})", QString()).status == 401);

    TlsClient client(api.server.port());
    REQUIRE(client.socket.isEncrypted());
    CHECK(QString::fromLatin1(client.socket.peerCertificate()
                                  .digest(QCryptographicHash::Sha256)
                                  .toHex(':')
                                  .toUpper()) == identity().fingerprint());
    // The server counts a handshake when it has read the client's last message, which may come
    // after the client has seen its own side finished.
    QJsonObject connections;
    waitUntil(
        [&] {
            connections = api.state()["api"].toObject()["connections"].toObject();
            return connections["tlsHandshakes"].toInt() >= 2;
        },
        3000);
    INFO(QJsonDocument(connections).toJson().toStdString());
    CHECK(connections["tlsHandshakes"].toInt() >= 2);
}

TEST_CASE("A wss client authenticates with the token and receives the state") {
    ControlFixture api(tlsOnly());
    QWebSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.setSslConfiguration(trusting());
    std::vector<QJsonObject> frames;
    QObject::connect(&socket, &QWebSocket::textMessageReceived, [&](const QString& text) {
        frames.push_back(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    socket.open(QUrl(QStringLiteral("wss://127.0.0.1:%1/api/ws").arg(api.server.port())));
    REQUIRE(waitUntil([&] { return socket.state() == QAbstractSocket::ConnectedState; }));
    socket.sendTextMessage(QString::fromUtf8(
        QJsonDocument(QJsonObject{{"type", "auth"}, {"token", kToken}}).toJson()));
    const auto has = [&](const char* type) {
        for (const auto& frame : frames)
            if (frame.value("type") == QLatin1String(type))
                return true;
        return false;
    };
    REQUIRE(waitUntil([&] { return has("hello") && has("state"); }));
    CHECK(frames.front().value("role") == "technician");

    // A change pushed over the encrypted socket.
    const auto before = frames.size();
    socket.sendTextMessage(QString::fromUtf8(
        QJsonDocument(
            QJsonObject{
                {"id", 1}, {"type", "desk"}, {"desk", "en.1"}, {"set", QJsonObject{{"mic", true}}}})
            .toJson()));
    REQUIRE(waitUntil([&] {
        for (auto i = before; i < frames.size(); ++i)
            if (frames[i].value("type") == QLatin1String("state") && micOn(frames[i], "en.1"))
                return true;
        return false;
    }));
    CHECK(socket.sslConfiguration().peerCertificate() == identity().certificate);
}

TEST_CASE("A TLS-only port answers plain HTTP with 400 naming https, and counts it") {
    ControlFixture api(tlsOnly());
    RawSocket client(api.server.port());
    client.send("GET /api/state HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(client.waitClosed(3000));
    CHECK(client.statusLine() == "HTTP/1.1 400 Bad Request");
    CHECK_THAT(client.answer, Contains("https://127.0.0.1:" + std::to_string(api.server.port())));
    api.clientTls = trusting();
    CHECK(api.state()["api"].toObject()["connections"].toObject()["tlsFailed"].toInt() == 1);
}

TEST_CASE("The control API refuses to listen beyond loopback without TLS") {
    venue::Venue venue = tiranaVenue();
    core::Engine engine(venue);
    control::EngineController controller(engine);
    control::ServerSettings settings;
    settings.address = QHostAddress(QHostAddress::AnyIPv4);
    settings.port = 0;
    settings.token = kToken;
    control::ControlServer server(controller, {}, settings);
    QString error;
    CHECK_FALSE(server.listen(&error));
    CHECK_THAT(error.toStdString(), Contains("without TLS"));
}

TEST_CASE("Clients that never finish a TLS handshake are dropped like slow heads") {
    auto limits = smallLimits();
    limits.handshakeTimeout = std::chrono::milliseconds(300);
    GuardedHttp http(limits, control::TlsMode::Both, identity().serverConfiguration());
    RawSocket silent(http.port());  // not a byte
    RawSocket stalled(http.port()); // a handshake begun, never finished
    stalled.send(std::string("\x16\x03\x01\x00", 4));
    CHECK(silent.waitClosed(3000));
    CHECK(stalled.waitClosed(3000));
    CHECK(http.stats().slowHandshakes == 2);
    CHECK(http.stats().open == 0);

    // Garbage after the handshake byte: a failed handshake, counted.
    RawSocket garbage(http.port());
    garbage.send(std::string("\x16garbage garbage garbage garbage\r\n\r\n"));
    CHECK(garbage.waitClosed(3000));
    CHECK(http.stats().tlsFailed == 1);
}

TEST_CASE("Over TLS the guard's HTTP rules hold: Connection: close, HTTP/1.0, head limits") {
    GuardedHttp http(smallLimits(), control::TlsMode::Both, identity().serverConfiguration());

    TlsClient close(http.port());
    REQUIRE(close.socket.isEncrypted());
    close.socket.write("GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(waitUntil([&] { return close.closed; }, 3000));
    CHECK(close.answer.startsWith("HTTP/1.1 200"));
    CHECK(close.answer.contains("Connection: close"));
    CHECK(close.answer.endsWith("ok"));

    TlsClient http10(http.port());
    http10.socket.write("GET /ok HTTP/1.0\r\n\r\n");
    CHECK(waitUntil([&] { return http10.closed; }, 3000));
    CHECK(http10.answer.startsWith("HTTP/1.1 200"));
    CHECK(http.stats().closedAsAsked == 2);

    TlsClient large(http.port());
    large.socket.write("GET /ok HTTP/1.1\r\nHost: x\r\nX-Padding: " + QByteArray(2000, 'a') +
                       "\r\n\r\n");
    CHECK(waitUntil([&] { return large.closed; }, 3000));
    CHECK(large.answer.startsWith("HTTP/1.1 431"));

    // And plain HTTP on the same port still works.
    RawSocket plain(http.port());
    plain.send("GET /ok HTTP/1.0\r\n\r\n");
    CHECK(plain.waitClosed(3000));
    CHECK(plain.statusLine() == "HTTP/1.1 200 OK");
    CHECK(http.stats().tlsHandshakes == 3);
}

// A running control layer as production runs it, on loopback: the Tirana venue's engine driven
// by its own "audio" thread, the EngineController, the HTTP API on an ephemeral port, and a
// real HTTP client (QNetworkAccessManager) to talk to it.
#pragma once

#include "control/ControlServer.h"
#include "control/EngineController.h"
#include "core/Engine.h"
#include "support/QtWait.h"
#include "support/TiranaVenue.h"
#include "support/TonePump.h"
#include "venue/VenueFile.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QUrl>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace dragoman::test {

inline const QString kToken = QStringLiteral("test-token-0123456789abcdef");

// The audio thread of the control tests: 128-frame blocks every 2 ms (a little faster than real
// time at 48 kHz), with a 1 kHz sine at -20 dBFS on desk en.1's microphone (input 2).
class EnginePump : public TonePump {
public:
    static constexpr int kToneInput = 2;
    static constexpr float kToneAmplitude = 0.1f; // -20 dBFS

    explicit EnginePump(core::Engine& engine)
        : TonePump(engine, {Tone{kToneInput, 1000.0, -20.0, 0.0}}, std::chrono::milliseconds(2)) {}
};

// What the tests' device layer reports (the API passes it through).
inline device::DeviceStatus testDeviceStatus() {
    device::DeviceStatus status;
    status.clock = device::Clock::Device;
    status.state = device::State::Running;
    status.requested = "jack";
    status.hostApi = "JACK Audio Connection Kit";
    status.device = "system";
    status.sampleRate = 48000.0;
    status.blockSize = 128;
    status.inputLatencyMs = 2.5;
    status.outputLatencyMs = 5.0;
    status.cpuLoad = 0.25;
    status.xruns = 3;
    status.callbacks = 1000;
    status.reconnects = 1;
    status.lastError = "Device unavailable";
    status.notice = "system has 2 capture and 2 playback ports";
    status.audioThreadAllocations = 0;
    return status;
}

struct HttpReply {
    int status = 0; // 0: no answer
    QByteArray body;
    QJsonObject json;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray allow;
    QByteArray wwwAuthenticate;
    QByteArray cacheControl;
    QByteArray contentType;
};

struct FixtureOptions {
    QString token = kToken;
    bool remoteReads = false;
    bool pump = true; // false: no audio thread, so the engine never answers
    QString deskTokensFile;
    control::TlsMode tls = control::TlsMode::Off; // with tlsConfig's certificate and key
    QSslConfiguration tlsConfig;
    core::EngineOptions engine{};
    control::ControllerOptions controller{};
};

class ControlFixture {
public:
    explicit ControlFixture(FixtureOptions options = {})
        : venue(tiranaVenue())
        , engine(venue, options.engine)
        , controller(engine, options.controller)
        , server(
              controller, [] { return testDeviceStatus(); }, settings(options)) {
        if (options.pump)
            pump = std::make_unique<EnginePump>(engine);
        QString error;
        if (!server.listen(&error))
            throw std::runtime_error("listen: " + error.toStdString());
        network.setProxy(QNetworkProxy::NoProxy);
        scheme = options.tls == control::TlsMode::Off ? "http" : "https";
    }
    ~ControlFixture() {
        if (pump)
            pump->stop();
    }

    QUrl url(const QString& path) const {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2%3").arg(scheme).arg(server.port()).arg(path));
    }

    // Starts a request; the reply belongs to `manager` (the fixture's own by default).
    QNetworkReply* start(const QByteArray& method, const QString& path, const QByteArray& body = {},
                         const QString& token = {}, QNetworkAccessManager* manager = nullptr) {
        QNetworkRequest request(url(path));
        if (!clientTls.isNull())
            request.setSslConfiguration(clientTls);
        if (!token.isNull())
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        if (!body.isNull())
            request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        auto& m = manager ? *manager : network;
        if (method == "GET")
            return m.get(request);
        return m.sendCustomRequest(request, method, body);
    }

    static HttpReply finish(QNetworkReply* reply, int timeoutMs = 5000) {
        waitUntil([reply] { return reply->isFinished(); }, timeoutMs);
        HttpReply result;
        if (reply->isFinished()) {
            result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            result.body = reply->readAll();
            result.json = QJsonDocument::fromJson(result.body).object();
            result.error = reply->error();
            result.allow = reply->rawHeader("Allow");
            result.wwwAuthenticate = reply->rawHeader("WWW-Authenticate");
            result.cacheControl = reply->rawHeader("Cache-Control");
            result.contentType = reply->rawHeader("Content-Type");
        } else {
            reply->abort();
        }
        reply->deleteLater();
        return result;
    }

    HttpReply request(const QByteArray& method, const QString& path, const QByteArray& body = {},
                      const QString& token = {}) {
        return finish(start(method, path, body, token));
    }
    HttpReply get(const QString& path = QStringLiteral("/api/state")) {
        return request("GET", path);
    }
    HttpReply post(const QString& path, const QByteArray& body, const QString& token = kToken) {
        return request("POST", path, body, token);
    }
    QJsonObject state() { return get().json; }

    venue::Venue venue;
    core::Engine engine;
    control::EngineController controller;
    std::unique_ptr<EnginePump> pump;
    control::ControlServer server;
    QNetworkAccessManager network;
    QString scheme;
    QSslConfiguration clientTls; // what requests trust over https (e.g. the server's certificate)

private:
    static control::ServerSettings settings(const FixtureOptions& options) {
        control::ServerSettings s;
        s.address = QHostAddress::LocalHost;
        s.port = 0; // ephemeral
        s.token = options.token;
        s.remoteReads = options.remoteReads;
        s.deskTokensFile = options.deskTokensFile;
        s.tls = options.tls;
        s.tlsConfig = options.tlsConfig;
        return s;
    }
};

} // namespace dragoman::test

// The HTTP control API on Qt HttpServer: the routing state as JSON, and every change a person
// can make to the routing, for scripts, web pages and remote consoles.
//
//   GET  /api/state                 the whole state (StateJson.h)
//   POST /api/desks/{booth}/{n}     {"out","in","mic","cough","volume","bass","treble"}
//   POST /api/channels/{code}       {"autofloor"}
//   POST /api/booths/{code}         {"interlock","autorelay"}
//   POST /api/monitor               {"channel"} | {"desk"} | {"mic"} | {"floorMic"}
//   GET  /api/desk-tokens/{desk}    {"desk", "token", "page": "/desk/en.1#token=..."}
//   DELETE /api/desk-tokens/{desk}  revokes it (its sockets close), answers the new one
//   GET  /api/ws                    the WebSocket (WsHub.h): state pushed, commands answered
//   GET  /desk/{desk}               the desk page for a booth's tablet (resources/web/desk.html),
//                                   to anyone who may connect: it holds no secret, the desk
//                                   token travels in the link's #fragment and the socket
//
// Writes are engine commands (WriteRequests.h) applied in order through the EngineController;
// the reply waits for the engine's answers without ever blocking the event loop:
//   200 {"accepted": true,  "results": [{"field": "mic", "accepted": true,
//                                        "handover": "en.2" | null, "displaced": null}]}
//   409 {"accepted": false, "error": "...", "results": [..., {"field": "mic",
//        "accepted": false, "reason": "channel engaged", "holder": "sq.1"}]}
// (the fields before a refusal stay applied; 400 for a value the engine finds out of range or
// a B/C channel the booth lacks, 503 when the engine is busy or not running).
//
// Access: reads are open to loopback clients, to other hosts only with remoteReads (or the
// token). Every write, and reading or revoking a desk token, needs "Authorization: Bearer
// TOKEN" (the technician's): none or a wrong one is 401; with no token configured writes are
// 403. Desk tokens (DeskTokens.h) work on the WebSocket only, for their own desk. Malformed
// requests are 400 with {"error": "..."} naming the problem, unknown paths 404, other methods 405.
// listen() refuses an address other than loopback while no token is set, and serves it only
// over TLS (https, wss): a token on a venue LAN never travels in clear. Loopback stays plain
// unless settings ask for TLS.
//
// Thread contract: control thread (the EngineController's); Qt's event loop drives it.
#pragma once

#include "control/CommandSequence.h"
#include "control/DeskTokens.h"
#include "control/EngineController.h"
#include "control/GuardedTcpServer.h"
#include "control/WriteRequests.h"
#include "control/WsHub.h"
#include "device/DeviceStatus.h"

#include <QByteArray>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerResponder>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QString>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

class QHttpServerRequest;

namespace dragoman::control {

struct ServerSettings {
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8470; // 0: any free port (see port())
    QString token;       // bearer token for writes; "" = read-only API (resolveToken())
    bool remoteReads = false;
    QString deskTokensFile; // where revoked desk tokens are remembered ("" = until the exit)
    QByteArray deskPage;    // the booth tablet's page served at /desk/{desk} ("" = none)
    // TLS: Only is required beyond loopback (listen() refuses Off there); tlsConfig holds the
    // certificate and key (tls::Identity::serverConfiguration()).
    TlsMode tls = TlsMode::Off;
    QSslConfiguration tlsConfig;
};

class ControlServer : public QObject {
    Q_OBJECT

public:
    static constexpr qsizetype kMaxBodyBytes = 64 * 1024;

    ControlServer(EngineController& controller, std::function<device::DeviceStatus()> deviceStatus,
                  ServerSettings settings, QObject* parent = nullptr);
    ~ControlServer() override;
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    // Starts listening. False, with the reason in *error, when the address is not loopback and
    // no token is set, when the token is too weak, or when the socket cannot be bound.
    bool listen(QString* error = nullptr);
    quint16 port() const; // the port in use (after listen()), also when settings asked for 0
    bool servesTls() const { return settings_.tls != TlsMode::Off; }

    // Where /api/state's channels[code].listeners comes from (the listeners' side).
    void setListenerCount(std::function<int(int channel)> count) {
        listenerCount_ = std::move(count);
    }

    // Where /api/state's channels[code].loudness comes from: {momentary, short-term} LUFS of a
    // channel (EBU R128; the console's M/S LUFS). Without it the channels have no loudness.
    using Loudness = std::pair<float, float>;
    void setLoudness(std::function<Loudness(int channel)> loudness) {
        loudness_ = std::move(loudness);
    }

    // A further top-level member of /api/state, made when the state is read (e.g. "icecast":
    // the push to an Icecast server). A key the state has already is replaced.
    void addStateSection(const QString& key, std::function<QJsonValue()> section) {
        sections_.emplace_back(key, std::move(section));
    }

    // The whole state, as GET /api/state answers it (and the WebSocket pushes it).
    QJsonObject state() const;

    // The desk-scoped tokens, for pairing a booth's tablet (the console's desk list).
    const DeskTokens& deskTokens() const { return deskTokens_; }
    // Revokes desk `flatDesk`'s token and closes its WebSocket sessions at once. False, with
    // the reason in *error, when the revocation could not be saved for the next start.
    bool revokeDesk(int flatDesk, QString* error = nullptr);
    // Booth tablets connected per desk (WsHub::deskPanels), for the console's booth map.
    std::vector<int> deskPanels() const;
    // What was wrong with the saved desk-token generations at start ("" = nothing).
    const QString& deskTokensProblem() const { return deskTokensProblem_; }

    struct Counters {
        std::uint64_t requests = 0; // every request
        std::uint64_t rejected = 0; // refused as bad: every 4xx but 409 (malformed, unauthorised,
                                    // no such path or method, a value out of range)
    };
    Counters counters() const { return counters_; }

private:
    using Status = QHttpServerResponder::StatusCode;
    using Headers = std::vector<std::pair<QByteArray, QByteArray>>;
    using Parser = std::function<ParsedWrite(const QByteArray& body)>;

    void serveState(const QHttpServerRequest& request, QHttpServerResponder&& responder);
    void serveWrite(const QHttpServerRequest& request, QHttpServerResponder&& responder,
                    const Parser& parse);
    void serveDeskToken(const QString& desk, const QHttpServerRequest& request,
                        QHttpServerResponder&& responder);
    void serveMissing(const QHttpServerRequest& request, QHttpServerResponder&& responder);
    // True when the request carries the technician's token; otherwise answers why not.
    bool authorised(const QHttpServerRequest& request, QHttpServerResponder& responder);
    bool presentsToken(const QHttpServerRequest& request) const;
    void reply(QHttpServerResponder& responder, Status status, const QJsonObject& body,
               const Headers& headers = {});
    void replyError(QHttpServerResponder& responder, Status status, const QString& message,
                    const Headers& headers = {});
    void replyAnswers(QHttpServerResponder& responder, const std::vector<FieldAnswer>& answers);

    EngineController& controller_;
    std::function<device::DeviceStatus()> deviceStatus_;
    std::function<int(int)> listenerCount_;
    std::function<Loudness(int)> loudness_;
    std::vector<std::pair<QString, std::function<QJsonValue()>>> sections_;
    ServerSettings settings_;
    QString deskTokensProblem_;
    QHttpServer http_;
    GuardedTcpServer* tcp_ = nullptr; // owned by http_ once bound
    Counters counters_;
    DeskTokens deskTokens_;
    std::unique_ptr<WsHub> hub_; // before http_ goes: it owns the sockets http_ handed over
};

} // namespace dragoman::control

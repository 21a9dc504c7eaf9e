#include "control/ControlServer.h"

#include "control/Access.h"
#include "control/ControlToken.h"
#include "control/GuardedTcpServer.h"
#include "control/StateJson.h"
#include "control/WriteAnswers.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <cmath>
#include <memory>

namespace dragoman::control {

namespace {

using Method = QHttpServerRequest::Method;

QString methodName(Method method) {
    switch (method) {
    case Method::Get:
        return QStringLiteral("GET");
    case Method::Put:
        return QStringLiteral("PUT");
    case Method::Delete:
        return QStringLiteral("DELETE");
    case Method::Post:
        return QStringLiteral("POST");
    case Method::Head:
        return QStringLiteral("HEAD");
    case Method::Options:
        return QStringLiteral("OPTIONS");
    case Method::Patch:
        return QStringLiteral("PATCH");
    case Method::Connect:
        return QStringLiteral("CONNECT");
    case Method::Trace:
        return QStringLiteral("TRACE");
    default:
        return QStringLiteral("this method");
    }
}

const QString kEndpoints =
    QStringLiteral("GET /api/state, POST /api/desks/{booth}/{n}, POST /api/channels/{code}, "
                   "POST /api/inputs/{n}, POST /api/booths/{code}, POST /api/monitor, GET|DELETE "
                   "/api/desk-tokens/{desk}, GET /api/ws (WebSocket)");

const QString kHowToSetToken = QStringLiteral(
    "set \"control\": {\"token\": \"...\"} in the venue file or the DRAGOMAN_TOKEN environment "
    "variable (at least 16 characters, e.g. from: openssl rand -hex 16) and restart Dragoman");

} // namespace

ControlServer::ControlServer(EngineController& controller,
                             std::function<device::DeviceStatus()> deviceStatus,
                             ServerSettings settings, QObject* parent)
    : QObject(parent)
    , controller_(controller)
    , deviceStatus_(std::move(deviceStatus))
    , settings_(std::move(settings))
    , deskTokens_(controller_.venue(), settings_.token.toUtf8(), settings_.deskTokensFile,
                  &deskTokensProblem_)
    , hub_(std::make_unique<WsHub>(controller_, deskTokens_, settings_.token.toUtf8(),
                                   [this] { return state(); })) {
    // Qt 6.4 hands an upgrade over to the WebSocket server only when a route took the request
    // and wrote nothing: /api/ws stays silent for an upgrade and tells plain HTTP to upgrade.
    // An upgrade to any other path is answered as HTTP (404) and closed.
    connect(&http_, &QHttpServer::newWebSocketConnection, this, [this] {
        while (http_.hasPendingWebSocketConnections())
            hub_->adopt(http_.nextPendingWebSocketConnection());
    });
    http_.route("/api/ws",
                [this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                    if (request.value("Upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
                        return; // the WebSocket server takes the socket over
                    ++counters_.requests;
                    replyError(responder, Status::UpgradeRequired,
                               methodName(request.method()) +
                                   " /api/ws: this is a WebSocket (Upgrade: websocket); its "
                                   "protocol is in the control API's guide",
                               {{"Upgrade", "websocket"}});
                });
    http_.route("/desk/<arg>", [this](const QString& desk, const QHttpServerRequest& request,
                                      QHttpServerResponder&& responder) {
        if (settings_.deskPage.isEmpty() || !controller_.venue().deskIndex(desk.toStdString()))
            return serveMissing(request, std::move(responder));
        ++counters_.requests;
        if (request.method() != Method::Get)
            return replyError(responder, Status::MethodNotAllowed,
                              methodName(request.method()) + ' ' + request.url().path() +
                                  ": the desk page is read with GET",
                              {{"Allow", "GET"}});
        responder.writeStatusLine(Status::Ok);
        responder.writeHeader("Content-Type", "text/html; charset=utf-8");
        responder.writeHeader("Content-Length", QByteArray::number(settings_.deskPage.size()));
        responder.writeHeader("Cache-Control", "no-cache");
        responder.writeHeader("X-Content-Type-Options", "nosniff");
        responder.writeHeader("Referrer-Policy", "no-referrer");
        responder.writeBody(settings_.deskPage);
    });
    http_.route("/api/desk-tokens/<arg>",
                [this](const QString& desk, const QHttpServerRequest& request,
                       QHttpServerResponder&& responder) {
                    serveDeskToken(desk, request, std::move(responder));
                });
    // Routes match every method; each handler answers 405 for the ones it does not serve.
    http_.route("/api/state",
                [this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                    serveState(request, std::move(responder));
                });
    http_.route("/api/desks/<arg>/<arg>",
                [this](const QString& booth, const QString& desk, const QHttpServerRequest& request,
                       QHttpServerResponder&& responder) {
                    serveWrite(request, std::move(responder), [&](const QByteArray& body) {
                        return parseDeskWrite(controller_.venue(), booth, desk, body);
                    });
                });
    http_.route("/api/channels/<arg>",
                [this](const QString& code, const QHttpServerRequest& request,
                       QHttpServerResponder&& responder) {
                    serveWrite(request, std::move(responder), [&](const QByteArray& body) {
                        return parseChannelWrite(controller_.venue(), code, body);
                    });
                });
    http_.route("/api/inputs/<arg>", [this](const QString& input, const QHttpServerRequest& request,
                                            QHttpServerResponder&& responder) {
        serveWrite(request, std::move(responder), [&](const QByteArray& body) {
            return parseInputWrite(controller_.venue(), input, body);
        });
    });
    http_.route("/api/booths/<arg>", [this](const QString& code, const QHttpServerRequest& request,
                                            QHttpServerResponder&& responder) {
        serveWrite(request, std::move(responder), [&](const QByteArray& body) {
            return parseBoothWrite(controller_.venue(), code, body);
        });
    });
    http_.route("/api/monitor",
                [this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                    serveWrite(request, std::move(responder), [&](const QByteArray& body) {
                        return parseMonitorWrite(controller_.venue(), body);
                    });
                });
    http_.setMissingHandler(
        [this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
            serveMissing(request, std::move(responder));
        });
}

ControlServer::~ControlServer() = default;

bool ControlServer::listen(QString* error) {
    const auto fail = [&](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (tcp_)
        return fail(QStringLiteral("the control API is listening already"));
    if (const QString problem = tokenProblem(settings_.token); !problem.isEmpty())
        return fail(problem);
    if (settings_.token.isEmpty() && !isLoopback(settings_.address))
        return fail(QStringLiteral("refusing to serve the control API on %1, which other hosts "
                                   "can reach, without a token; %2, or listen on 127.0.0.1")
                        .arg(settings_.address.toString(), kHowToSetToken));
    if (settings_.tls == TlsMode::Off && !isLoopback(settings_.address))
        return fail(QStringLiteral("refusing to serve the control API on %1, which other hosts "
                                   "can reach, without TLS: its token would travel in clear")
                        .arg(settings_.address.toString()));
    if (settings_.tls != TlsMode::Off && settings_.tlsConfig.localCertificate().isNull())
        return fail(QStringLiteral("TLS without a certificate"));

    HttpLimits limits;
    if (!settings_.token.isEmpty()) // the technician's requests always get a connection
        limits.privileged = [token = settings_.token.toUtf8()](const RequestHead& head) {
            return bearerMatches(head.value("authorization"), token);
        };
    auto tcp = std::make_unique<GuardedTcpServer>(std::move(limits));
    if (settings_.tls != TlsMode::Off)
        tcp->setTls(settings_.tls, settings_.tlsConfig);
    if (!tcp->listen(settings_.address, settings_.port))
        return fail(QStringLiteral("cannot listen on %1 port %2: %3")
                        .arg(settings_.address.toString())
                        .arg(settings_.port)
                        .arg(tcp->errorString()));
    tcp_ = tcp.release();
    http_.bind(tcp_); // the HTTP server takes it over (as a child)
    return true;
}

quint16 ControlServer::port() const {
    return tcp_ ? tcp_->serverPort() : 0;
}

bool ControlServer::presentsToken(const QHttpServerRequest& request) const {
    return bearerMatches(request.value("Authorization"), settings_.token.toUtf8());
}

QJsonObject ControlServer::state() const {
    QJsonObject state =
        stateJson(controller_, deviceStatus_ ? deviceStatus_() : device::DeviceStatus{});
    state.insert("api", QJsonObject{{"requests", static_cast<qint64>(counters_.requests)},
                                    {"rejected", static_cast<qint64>(counters_.rejected)},
                                    {"connections", connectionStatsJson(tcp_->stats())},
                                    {"webSockets", wsCountersJson(hub_->counters())}});
    // How many listeners each channel has, for the technician (0 without a listeners' server).
    QJsonObject channels = state.value("channels").toObject();
    const auto& venue = controller_.venue();
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        const QString code = QString::fromStdString(venue.channels[c].code);
        QJsonObject channel = channels.value(code).toObject();
        channel.insert("listeners", listenerCount_ ? listenerCount_(static_cast<int>(c)) : 0);
        if (loudness_) {
            const auto [momentary, shortTerm] = loudness_(static_cast<int>(c));
            const auto tenth = [](float lufs) { return std::round(lufs * 10.0) / 10.0; };
            channel.insert("loudness", QJsonObject{{"momentaryLufs", tenth(momentary)},
                                                   {"shortTermLufs", tenth(shortTerm)}});
        }
        channels.insert(code, channel);
    }
    state.insert("channels", channels);
    // Presence: the desk panels (booth tablets, remote desk panels) connected to each desk.
    QJsonObject desks = state.value("desks").toObject();
    const std::vector<int> panels = hub_->deskPanels(venue.deskCount());
    for (int d = 0; d < venue.deskCount(); ++d) {
        const QString id = QString::fromStdString(venue.deskId(d));
        QJsonObject desk = desks.value(id).toObject();
        desk.insert("panels", panels[static_cast<std::size_t>(d)]);
        desks.insert(id, desk);
    }
    state.insert("desks", desks);
    for (const auto& [key, section] : sections_)
        state.insert(key, section());
    return state;
}

void ControlServer::serveState(const QHttpServerRequest& request,
                               QHttpServerResponder&& responder) {
    ++counters_.requests;
    if (request.method() != Method::Get)
        return replyError(responder, Status::MethodNotAllowed,
                          methodName(request.method()) + " /api/state: the state is read with GET",
                          {{"Allow", "GET"}});
    if (!mayRead(request.remoteAddress(), settings_.remoteReads, presentsToken(request)))
        return replyError(responder, Status::Forbidden,
                          QStringLiteral("reads from other hosts are off; set \"control\": "
                                         "{\"remoteReads\": true} in the venue file, or send the "
                                         "token"));

    reply(responder, Status::Ok, state());
}

void ControlServer::serveWrite(const QHttpServerRequest& request, QHttpServerResponder&& responder,
                               const Parser& parse) {
    ++counters_.requests;
    const QString path = request.url().path();
    if (request.method() != Method::Post)
        return replyError(responder, Status::MethodNotAllowed,
                          methodName(request.method()) + ' ' + path +
                              ": changes are sent with POST",
                          {{"Allow", "POST"}});
    if (!authorised(request, responder))
        return;
    if (request.body().size() > kMaxBodyBytes)
        return replyError(responder, Status::PayloadTooLarge,
                          QStringLiteral("the request body is over %1 bytes").arg(kMaxBodyBytes));

    const ParsedWrite parsed = parse(request.body());
    if (!parsed.ok())
        return replyError(responder, Status::BadRequest, parsed.error);

    // Answer once the engine has: the responder waits in the callback. Qt 6.4 deletes the
    // socket of a client that hangs up meanwhile, so check it is still there before writing.
    auto waiting = std::make_shared<QHttpServerResponder>(std::move(responder));
    QPointer<QTcpSocket> socket = waiting->socket();
    QPointer<ControlServer> self = this;
    runSequence(controller_, parsed.commands,
                [self, waiting, socket](const std::vector<FieldAnswer>& answers) {
                    if (!self || !socket || socket->state() != QAbstractSocket::ConnectedState)
                        return; // the client has gone; the commands took effect all the same
                    self->replyAnswers(*waiting, answers);
                });
}

bool ControlServer::authorised(const QHttpServerRequest& request, QHttpServerResponder& responder) {
    if (settings_.token.isEmpty())
        replyError(responder, Status::Forbidden,
                   "writes are off: no control token is set; to allow them, " + kHowToSetToken);
    else if (request.value("Authorization").isEmpty())
        replyError(responder, Status::Unauthorized,
                   QStringLiteral("this needs the header \"Authorization: Bearer TOKEN\""),
                   {{"WWW-Authenticate", "Bearer realm=\"dragoman\""}});
    else if (!presentsToken(request))
        replyError(responder, Status::Unauthorized, QStringLiteral("wrong token"),
                   {{"WWW-Authenticate", "Bearer realm=\"dragoman\", error=\"invalid_token\""}});
    else
        return true;
    return false;
}

void ControlServer::serveDeskToken(const QString& desk, const QHttpServerRequest& request,
                                   QHttpServerResponder&& responder) {
    ++counters_.requests;
    const bool revoke = request.method() == Method::Delete;
    if (request.method() != Method::Get && !revoke)
        return replyError(responder, Status::MethodNotAllowed,
                          methodName(request.method()) + ' ' + request.url().path() +
                              ": a desk's token is read with GET and revoked with DELETE",
                          {{"Allow", "GET, DELETE"}});
    if (!authorised(request, responder))
        return;
    const auto index = controller_.venue().deskIndex(desk.toStdString());
    if (!index)
        return replyError(
            responder, Status::NotFound,
            QStringLiteral("no desk %1 in this venue (desks read like \"en.1\")").arg(desk));
    QString error;
    if (revoke && !revokeDesk(*index, &error))
        return replyError(responder, Status::InternalServerError,
                          "the token is revoked until the next start, but " + error);
    const QString id = QString::fromStdString(controller_.venue().deskId(*index));
    const QString token = QString::fromUtf8(deskTokens_.token(*index));
    reply(responder, Status::Ok,
          QJsonObject{{"desk", id},
                      {"token", token},
                      {"page", "/desk/" + id + "#token=" + token}, // the tablet's pairing link
                      {"revoked", revoke}});
}

std::vector<int> ControlServer::deskPanels() const {
    return hub_->deskPanels(controller_.venue().deskCount());
}

bool ControlServer::revokeDesk(int flatDesk, QString* error) {
    const bool saved = deskTokens_.revoke(flatDesk, error);
    hub_->dropDesk(flatDesk);
    return saved;
}

void ControlServer::serveMissing(const QHttpServerRequest& request,
                                 QHttpServerResponder&& responder) {
    ++counters_.requests;
    replyError(responder, Status::NotFound,
               QStringLiteral("no such endpoint: %1 %2; the API is %3")
                   .arg(methodName(request.method()), request.url().path(), kEndpoints));
}

void ControlServer::replyAnswers(QHttpServerResponder& responder,
                                 const std::vector<FieldAnswer>& answers) {
    const WriteVerdict verdict = writeVerdict(controller_.venue(), answers);
    reply(responder, static_cast<Status>(verdict.status), verdict.body);
}

void ControlServer::reply(QHttpServerResponder& responder, Status status, const QJsonObject& body,
                          const Headers& headers) {
    const int code = static_cast<int>(status);
    if (code >= 400 && code < 500 && status != Status::Conflict)
        ++counters_.rejected;
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact) + '\n';
    responder.writeStatusLine(status);
    responder.writeHeader("Content-Type", "application/json");
    responder.writeHeader("Content-Length", QByteArray::number(json.size()));
    responder.writeHeader("Cache-Control", "no-store");
    responder.writeHeader("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : headers)
        responder.writeHeader(name, value);
    responder.writeBody(json);
}

void ControlServer::replyError(QHttpServerResponder& responder, Status status,
                               const QString& message, const Headers& headers) {
    reply(responder, status, QJsonObject{{"error", message}}, headers);
}

} // namespace dragoman::control

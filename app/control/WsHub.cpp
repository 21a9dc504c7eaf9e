#include "control/WsHub.h"

#include "control/ControlToken.h"
#include "control/StateJson.h"
#include "control/StrictJson.h"
#include "control/WriteAnswers.h"
#include "control/WriteRequests.h"

#include <QJsonDocument>
#include <QPointer>
#include <QWebSocket>
#include <algorithm>

namespace dragoman::control {

namespace {

constexpr int kPingIntervalMs = 1000;

QString compact(const QJsonObject& object) {
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// An answer to command `id`: the verdict's body with its type, id and HTTP status.
QString answerFrame(const QJsonValue& id, int status, QJsonObject body) {
    body.insert("type", "answer");
    body.insert("id", id);
    body.insert("status", status);
    return compact(body);
}

QByteArray compactBytes(const QJsonValue& value) {
    return value.isObject() ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                            : QByteArray("null");
}

} // namespace

struct WsHub::Session {
    std::unique_ptr<QWebSocket> socket;
    bool authenticated = false;
    bool technician = false;
    int desk = -1;  // the desk a desk token allows; -1 for the technician
    int panel = -1; // the desk whose panel this session is (presence); -1 = none
    int meterHz = 0;
    QElapsedTimer since;      // adopted
    QElapsedTimer lastPong;   // the last pong (or authentication)
    QElapsedTimer lastMeters; // the last meter frame sent
    bool dropping = false;
};

WsHub::WsHub(EngineController& controller, DeskTokens& deskTokens, QByteArray technicianToken,
             std::function<QJsonObject()> state, WsLimits limits, QObject* parent)
    : QObject(parent)
    , controller_(controller)
    , deskTokens_(deskTokens)
    , technicianToken_(std::move(technicianToken))
    , state_(std::move(state))
    , limits_(limits) {
    connect(&controller_, &EngineController::routingChanged, this, &WsHub::schedulePush);
    connect(&controller_, &EngineController::commandAnswered, this, &WsHub::schedulePush);
    connect(&meterTimer_, &QTimer::timeout, this, &WsHub::tickMeters);
    meterTimer_.setTimerType(Qt::PreciseTimer);
    meterTimer_.start(1000 / limits_.maxMeterHz);
    connect(&sweepTimer_, &QTimer::timeout, this, &WsHub::sweep);
    sweepTimer_.start(kPingIntervalMs);
}

WsHub::~WsHub() {
    for (auto& [socket, session] : sessions_)
        QObject::disconnect(socket, nullptr, this, nullptr);
}

WsHub::Counters WsHub::counters() const {
    Counters c = counters_;
    c.open = static_cast<int>(sessions_.size());
    c.authenticated = static_cast<int>(std::count_if(
        sessions_.begin(), sessions_.end(), [](const auto& s) { return s.second->authenticated; }));
    return c;
}

void WsHub::adopt(std::unique_ptr<QWebSocket> socket) {
    if (static_cast<int>(sessions_.size()) >= limits_.maxSockets) {
        ++counters_.refused;
        socket->close(QWebSocketProtocol::CloseCodeTooMuchData, QStringLiteral("too many sockets"));
        socket.release()->deleteLater();
        return;
    }
    ++counters_.accepted;
    auto session = std::make_unique<Session>();
    session->socket = std::move(socket);
    session->since.start();
    session->lastPong.start();
    QWebSocket* ws = session->socket.get();
    ws->setMaxAllowedIncomingFrameSize(limits_.maxFrameBytes);
    ws->setMaxAllowedIncomingMessageSize(limits_.maxFrameBytes);
    Session* s = session.get();
    sessions_.emplace(ws, std::move(session));
    connect(ws, &QWebSocket::textMessageReceived, this,
            [this, s](const QString& text) { onText(*s, text); });
    connect(ws, &QWebSocket::binaryMessageReceived, this, [this, s](const QByteArray&) {
        ++counters_.malformed;
        sendError(*s, QJsonValue::Null, QStringLiteral("frames are JSON text, not binary"));
    });
    connect(ws, &QWebSocket::pong, this, [s](quint64, const QByteArray&) { s->lastPong.start(); });
    connect(ws, &QWebSocket::disconnected, this, [this, ws] {
        const auto it = sessions_.find(ws);
        if (it == sessions_.end())
            return;
        const bool panel = it->second->authenticated && it->second->panel >= 0;
        it->second->socket.release()->deleteLater();
        sessions_.erase(it);
        if (panel) // presence is in the state: a desk's panel went
            schedulePush();
    });
}

void WsHub::onText(Session& session, const QString& text) {
    if (session.dropping)
        return;
    const QByteArray bytes = text.toUtf8();
    if (const QString problem = strictJsonProblem(bytes); !problem.isEmpty()) {
        ++counters_.malformed;
        return sendError(session, QJsonValue::Null, problem);
    }
    const QJsonDocument document = QJsonDocument::fromJson(bytes);
    if (!document.isObject()) {
        ++counters_.malformed;
        return sendError(session, QJsonValue::Null, QStringLiteral("a frame is a JSON object"));
    }
    const QJsonObject frame = document.object();
    if (!session.authenticated)
        return authenticate(session, frame);
    const QString type = frame.value("type").toString();
    if (type == QLatin1String("meters")) {
        const QJsonValue hz = frame.value("hz");
        if (!hz.isDouble() || hz.toDouble() < 0 || hz.toDouble() > limits_.maxMeterHz) {
            ++counters_.malformed;
            return sendError(
                session, frame.value("id"),
                QStringLiteral("meters: \"hz\" is a number from 0 to %1").arg(limits_.maxMeterHz));
        }
        session.meterHz = static_cast<int>(hz.toDouble());
        session.lastMeters.invalidate();
        return;
    }
    if (type == QLatin1String("state"))
        return send(session, stateFrame());
    command(session, frame);
}

void WsHub::authenticate(Session& session, const QJsonObject& frame) {
    const QByteArray token = frame.value("token").toString().toUtf8();
    if (frame.value("type").toString() != QLatin1String("auth") || token.isEmpty()) {
        ++counters_.authFailed;
        sendError(session, QJsonValue::Null,
                  QStringLiteral("the first frame is {\"type\": \"auth\", \"token\": \"...\"}"));
        session.dropping = true;
        session.socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                              QStringLiteral("authenticate first"));
        return;
    }
    // Both comparisons always run (constant time, whichever kind of token it is).
    const bool technician = tokensMatch(token, technicianToken_);
    const int desk = deskTokens_.deskFor(token);
    if (!technician && desk < 0) {
        ++counters_.authFailed;
        sendError(session, QJsonValue::Null, QStringLiteral("wrong token"));
        session.dropping = true;
        session.socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                              QStringLiteral("wrong token"));
        return;
    }
    const auto& venue = controller_.venue();
    // "panel": the desk whose panel this session shows. A desk token's panel is its own desk.
    int panel = technician ? -1 : desk;
    if (const QJsonValue named = frame.value("panel"); !named.isUndefined() && !named.isNull()) {
        const auto index = venue.deskIndex(named.toString().toStdString());
        if (!named.isString() || !index || (!technician && *index != desk)) {
            ++counters_.authFailed;
            sendError(session, QJsonValue::Null,
                      technician ? QStringLiteral("\"panel\" names a desk of the venue, such as "
                                                  "\"en.1\"")
                                 : QStringLiteral("this token's panel is desk %1")
                                       .arg(QString::fromStdString(venue.deskId(desk))));
            session.dropping = true;
            session.socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                                  QStringLiteral("wrong panel"));
            return;
        }
        panel = *index;
    }
    session.authenticated = true;
    session.technician = technician;
    session.desk = technician ? -1 : desk;
    session.panel = panel;
    session.lastPong.start();
    const auto deskId = [&venue](int d) {
        return d < 0 ? QJsonValue(QJsonValue::Null)
                     : QJsonValue(QString::fromStdString(venue.deskId(d)));
    };
    send(session, compact({{"type", "hello"},
                           {"role", technician ? "technician" : "desk"},
                           {"desk", deskId(session.desk)},
                           {"panel", deskId(panel)},
                           {"venue", venueJson(venue)}}));
    if (panel >= 0)
        schedulePush(); // presence is in the state: everyone sees the desk's new panel
    else
        send(session, stateFrame());
}

void WsHub::command(Session& session, const QJsonObject& frame) {
    const QJsonValue id = frame.value("id");
    if (!id.isDouble() && !id.isString()) {
        ++counters_.malformed;
        return sendError(session, id, QStringLiteral("a command has an \"id\" (number or string)"));
    }
    const QString type = frame.value("type").toString();
    const auto& venue = controller_.venue();
    const QByteArray set = compactBytes(frame.value("set"));
    const auto answer = [this, &session, &id](int status, QJsonObject body) {
        send(session, answerFrame(id, status, std::move(body)));
    };

    ParsedWrite parsed;
    if (type == QLatin1String("desk")) {
        const QString desk = frame.value("desk").toString();
        const qsizetype dot = desk.indexOf('.');
        const auto index = venue.deskIndex(desk.toStdString());
        if (!session.technician && (!index || *index != session.desk)) {
            ++counters_.forbidden;
            return answer(
                403, {{"accepted", false},
                      {"error", QStringLiteral("this token acts on desk %1 only")
                                    .arg(QString::fromStdString(venue.deskId(session.desk)))}});
        }
        parsed = dot < 0 ? ParsedWrite{{}, QStringLiteral("\"desk\" reads like \"en.1\"")}
                         : parseDeskWrite(venue, desk.left(dot), desk.mid(dot + 1), set);
    } else if (type == QLatin1String("channel") || type == QLatin1String("input") ||
               type == QLatin1String("booth") || type == QLatin1String("monitor")) {
        if (!session.technician) {
            ++counters_.forbidden;
            return answer(403, {{"accepted", false},
                                {"error", QStringLiteral("a desk token acts on its desk only")}});
        }
        if (type == QLatin1String("channel"))
            parsed = parseChannelWrite(venue, frame.value("channel").toString(), set);
        else if (type == QLatin1String("input"))
            parsed = parseInputWrite(venue, frame.value("input").toVariant().toString(), set);
        else if (type == QLatin1String("booth"))
            parsed = parseBoothWrite(venue, frame.value("booth").toString(), set);
        else
            parsed = parseMonitorWrite(venue, set);
    } else {
        ++counters_.malformed;
        return sendError(session, id,
                         QStringLiteral("unknown type; the types are auth, meters, state, desk, "
                                        "channel, input, booth, monitor"));
    }
    if (!parsed.ok()) {
        ++counters_.malformed;
        return answer(400, {{"accepted", false}, {"error", parsed.error}});
    }
    ++counters_.commands;
    QPointer<QWebSocket> socket = session.socket.get();
    QPointer<WsHub> self = this;
    runSequence(controller_, parsed.commands,
                [self, socket, id](const std::vector<FieldAnswer>& answers) {
                    if (!self || !socket)
                        return; // gone; the commands took effect all the same
                    const auto it = self->sessions_.find(socket.data());
                    if (it == self->sessions_.end())
                        return;
                    const WriteVerdict verdict = writeVerdict(self->controller_.venue(), answers);
                    self->send(*it->second, answerFrame(id, verdict.status, verdict.body));
                });
}

void WsHub::sendError(Session& session, const QJsonValue& id, const QString& message) {
    send(session, compact({{"type", "error"},
                           {"id", id.isUndefined() ? QJsonValue() : id},
                           {"error", message}}));
}

void WsHub::send(Session& session, const QString& frame) {
    if (session.dropping)
        return;
    if (session.socket->bytesToWrite() > limits_.maxQueuedBytes)
        return drop(session, &counters_.slowDropped);
    session.socket->sendTextMessage(frame);
}

void WsHub::schedulePush() {
    if (pushScheduled_)
        return;
    pushScheduled_ = true;
    QMetaObject::invokeMethod(this, &WsHub::pushState, Qt::QueuedConnection);
}

QString WsHub::stateFrame() {
    return compact({{"type", "state"}, {"state", state_()}});
}

void WsHub::pushState() {
    pushScheduled_ = false;
    std::vector<Session*> targets;
    for (auto& [socket, session] : sessions_)
        if (session->authenticated && !session->dropping)
            targets.push_back(session.get());
    if (targets.empty())
        return;
    const QString frame = stateFrame(); // made only when someone is listening
    for (Session* session : targets) {
        ++counters_.statePushes;
        send(*session, frame);
    }
}

void WsHub::tickMeters() {
    std::vector<Session*> due;
    for (auto& [socket, session] : sessions_) {
        Session& s = *session;
        if (!s.authenticated || s.dropping || s.meterHz <= 0)
            continue;
        // Due when a period has passed (less half a tick, so 30 Hz keeps up with a 33 ms timer).
        const qint64 period = 1000 / s.meterHz;
        if (s.lastMeters.isValid() && s.lastMeters.elapsed() + 16 < period)
            continue;
        if (s.socket->bytesToWrite() > limits_.meterQueueBytes)
            continue; // behind: skip rather than queue
        due.push_back(&s);
    }
    if (due.empty())
        return;
    const QString frame = compact(
        {{"type", "meters"}, {"meters", metersJson(controller_.venue(), controller_.meters())}});
    for (Session* s : due) {
        s->lastMeters.start();
        ++counters_.meterFrames;
        send(*s, frame);
    }
}

void WsHub::sweep() {
    std::vector<Session*> slow;
    std::vector<Session*> unauthenticated;
    for (auto& [socket, session] : sessions_) {
        Session& s = *session;
        if (s.dropping)
            continue;
        if (!s.authenticated) {
            if (s.since.hasExpired(limits_.authTimeout.count()))
                unauthenticated.push_back(&s);
            continue;
        }
        if (s.lastPong.hasExpired(limits_.stallTimeout.count()) ||
            s.socket->bytesToWrite() > limits_.maxQueuedBytes) {
            slow.push_back(&s);
            continue;
        }
        s.socket->ping();
    }
    for (Session* s : slow)
        drop(*s, &counters_.slowDropped);
    for (Session* s : unauthenticated)
        drop(*s, &counters_.authFailed);
}

void WsHub::drop(Session& session, std::uint64_t* counter) {
    if (session.dropping)
        return;
    session.dropping = true;
    if (counter)
        ++*counter;
    if (session.authenticated && session.panel >= 0)
        schedulePush(); // no longer counted as its desk's panel
    // abort(): nothing more is sent or waited for; disconnected() then removes the session.
    QMetaObject::invokeMethod(
        session.socket.get(), [ws = session.socket.get()] { ws->abort(); }, Qt::QueuedConnection);
}

void WsHub::dropDesk(int flatDesk) {
    for (auto& [socket, session] : sessions_)
        if (session->authenticated && !session->technician && session->desk == flatDesk) {
            sendError(*session, QJsonValue::Null, QStringLiteral("this desk's token was revoked"));
            drop(*session, &counters_.revoked);
        }
}

std::vector<int> WsHub::deskPanels(int deskCount) const {
    std::vector<int> panels(static_cast<std::size_t>(std::max(0, deskCount)), 0);
    for (const auto& [socket, session] : sessions_)
        if (session->authenticated && !session->dropping && session->panel >= 0 &&
            session->panel < deskCount)
            ++panels[static_cast<std::size_t>(session->panel)];
    return panels;
}

QJsonObject wsCountersJson(const WsHub::Counters& c) {
    const auto n = [](std::uint64_t v) { return static_cast<qint64>(v); };
    return {{"open", c.open},
            {"authenticated", c.authenticated},
            {"accepted", n(c.accepted)},
            {"refused", n(c.refused)},
            {"authFailed", n(c.authFailed)},
            {"malformed", n(c.malformed)},
            {"commands", n(c.commands)},
            {"forbidden", n(c.forbidden)},
            {"slowDropped", n(c.slowDropped)},
            {"revoked", n(c.revoked)},
            {"statePushes", n(c.statePushes)},
            {"meterFrames", n(c.meterFrames)}};
}

} // namespace dragoman::control

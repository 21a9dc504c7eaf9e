#include "webrtc/Signalling.h"

#include "webrtc/JanusBackend.h"
#include "webrtc/JanusMountpoints.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <optional>

namespace dragoman::webrtc {

struct Signalling::Session {
    QString id;
    QString channel;
    QHostAddress peer;
    JanusBackend* backend = nullptr;
    std::unique_ptr<JanusClient> janus;
    QJsonArray events;
    QElapsedTimer lastSeen;
    bool up = false; // Janus said webrtcup: media flows to the listener
    bool gone = false;
};

namespace {

// The body as an object holding only `allowed` keys; an error message otherwise.
std::optional<QJsonObject> object(const QByteArray& body,
                                  std::initializer_list<const char*> allowed, QString* problem) {
    QJsonParseError error{};
    const auto document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        *problem = QStringLiteral("the body is not a JSON object");
        return std::nullopt;
    }
    const auto o = document.object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        bool known = false;
        for (const char* key : allowed)
            known = known || it.key() == QLatin1String(key);
        if (!known) {
            *problem =
                QStringLiteral("unknown key \"%1\": a listener can only watch").arg(it.key());
            return std::nullopt;
        }
    }
    return o;
}

bool isText(const QJsonValue& v, qsizetype max) {
    return v.isString() && !v.toString().isEmpty() && v.toString().size() <= max;
}

} // namespace

Signalling::Signalling(QList<JanusBackend*> backends, SignallingLimits limits, QObject* parent)
    : QObject(parent)
    , backends_(std::move(backends))
    , limits_(limits) {
    reaper_.setInterval(1000);
    connect(&reaper_, &QTimer::timeout, this, &Signalling::reap);
    reaper_.start();
    for (auto* backend : backends_)
        connect(backend, &JanusBackend::lost, this, [this, backend] { lose(backend); });
}

Signalling::~Signalling() = default;

bool Signalling::available() const {
    for (const auto* backend : backends_)
        if (backend->live())
            return true;
    return false;
}

// The live backend carrying `code` with the fewest sessions (the first of equals); null when
// none carries it now.
JanusBackend* Signalling::pick(const QString& code, qint64* mountpoint) const {
    JanusBackend* best = nullptr;
    int fewest = 0;
    for (auto* backend : backends_) {
        const qint64 id = backend->live() ? backend->mountpointId(code) : 0;
        if (!id)
            continue;
        int load = 0;
        for (const auto& s : sessions_)
            load += s->backend == backend && !s->gone ? 1 : 0;
        if (!best || load < fewest) {
            best = backend;
            fewest = load;
            *mountpoint = id;
        }
    }
    return best;
}

// The Janus session every listener on `backend` shares (a new one after it failed).
std::shared_ptr<JanusSession> Signalling::janusSession(JanusBackend* backend) {
    auto& shared = janusSessions_[backend];
    if (!shared || shared->dead())
        shared = std::make_shared<JanusSession>(network_, backend->apiUrl(), backend->auth());
    return shared;
}

// Every session on a backend that went away ends now: the page hears "gone" at its next poll
// and watches again, on a live backend.
void Signalling::lose(JanusBackend* backend) {
    janusSessions_.remove(backend); // the next watch there makes a new one
    for (const auto& s : sessions_) {
        if (s->backend != backend || s->gone)
            continue;
        ++stats_.failures;
        s->gone = true;
        s->up = false;
        queue(*s, {{"type", "gone"}, {"reason", backend->name() + QStringLiteral(" went away")}});
        s->janus->close();
    }
}

Signalling::Reply Signalling::refuse(int status, const QString& message) {
    ++(status == 404 ? stats_.notFound : status == 400 ? stats_.badRequests : stats_.refused);
    return {status, QJsonObject{{"error", message}}};
}

Signalling::Reply Signalling::watch(const QByteArray& body, const QHostAddress& peer) {
    QString problem;
    const auto request = object(body, {"channel"}, &problem);
    if (!request)
        return refuse(400, problem);
    if (!isText(request->value("channel"), 64))
        return refuse(400, QStringLiteral("\"channel\" wants a channel code, e.g. \"en\""));
    const auto code = request->value("channel").toString();
    bool known = false;
    for (const auto* b : backends_)
        known = known || b->hasChannel(code);
    if (!known)
        return refuse(404, QStringLiteral("no channel %1").arg(code));
    qint64 mountpoint = 0;
    auto* backend = pick(code, &mountpoint);
    if (!backend) {
        QStringList states;
        for (const auto* b : backends_)
            states << b->stateText();
        return refuse(503, QStringLiteral("WebRTC is not running (%1); try again shortly")
                               .arg(states.join(QStringLiteral(", "))));
    }
    if (sessions_.size() >= limits_.maxSessions)
        return refuse(503, QStringLiteral("too many WebRTC listeners"));
    int fromPeer = 0;
    for (const auto& s : sessions_)
        fromPeer += s->peer == peer ? 1 : 0;
    if (fromPeer >= limits_.maxSessionsPerHost)
        return refuse(
            429,
            QStringLiteral("too many WebRTC sessions from %1; hang up first").arg(peer.toString()));

    auto session = std::make_shared<Session>();
    session->id = randomSecret(16);
    session->channel = code;
    session->peer = peer;
    session->lastSeen.start();
    session->backend = backend;
    session->janus = std::make_unique<JanusClient>(janusSession(backend));
    Session* s = session.get();
    connect(s->janus.get(), &JanusClient::event, this,
            [this, s](const QJsonObject& data, const QJsonObject& jsep) {
                if (jsep.value("type") == QStringLiteral("offer"))
                    queue(*s, {{"type", "offer"}, {"sdp", jsep.value("sdp")}});
                if (data.contains("error"))
                    queue(*s, {{"type", "error"}, {"error", data.value("error")}});
                const auto status = data.value("result").toObject().value("status");
                if (status.isString())
                    queue(*s, {{"type", "status"}, {"status", status}});
                const auto core = data.value("janus").toString();
                if (core == QStringLiteral("webrtcup")) {
                    s->up = true;
                    queue(*s, {{"type", "up"}});
                } else if (core == QStringLiteral("hangup")) {
                    s->up = false;
                    queue(*s, {{"type", "hangup"}});
                }
            });
    connect(s->janus.get(), &JanusClient::failed, this, [this, s](const QString& reason) {
        if (s->gone)
            return;
        ++stats_.failures;
        s->gone = true;
        s->up = false;
        queue(*s, {{"type", "gone"}, {"reason", reason}});
    });
    sessions_.insert(session->id, session);
    s->janus->open(mountpoint);
    ++stats_.watches;
    return {200, QJsonObject{{"id", session->id}, {"channel", code}}};
}

void Signalling::queue(Session& session, QJsonObject event) {
    if (session.events.size() >= limits_.maxQueuedEvents)
        session.events.removeFirst();
    session.events.append(event);
}

Signalling::Reply Signalling::events(const QString& id) {
    const auto it = sessions_.find(id);
    if (it == sessions_.end())
        return refuse(404, QStringLiteral("no such WebRTC session (it timed out?): watch again"));
    auto& session = **it;
    session.lastSeen.restart();
    const QJsonArray events = std::exchange(session.events, {});
    if (session.gone)
        end(id);
    return {200, QJsonObject{{"events", events}}};
}

Signalling::Session* Signalling::find(const QByteArray& body,
                                      std::initializer_list<const char*> allowed,
                                      QJsonObject* request, Reply* error) {
    QString problem;
    const auto parsed = object(body, allowed, &problem);
    if (!parsed) {
        *error = refuse(400, problem);
        return nullptr;
    }
    *request = *parsed;
    if (!isText(request->value("id"), 64)) {
        *error = refuse(400, QStringLiteral("\"id\" wants the session id /webrtc/watch gave"));
        return nullptr;
    }
    const auto it = sessions_.find(request->value("id").toString());
    if (it == sessions_.end()) {
        *error = refuse(404, QStringLiteral("no such WebRTC session (it timed out?)"));
        return nullptr;
    }
    (*it)->lastSeen.restart();
    return it->get();
}

Signalling::Reply Signalling::start(const QByteArray& body) {
    QJsonObject request;
    Reply error;
    auto* session = find(body, {"id", "sdp"}, &request, &error);
    if (!session)
        return error;
    const auto sdp = request.value("sdp");
    if (!isText(sdp, 32 * 1024) || !sdp.toString().startsWith(QStringLiteral("v=0")))
        return refuse(400, QStringLiteral("\"sdp\" wants the SDP answer"));
    session->janus->start(QJsonObject{{"type", "answer"}, {"sdp", sdp}});
    ++stats_.starts;
    return {200, QJsonObject{}};
}

Signalling::Reply Signalling::trickle(const QByteArray& body) {
    QJsonObject request;
    Reply error;
    auto* session = find(body, {"id", "candidate", "completed"}, &request, &error);
    if (!session)
        return error;
    if (request.value("completed") == QJsonValue(true) && !request.contains("candidate")) {
        session->janus->trickle(QJsonObject{{"completed", true}});
    } else {
        const auto c = request.value("candidate").toObject();
        for (auto it = c.begin(); it != c.end(); ++it)
            if (it.key() != QLatin1String("candidate") && it.key() != QLatin1String("sdpMid") &&
                it.key() != QLatin1String("sdpMLineIndex"))
                return refuse(400, QStringLiteral("a candidate has only \"candidate\", "
                                                  "\"sdpMid\" and \"sdpMLineIndex\""));
        if (!isText(c.value("candidate"), 1024))
            return refuse(400, QStringLiteral("\"candidate\" wants an ICE candidate"));
        QJsonObject candidate{{"candidate", c.value("candidate")}};
        if (c.value("sdpMid").isString())
            candidate.insert("sdpMid", c.value("sdpMid").toString().left(32));
        if (c.value("sdpMLineIndex").isDouble())
            candidate.insert("sdpMLineIndex", c.value("sdpMLineIndex").toInt());
        session->janus->trickle(candidate);
    }
    ++stats_.trickles;
    return {200, QJsonObject{}};
}

Signalling::Reply Signalling::hangup(const QByteArray& body) {
    QJsonObject request;
    Reply error;
    auto* session = find(body, {"id"}, &request, &error);
    if (!session)
        return error;
    end(session->id);
    ++stats_.hangups;
    return {200, QJsonObject{}};
}

void Signalling::end(const QString& id) {
    const auto it = sessions_.find(id);
    if (it == sessions_.end())
        return;
    const auto session = *it; // keeps it alive while the client closes
    sessions_.erase(it);
    session->janus->close();
}

void Signalling::reap() {
    QStringList idle;
    for (const auto& s : sessions_)
        if (s->lastSeen.elapsed() > limits_.idleTimeout.count())
            idle << s->id;
    for (const auto& id : idle) {
        ++stats_.reaped;
        end(id);
    }
}

Signalling::Stats Signalling::stats() const {
    auto s = stats_;
    s.open = static_cast<int>(sessions_.size());
    return s;
}

int Signalling::listeners(const QString& channel) const {
    int count = 0;
    for (const auto& session : sessions_)
        count += session->up && session->channel == channel ? 1 : 0;
    return count;
}

int Signalling::listenersOn(const JanusBackend* backend) const {
    int count = 0;
    for (const auto& session : sessions_)
        count += session->up && session->backend == backend ? 1 : 0;
    return count;
}

QJsonObject Signalling::countsJson(const JanusBackend* backend) const {
    int open = 0;
    QJsonObject channels;
    for (const auto& session : sessions_) {
        if (session->backend != backend)
            continue;
        ++open;
        if (session->up)
            channels.insert(session->channel, channels.value(session->channel).toInt() + 1);
    }
    return {{"sessions", open}, {"listeners", listenersOn(backend)}, {"channels", channels}};
}

QJsonObject Signalling::statusJson() const {
    const auto s = stats();
    const auto n = [](quint64 v) { return static_cast<qint64>(v); };
    return {{"sessions", s.open},        {"watches", n(s.watches)},
            {"starts", n(s.starts)},     {"trickles", n(s.trickles)},
            {"hangups", n(s.hangups)},   {"badRequests", n(s.badRequests)},
            {"notFound", n(s.notFound)}, {"refused", n(s.refused)},
            {"reaped", n(s.reaped)},     {"failures", n(s.failures)}};
}

} // namespace dragoman::webrtc

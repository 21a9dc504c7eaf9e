// WebRTC signalling for listeners, relayed by the listeners' server to a Janus API
// (JanusClient.h): the private Janus's on loopback, or those of the venue's Janus servers
// (JanusBackend.h). A listener can only watch: the requests below are the whole protocol, their
// bodies are checked key by key, and Dragoman writes every Janus request itself (a listener
// never names a Janus server, request, plugin, handle or mountpoint id).
//
// A new watch goes to the live backend with the fewest sessions that carries the channel; when
// a backend is lost, each of its sessions ends at once with a "gone" event, so the page watches
// again and lands on a live one.
//
//   POST /webrtc/watch   {"channel": CODE}            -> 200 {"id": ID}
//   GET  /webrtc/events?id=ID                         -> 200 {"events": [...]}; also the
//        session's keep-alive. Events: {"type":"offer","sdp":...}, {"type":"status",
//        "status":...}, {"type":"up"}, {"type":"hangup"}, {"type":"error","error":...},
//        {"type":"gone","reason":...} (the session is over: watch again)
//   POST /webrtc/start   {"id": ID, "sdp": ANSWER}    -> 200 {}
//   POST /webrtc/trickle {"id": ID, "candidate": {"candidate", "sdpMid", "sdpMLineIndex"}}
//                        or {"id": ID, "completed": true}
//   POST /webrtc/hangup  {"id": ID}
//
// A bad body is 400, an unknown id or channel 404, too many sessions 429 (per listener
// address) or 503 (in all, or while no Janus runs); every refusal is counted. A session
// nobody asks about for `idleTimeout` is closed (reaped).
//
// Thread contract: the control (Qt main) thread.
#pragma once

#include "webrtc/JanusClient.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <initializer_list>
#include <memory>

namespace dragoman::webrtc {

class JanusBackend;

struct SignallingLimits {
    int maxSessions = 1000;
    int maxSessionsPerHost = 16;
    int maxQueuedEvents = 32;
    std::chrono::milliseconds idleTimeout{20000};
};

class Signalling : public QObject {
    Q_OBJECT

public:
    struct Reply {
        int status = 200;
        QJsonObject body;
    };
    struct Stats {
        quint64 watches = 0, starts = 0, trickles = 0, hangups = 0, badRequests = 0, notFound = 0,
                refused = 0, reaped = 0, failures = 0;
        int open = 0;
    };

    // The backends outlive the signalling.
    Signalling(QList<JanusBackend*> backends, SignallingLimits limits = {},
               QObject* parent = nullptr);
    ~Signalling() override;

    Reply watch(const QByteArray& body, const QHostAddress& peer);
    Reply events(const QString& id);
    Reply start(const QByteArray& body);
    Reply trickle(const QByteArray& body);
    Reply hangup(const QByteArray& body);
    Reply refuse(int status, const QString& message); // counted as a bad request

    Stats stats() const;
    // The listeners playing `channel` (its code) now: sessions whose media is up.
    int listeners(const QString& channel) const;
    // Sessions on `backend` ({sessions, listeners, channels: {CODE: listeners}}), for its entry
    // in /api/state's "webrtc".servers.
    QJsonObject countsJson(const JanusBackend* backend) const;
    int listenersOn(const JanusBackend* backend) const;
    QJsonObject statusJson() const; // for /api/state's "webrtc"
    bool available() const;         // a Janus runs

private:
    struct Session;
    // The session a request body names by "id" (parsed into *request, only `allowed` keys),
    // its lastSeen renewed; null with the answer in *error (400 malformed, 404 unknown).
    Session* find(const QByteArray& body, std::initializer_list<const char*> allowed,
                  QJsonObject* request, Reply* error);
    void queue(Session& session, QJsonObject event);
    void end(const QString& id);
    void reap();
    void lose(JanusBackend* backend);
    JanusBackend* pick(const QString& code, qint64* mountpoint) const;
    std::shared_ptr<JanusSession> janusSession(JanusBackend* backend);

    QList<JanusBackend*> backends_;
    SignallingLimits limits_;
    QNetworkAccessManager network_;
    QHash<QString, std::shared_ptr<Session>> sessions_;
    QHash<JanusBackend*, std::shared_ptr<JanusSession>> janusSessions_; // one per backend
    QTimer reaper_;
    Stats stats_;
};

} // namespace dragoman::webrtc

// One Janus session (HTTP JSON API) shared by the listeners' handles on one Janus (JanusClient.h):
// one long poll per Janus however many listeners it has, since an HTTP client keeps only a few
// connections to one server (Qt: 6) and a long poll holds one for up to 30 s. The session is
// created on the first request; its long poll (GET /janus/SESSION, which Janus also takes as
// the session's keep-alive) runs until it is destroyed and hands every event to the handle
// that sent it ("sender").
//
// failed() says the whole session is gone (Janus restarted, refused, unreachable); it is dead
// then, and a new one is needed.
//
// Thread contract: the control (Qt main) thread.
#pragma once

#include "webrtc/JanusBackend.h"

#include <QHash>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <functional>

class QNetworkReply;

namespace dragoman::webrtc {

class JanusSession : public QObject {
    Q_OBJECT

public:
    using Handler = std::function<void(const QJsonObject&)>;
    using Failure = std::function<void(const QString&)>;
    using Route = std::function<void(const QJsonObject&)>;

    JanusSession(QNetworkAccessManager& network, QUrl api, JanusAuth auth,
                 QObject* parent = nullptr);
    ~JanusSession() override; // destroys the Janus session (fire and forget)

    // Runs `then` once the session exists (at once when it does); never when it fails.
    void whenReady(std::function<void()> then);
    // POSTs `body` (transaction and credentials added) to the session, or to one of its
    // handles with `handle` != 0; onSuccess gets the answer, onFailure the reason (a Janus
    // error or a failed request). Either may be empty.
    void post(qint64 handle, QJsonObject body, Handler onSuccess, Failure onFailure);
    // Events whose "sender" is `handle` go to `route` until unroute().
    void route(qint64 handle, Route route) { routes_.insert(handle, std::move(route)); }
    void unroute(qint64 handle) { routes_.remove(handle); }
    bool dead() const { return dead_; }

Q_SIGNALS:
    void failed(const QString& reason);

private:
    void create();
    void poll();
    void fail(const QString& reason);

    QNetworkAccessManager& network_;
    QUrl api_;
    JanusAuth auth_;
    qint64 id_ = 0;
    bool creating_ = false;
    bool dead_ = false;
    QList<std::function<void()>> waiting_;
    QHash<qint64, Route> routes_;
    QPointer<QNetworkReply> poll_;
};

} // namespace dragoman::webrtc

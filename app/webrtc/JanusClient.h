// One Janus session with one streaming-plugin handle, over Janus's HTTP JSON API (every request
// carries the API secret and/or token): what a listener's WebRTC connection needs and nothing
// more. open() creates the session, attaches the streaming plugin and asks to watch one
// mountpoint; then a long poll (GET /janus/SESSION, which Janus also takes as the session's
// keep-alive) runs until close() and hands every event on.
//
//   watch(mountpoint)     -> event(): {"streaming":"event","result":{"status":"preparing"}}
//                            with the JSEP offer
//   start(answer)         -> event(): {"result":{"status":"starting"|"started"}}
//   trickle(candidate)    the browser's ICE candidates ({"completed":true} at the end)
//   close()               destroys the session (Janus hangs up the PeerConnection)
//
// failed() says the session is gone (Janus restarted, refused, or unreachable).
//
// Thread contract: the control (Qt main) thread.
#pragma once

#include "webrtc/JanusBackend.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <functional>

class QNetworkReply;

namespace dragoman::webrtc {

class JanusClient : public QObject {
    Q_OBJECT

public:
    JanusClient(QNetworkAccessManager& network, QUrl api, JanusAuth auth,
                QObject* parent = nullptr);
    ~JanusClient() override; // closes

    void open(qint64 mountpoint);
    void start(const QJsonObject& answer);
    void trickle(const QJsonObject& candidate); // a candidate, or {"completed": true}
    void close();

    bool isOpen() const { return handle_ != 0; }

Q_SIGNALS:
    // A plugin event (its "plugindata.data"), with the JSEP when one came ({} otherwise), or a
    // core event ("webrtcup", "hangup", "media") as {"janus": NAME, ...}.
    void event(const QJsonObject& data, const QJsonObject& jsep);
    void failed(const QString& reason);

private:
    using Handler = std::function<void(const QJsonObject&)>;
    void post(const QString& path, QJsonObject body, Handler onSuccess);
    void poll();
    void deliver(const QJsonObject& message);
    void fail(const QString& reason);
    void message(const QJsonObject& body, const QJsonObject& jsep = {});

    QNetworkAccessManager& network_;
    QUrl api_;
    JanusAuth auth_;
    qint64 session_ = 0;
    qint64 handle_ = 0;
    QPointer<QNetworkReply> poll_;
    bool closed_ = false;
    QList<std::function<void()>> pending_; // requests made before the handle was attached
};

} // namespace dragoman::webrtc

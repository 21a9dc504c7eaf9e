// One listener's streaming-plugin handle on a Janus session shared by every listener on that
// Janus (JanusSession.h), over Janus's HTTP JSON API: what a listener's WebRTC connection needs
// and nothing more. open() attaches the streaming plugin and asks to watch one mountpoint; the
// session's long poll hands on every event for this handle.
//
//   watch(mountpoint)     -> event(): {"streaming":"event","result":{"status":"preparing"}}
//                            with the JSEP offer
//   start(answer)         -> event(): {"result":{"status":"starting"|"started"}}
//   trickle(candidate)    the browser's ICE candidates ({"completed":true} at the end)
//   close()               detaches the handle (Janus hangs up the PeerConnection)
//
// failed() says the handle is gone (its session ended: Janus restarted, refused, or
// unreachable; or Janus refused one of its requests).
//
// Thread contract: the control (Qt main) thread.
#pragma once

#include "webrtc/JanusSession.h"

#include <QJsonObject>
#include <QObject>
#include <functional>
#include <memory>

namespace dragoman::webrtc {

class JanusClient : public QObject {
    Q_OBJECT

public:
    explicit JanusClient(std::shared_ptr<JanusSession> session, QObject* parent = nullptr);
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
    void deliver(const QJsonObject& message);
    void fail(const QString& reason);
    void send(QJsonObject body);
    void message(const QJsonObject& body, const QJsonObject& jsep = {});

    std::shared_ptr<JanusSession> session_;
    qint64 handle_ = 0;
    bool closed_ = false;
    QList<std::function<void()>> pending_; // requests made before the handle was attached
};

} // namespace dragoman::webrtc

#include "webrtc/JanusClient.h"

#include <QPointer>

namespace dragoman::webrtc {

JanusClient::JanusClient(std::shared_ptr<JanusSession> session, QObject* parent)
    : QObject(parent)
    , session_(std::move(session)) {
    connect(session_.get(), &JanusSession::failed, this, &JanusClient::fail);
}

JanusClient::~JanusClient() {
    close();
}

void JanusClient::open(qint64 mountpoint) {
    const QPointer<JanusClient> self(this);
    session_->whenReady([self, mountpoint] {
        if (!self || self->closed_)
            return;
        auto* session = self->session_.get(); // alive while its replies come
        session->post(
            0, {{"janus", "attach"}, {"plugin", "janus.plugin.streaming"}},
            [self, session, mountpoint](const QJsonObject& attached) {
                const auto handle = attached.value("data").toObject().value("id").toInteger();
                if (!self || self->closed_) { // closed while it was being attached
                    session->post(handle, {{"janus", "detach"}}, {}, {});
                    return;
                }
                self->handle_ = handle;
                self->session_->route(handle, [self](const QJsonObject& message) {
                    if (self)
                        self->deliver(message);
                });
                self->message({{"request", "watch"}, {"id", mountpoint}});
                for (const auto& request : std::exchange(self->pending_, {}))
                    request();
            },
            [self](const QString& reason) {
                if (self)
                    self->fail(reason);
            });
    });
}

void JanusClient::send(QJsonObject body) {
    const QPointer<JanusClient> self(this);
    session_->post(handle_, std::move(body), {}, [self](const QString& reason) {
        if (self)
            self->fail(reason);
    });
}

void JanusClient::message(const QJsonObject& body, const QJsonObject& jsep) {
    QJsonObject request{{"janus", "message"}, {"body", body}};
    if (!jsep.isEmpty())
        request.insert("jsep", jsep);
    send(request);
}

void JanusClient::start(const QJsonObject& answer) {
    if (closed_)
        return;
    if (!handle_) {
        pending_.append([this, answer] { start(answer); });
        return;
    }
    message({{"request", "start"}}, answer);
}

void JanusClient::trickle(const QJsonObject& candidate) {
    if (closed_)
        return;
    if (!handle_) {
        pending_.append([this, candidate] { trickle(candidate); });
        return;
    }
    send({{"janus", "trickle"}, {"candidate", candidate}});
}

void JanusClient::deliver(const QJsonObject& message) {
    const auto kind = message.value("janus").toString();
    if (kind == QStringLiteral("keepalive") || kind == QStringLiteral("detached"))
        return;
    if (kind == QStringLiteral("event")) {
        Q_EMIT event(message.value("plugindata").toObject().value("data").toObject(),
                     message.value("jsep").toObject());
        return;
    }
    if (kind == QStringLiteral("error")) {
        fail(message.value("error").toObject().value("reason").toString());
        return;
    }
    QJsonObject core{{"janus", kind}};
    if (message.contains("reason"))
        core.insert("reason", message.value("reason"));
    Q_EMIT event(core, {});
}

void JanusClient::fail(const QString& reason) {
    if (closed_)
        return;
    closed_ = true;
    pending_.clear();
    if (handle_)
        session_->unroute(handle_);
    Q_EMIT failed(reason);
}

void JanusClient::close() {
    const bool wasClosed = closed_;
    closed_ = true;
    pending_.clear();
    if (!handle_)
        return;
    session_->unroute(handle_);
    if (!wasClosed && !session_->dead()) // Janus hangs up the PeerConnection
        session_->post(handle_, {{"janus", "detach"}}, {}, {});
    handle_ = 0;
}

} // namespace dragoman::webrtc

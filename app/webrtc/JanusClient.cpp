#include "webrtc/JanusClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

namespace dragoman::webrtc {

namespace {

QString transaction() {
    static quint64 next = 0;
    return QStringLiteral("dragoman-%1").arg(++next);
}

} // namespace

JanusClient::JanusClient(QNetworkAccessManager& network, QUrl api, JanusAuth auth,
                         QObject* parent)
    : QObject(parent)
    , network_(network)
    , api_(std::move(api))
    , auth_(std::move(auth)) {
}

JanusClient::~JanusClient() {
    close();
}

void JanusClient::post(const QString& path, QJsonObject body, Handler onSuccess) {
    body.insert("transaction", transaction());
    auth_.addTo(body);
    QNetworkRequest request(QUrl(api_.toString() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setTransferTimeout(5000);
    auto* reply = network_.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [this, reply, onSuccess] {
        reply->deleteLater();
        const auto answer = QJsonDocument::fromJson(reply->readAll()).object();
        const auto kind = answer.value("janus").toString();
        if (reply->error() != QNetworkReply::NoError || kind == QStringLiteral("error")) {
            fail(answer.value("error").toObject().value("reason").toString(reply->errorString()));
            return;
        }
        if (onSuccess)
            onSuccess(answer);
    });
}

void JanusClient::open(qint64 mountpoint) {
    post({}, {{"janus", "create"}}, [this, mountpoint](const QJsonObject& created) {
        session_ = created.value("data").toObject().value("id").toInteger();
        if (closed_) { // closed while it was being made
            post("/" + QString::number(session_), {{"janus", "destroy"}}, {});
            return;
        }
        poll();
        post("/" + QString::number(session_),
             {{"janus", "attach"}, {"plugin", "janus.plugin.streaming"}},
             [this, mountpoint](const QJsonObject& attached) {
                 handle_ = attached.value("data").toObject().value("id").toInteger();
                 message({{"request", "watch"}, {"id", mountpoint}});
                 for (const auto& request : std::exchange(pending_, {}))
                     request();
             });
    });
}

void JanusClient::message(const QJsonObject& body, const QJsonObject& jsep) {
    QJsonObject request{{"janus", "message"}, {"body", body}};
    if (!jsep.isEmpty())
        request.insert("jsep", jsep);
    post(QStringLiteral("/%1/%2").arg(session_).arg(handle_), request, {});
}

void JanusClient::start(const QJsonObject& answer) {
    if (!handle_) {
        pending_.append([this, answer] { start(answer); });
        return;
    }
    message({{"request", "start"}}, answer);
}

void JanusClient::trickle(const QJsonObject& candidate) {
    if (!handle_) {
        pending_.append([this, candidate] { trickle(candidate); });
        return;
    }
    post(QStringLiteral("/%1/%2").arg(session_).arg(handle_),
         {{"janus", "trickle"}, {"candidate", candidate}}, {});
}

void JanusClient::poll() {
    if (closed_ || !session_)
        return;
    QUrl url(api_.toString() + "/" + QString::number(session_));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("maxev"), QStringLiteral("10"));
    auth_.addTo(query);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(45000); // Janus answers an empty long poll after 30 s
    poll_ = network_.get(request);
    connect(poll_, &QNetworkReply::finished, this, [this, reply = poll_.data()] {
        reply->deleteLater();
        if (closed_)
            return;
        if (reply->error() != QNetworkReply::NoError) {
            fail(QStringLiteral("Janus: ") + reply->errorString());
            return;
        }
        const auto document = QJsonDocument::fromJson(reply->readAll());
        if (document.isArray())
            for (const auto& message : document.array())
                deliver(message.toObject());
        else
            deliver(document.object());
        poll();
    });
}

void JanusClient::deliver(const QJsonObject& message) {
    const auto kind = message.value("janus").toString();
    if (kind == QStringLiteral("keepalive"))
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
    if (poll_)
        poll_->abort();
    Q_EMIT failed(reason);
}

void JanusClient::close() {
    if (closed_ && !session_)
        return;
    const bool wasClosed = closed_;
    closed_ = true;
    if (poll_)
        poll_->abort();
    if (session_ && !wasClosed) {
        // Fire and forget: the reply is parented to the network manager, not to this client.
        QJsonObject body{{"janus", "destroy"}, {"transaction", transaction()}};
        auth_.addTo(body);
        QNetworkRequest request(QUrl(api_.toString() + "/" + QString::number(session_)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        request.setTransferTimeout(2000);
        auto* reply = network_.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    }
    session_ = 0;
    handle_ = 0;
}

} // namespace dragoman::webrtc

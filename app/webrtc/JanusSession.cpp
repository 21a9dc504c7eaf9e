#include "webrtc/JanusSession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace dragoman::webrtc {

namespace {

QString transaction() {
    static quint64 next = 0;
    return QStringLiteral("dragoman-%1").arg(++next);
}

} // namespace

JanusSession::JanusSession(QNetworkAccessManager& network, QUrl api, JanusAuth auth,
                           QObject* parent)
    : QObject(parent)
    , network_(network)
    , api_(std::move(api))
    , auth_(std::move(auth)) {
}

JanusSession::~JanusSession() {
    dead_ = true;
    if (poll_)
        poll_->abort();
    if (!id_)
        return;
    // Fire and forget: the reply is parented to the network manager, not to this session.
    QJsonObject body{{"janus", "destroy"}, {"transaction", transaction()}};
    auth_.addTo(body);
    QNetworkRequest request(QUrl(api_.toString() + "/" + QString::number(id_)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setTransferTimeout(2000);
    auto* reply = network_.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
}

void JanusSession::whenReady(std::function<void()> then) {
    if (dead_)
        return;
    if (id_) {
        then();
        return;
    }
    waiting_.append(std::move(then));
    if (!creating_)
        create();
}

void JanusSession::create() {
    creating_ = true;
    post(
        0, {{"janus", "create"}},
        [this](const QJsonObject& created) {
            creating_ = false;
            id_ = created.value("data").toObject().value("id").toInteger();
            poll();
            for (const auto& then : std::exchange(waiting_, {}))
                then();
        },
        [this](const QString& reason) { fail(reason); });
}

void JanusSession::post(qint64 handle, QJsonObject body, Handler onSuccess, Failure onFailure) {
    body.insert("transaction", transaction());
    auth_.addTo(body);
    QString path = api_.toString();
    if (id_)
        path += "/" + QString::number(id_);
    if (handle)
        path += "/" + QString::number(handle);
    QNetworkRequest request{QUrl(path)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setTransferTimeout(5000);
    auto* reply = network_.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [reply, onSuccess, onFailure] {
        reply->deleteLater();
        const auto answer = QJsonDocument::fromJson(reply->readAll()).object();
        if (reply->error() != QNetworkReply::NoError ||
            answer.value("janus").toString() == QStringLiteral("error")) {
            if (onFailure)
                onFailure(answer.value("error").toObject().value("reason").toString(
                    reply->errorString()));
            return;
        }
        if (onSuccess)
            onSuccess(answer);
    });
}

void JanusSession::poll() {
    if (dead_ || !id_)
        return;
    QUrl url(api_.toString() + "/" + QString::number(id_));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("maxev"), QStringLiteral("50"));
    auth_.addTo(query);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(45000); // Janus answers an empty long poll after 30 s
    poll_ = network_.get(request);
    connect(poll_, &QNetworkReply::finished, this, [this, reply = poll_.data()] {
        reply->deleteLater();
        if (dead_)
            return;
        const QPointer<JanusSession> self(this);
        if (reply->error() != QNetworkReply::NoError) {
            fail(QStringLiteral("Janus: ") + reply->errorString());
            return;
        }
        const auto document = QJsonDocument::fromJson(reply->readAll());
        QJsonArray messages = document.isArray() ? document.array() : QJsonArray{document.object()};
        for (const auto& value : messages) {
            const auto message = value.toObject();
            if (message.value("janus").toString() == QStringLiteral("error") &&
                !message.contains("sender")) {
                fail(message.value("error").toObject().value("reason").toString());
                return;
            }
            const auto route = routes_.value(message.value("sender").toInteger());
            if (route)
                route(message);
            if (!self || dead_)
                return;
        }
        poll();
    });
}

void JanusSession::fail(const QString& reason) {
    if (dead_)
        return;
    dead_ = true;
    creating_ = false;
    waiting_.clear();
    if (poll_)
        poll_->abort();
    Q_EMIT failed(reason);
}

} // namespace dragoman::webrtc

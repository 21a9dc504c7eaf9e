#include "listener/RouterClient.h"

#include "control/StrictJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

namespace dragoman::ui {

QVector<ChannelInfo> parseChannelList(const QByteArray& json, QString* error) {
    const auto refuse = [error](const QString& why) {
        if (error)
            *error = QStringLiteral("not a Dragoman channel list: ") + why;
        return QVector<ChannelInfo>{};
    };
    if (json.size() > kMaxChannelListBytes)
        return refuse(QStringLiteral("over %1 bytes").arg(kMaxChannelListBytes));
    // Bounded before Qt builds anything: names of 200 characters, 8 levels, 20,000 values.
    if (const QString problem = control::strictJsonProblem(json, {8, 200, 20000});
        !problem.isEmpty())
        return refuse(problem);
    QJsonParseError parseError;
    const auto document = QJsonDocument::fromJson(json, &parseError);
    const auto list = document.object().value(QStringLiteral("channels"));
    if (parseError.error != QJsonParseError::NoError || !list.isArray()) {
        if (error)
            *error = QStringLiteral("not a Dragoman channel list");
        return {};
    }
    QVector<ChannelInfo> channels;
    if (list.toArray().size() > kMaxChannels)
        return refuse(QStringLiteral("more than %1 channels").arg(kMaxChannels));
    for (const auto& value : list.toArray()) {
        const auto o = value.toObject();
        ChannelInfo c;
        c.code = o.value(QStringLiteral("code")).toString();
        if (c.code.isEmpty())
            continue;
        c.name = o.value(QStringLiteral("name")).toString();
        c.nativeName = o.value(QStringLiteral("nativeName")).toString();
        c.live = o.value(QStringLiteral("live")).toBool();
        c.tag = o.value(QStringLiteral("tag")).toString();
        c.listeners = o.value(QStringLiteral("listeners")).toInt();
        const int port = o.value(QStringLiteral("rtpSourcePort")).toInt();
        c.rtpSourcePort = port > 0 && port < 65535 ? static_cast<quint16>(port) : 0;
        channels.append(c);
    }
    return channels;
}

RouterClient::RouterClient(QObject* parent)
    : QObject(parent) {
    network_.setTransferTimeout(5000);
}

bool RouterClient::setRouter(const QUrl& url) {
    if (!url.isValid() || url.scheme() != QStringLiteral("http") || url.host().isEmpty())
        return false;
    router_ = url;
    router_.setPath(QString());
    router_.setQuery(QString());
    return true;
}

// A reply larger than `limit` is cut off (a router is trusted with no more memory than that).
void RouterClient::bound(QNetworkReply* reply, qint64 limit) {
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply, limit](qint64 received) {
        if (received > limit)
            reply->abort();
    });
}

void RouterClient::refreshChannels() {
    QUrl url = router_;
    url.setPath(QStringLiteral("/channels.json"));
    auto* reply = network_.get(QNetworkRequest(url));
    bound(reply, kMaxChannelListBytes);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() == QNetworkReply::OperationCanceledError) {
            Q_EMIT channelsFailed(
                QStringLiteral("the channel list is over %1 bytes").arg(kMaxChannelListBytes));
            return;
        }
        if (reply->error() != QNetworkReply::NoError) {
            Q_EMIT channelsFailed(reply->errorString());
            return;
        }
        QString error;
        const auto channels = parseChannelList(reply->readAll(), &error);
        if (!error.isEmpty())
            Q_EMIT channelsFailed(error);
        else
            Q_EMIT channelsReceived(channels);
    });
}

void RouterClient::subscribe(const QString& code, quint16 port) {
    QUrl url = router_;
    url.setPath(QStringLiteral("/sdp/%1.sdp").arg(code));
    url.setQuery(QUrlQuery{{QStringLiteral("port"), QString::number(port)}});
    auto* reply = network_.get(QNetworkRequest(url));
    bound(reply, kMaxSdpBytes);
    connect(reply, &QNetworkReply::finished, this, [this, reply, code, port] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status != 200) {
            // The router's reason, shown to the listener: one short line at most.
            QString body = QString::fromUtf8(reply->read(kMaxSdpBytes)).trimmed();
            body = body.left(body.indexOf('\n') < 0 ? 200
                                                    : std::min<qsizetype>(body.indexOf('\n'), 200));
            Q_EMIT subscribeFailed(code, body.isEmpty() ? reply->errorString() : body);
            return;
        }
        Q_EMIT subscribed(code, port);
    });
}

} // namespace dragoman::ui

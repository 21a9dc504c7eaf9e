// One Janus that carries the venue's channels for WebRTC listeners, as the signalling sees it:
// the private Janus (JanusProcess.h) or a Janus on another machine (JanusServer.h). The
// signalling sends a new listener to a live backend and ends the sessions of one that is lost.
//
//   live()            its API answers and every channel's mountpoint is in place
//   hasChannel(c)     the venue has channel code c (its mountpoint is planned here)
//   mountpointId(c)   the streaming plugin's mountpoint for channel code c (0: not in place)
//   lost()            it went away (killed, restarted, unreachable): its sessions are over
//   changed()         live() may have changed
//
// Thread contract: the control (Qt main) thread.
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

namespace dragoman::webrtc {

// What every request to one Janus carries: its API secret and/or a stored token.
struct JanusAuth {
    QString apiSecret;
    QString token;

    void addTo(QJsonObject& body) const {
        if (!apiSecret.isEmpty())
            body.insert("apisecret", apiSecret);
        if (!token.isEmpty())
            body.insert("token", token);
    }
    void addTo(QUrlQuery& query) const {
        if (!apiSecret.isEmpty())
            query.addQueryItem(QStringLiteral("apisecret"), apiSecret);
        if (!token.isEmpty())
            query.addQueryItem(QStringLiteral("token"), token);
    }
};

class JanusBackend : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    virtual QString name() const = 0; // "private", or the venue's name for the server
    virtual QUrl apiUrl() const = 0;
    virtual JanusAuth auth() const = 0;
    virtual bool live() const = 0;
    virtual bool hasChannel(const QString& code) const = 0;
    virtual qint64 mountpointId(const QString& code) const = 0;
    virtual QString stateText() const = 0; // "running", "down", …
    // For /api/state's "webrtc".servers[]: {name, api, state, …} (the signalling adds counts).
    virtual QJsonObject statusJson() const = 0;

Q_SIGNALS:
    void lost();
    void changed();
};

} // namespace dragoman::webrtc

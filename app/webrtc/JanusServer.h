// A Janus on another machine (the venue's webrtc.servers[]), kept carrying the venue's
// channels: Dragoman holds one session of its own there with the streaming plugin attached,
// and through it creates one RTP mountpoint per channel (id, port and a random secret from
// JanusMountpoints::external; public, so the server's `list` shows them; never permanent).
//
//   start()      connecting: create a session, attach the streaming plugin, then a check
//   every check  (1 s) `info` with the secret on each mountpoint: a missing one is created
//                again, a present one gives its viewer count. "live" once every mountpoint is
//                in place (one of a previous run of Dragoman, with the same description but a
//                secret this run does not know, is used as it is: "adopted")
//   the session  a long poll on it is its keep-alive; when it fails, or a request fails or
//                times out (2 s), the server is "down": lost() is emitted, and a new session is
//                tried every `retryMs` until the server answers again, where every mountpoint is
//                checked and made again (a restarted Janus has none)
//
// The RTP itself is sent by the router's RTP sender to rtpAddress:port (Router.cpp).
//
// Thread contract: the control (Qt main) thread.
#pragma once

#include "webrtc/JanusBackend.h"
#include "webrtc/JanusMountpoints.h"

#include <QElapsedTimer>
#include <QHash>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QTimer>
#include <functional>

class QNetworkReply;

namespace dragoman::webrtc {

struct JanusServerSettings {
    QString name;
    QUrl api;
    JanusAuth auth;
    QString adminKey;   // the streaming plugin's admin_key ("" when it has none)
    QString rtpAddress; // where Dragoman sends the RTP; a multicast group is joined ("mcast")
    int checkMs = 1000;
    int retryMs = 500;
};

class JanusServer : public JanusBackend {
    Q_OBJECT

public:
    enum class State { Connecting, Preparing, Live, Down };

    JanusServer(JanusServerSettings settings, JanusMountpoints mountpoints,
                QObject* parent = nullptr);
    ~JanusServer() override; // stops

    void start();
    // Destroys its mountpoints (with their secrets) and its session, waiting up to a second for
    // the answers; the server is "down" then.
    void stop();
    State state() const { return state_; }
    const JanusMountpoints& mountpoints() const { return mountpoints_; }
    const JanusServerSettings& settings() const { return settings_; }

    QString name() const override { return settings_.name; }
    QUrl apiUrl() const override { return settings_.api; }
    JanusAuth auth() const override { return settings_.auth; }
    bool live() const override { return state_ == State::Live; }
    bool hasChannel(const QString& code) const override {
        return mountpoints_.byCode(code) != nullptr;
    }
    qint64 mountpointId(const QString& code) const override;
    QString stateText() const override;
    // {name, api, state, rtpAddress, losses, lastProblem, mountpoints: [{channel, id, rtpPort,
    // viewers, adopted}]}
    QJsonObject statusJson() const override;

private:
    struct Place {
        bool present = false;
        bool adopted = false;
        bool creating = false;
        int viewers = 0;
    };
    using Handler = std::function<void(const QJsonObject&)>;

    void connectNow();
    void poll();
    void check();
    void checkOne(const Mountpoint& m);
    void create(const Mountpoint& m);
    void settle();
    void goDown(const QString& reason);
    // A request to the API (its transaction and credentials added), answered within timeoutMs.
    QNetworkReply* request(const QString& path, QJsonObject body, int timeoutMs);
    void post(const QString& path, QJsonObject body, Handler onSuccess);
    void message(const QJsonObject& body, Handler onData); // a synchronous plugin request
    void problem(const QString& text);

    JanusServerSettings settings_;
    JanusMountpoints mountpoints_;
    QNetworkAccessManager network_;
    QTimer check_;
    QTimer retry_;
    State state_ = State::Connecting;
    quint64 generation_ = 0; // a new one per session: replies for an older one are dropped
    qint64 session_ = 0;
    qint64 handle_ = 0;
    QPointer<QNetworkReply> poll_;
    QHash<qint64, Place> places_; // by mountpoint id
    int losses_ = 0;
    QString lastProblem_;
};

const char* toString(JanusServer::State state);

} // namespace dragoman::webrtc

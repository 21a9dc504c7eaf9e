// What listeners' players need from Dragoman, and nothing else: a read-only HTTP server that
// is safe to open to the venue network (it has no write endpoint and no engine control).
//
//   GET /                         the listeners' web page: tap a channel, hear it (phones,
//                                 laptops; it plays the live Ogg streams)
//   GET /channels.json            every channel: code, names, live state, quality tag,
//                                 RTP sender port, SDP URL, listener count
//   GET /sdp/{code}.sdp?port=N    subscribes the caller's address at port N (RTCP at N + 1)
//                                 for the channel and answers the SDP a plain RTP player
//                                 (ffmpeg, GStreamer) opens to hear it; the subscription
//                                 lives 60 s unless RTCP receiver reports or a repeated
//                                 request renew it
//   /webrtc/...                   WebRTC signalling relayed to Janus, with --webrtc
//                                 (webrtc/Signalling.h: a listener can only watch)
//
// With a certificate (settings.tls) the port answers HTTPS too, on the same port: the first
// byte of a connection tells a TLS handshake from an HTTP request (control/GuardedTcpServer.h,
// TlsMode::Both). Every path is the same over both.
//
// Thread contract: the control (Qt main) thread.
#pragma once

#include "control/EngineController.h"
#include "control/GuardedTcpServer.h"
#include "stream/RtpSender.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QJsonObject>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <functional>
#include <optional>

namespace dragoman::webrtc {
class Signalling;
}

namespace dragoman::listeners {

class StreamServer;

struct ListenerSettings {
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8480; // 0: any free port (see port())
    QByteArray page;     // the listeners' web page served at "/" (resources/web/listen.html)
    std::optional<QSslConfiguration> tls; // HTTPS beside HTTP, with this certificate and key
};

class ListenerServer : public QObject {
    Q_OBJECT

public:
    ListenerServer(control::EngineController& controller, stream::RtpSender& rtp,
                   ListenerSettings settings, QObject* parent = nullptr);

    bool listen(QString* error = nullptr);
    quint16 port() const { return port_; }
    bool servesTls() const { return settings_.tls.has_value(); }
    // For /api/state's "listeners": this server's connections (GuardedTcpServer.h) and the live
    // streams' counters (StreamServer.h).
    QJsonObject statusJson() const;

    // The live Ogg streams, when they run: their URLs and listeners join the channel list.
    void setStreams(const StreamServer* streams) { streams_ = streams; }
    // WebRTC through Janus, when it runs: /webrtc/... answers, /channels.json says "webrtc".
    void setWebRtc(webrtc::Signalling* signalling) { webrtc_ = signalling; }
    // The listeners of a channel on every path (the router counts them), for /channels.json.
    void setListenerCount(std::function<int(int)> count) { listenerCount_ = std::move(count); }

private:
    QHttpServerResponse channels();
    QHttpServerResponse sdp(const QString& file, const QHttpServerRequest& request);
    void routeWebRtc();

    control::EngineController& controller_;
    stream::RtpSender& rtp_;
    const StreamServer* streams_ = nullptr;
    webrtc::Signalling* webrtc_ = nullptr;
    std::function<int(int)> listenerCount_;
    ListenerSettings settings_;
    QHttpServer http_;
    control::GuardedTcpServer* tcp_ = nullptr; // owned by http_ once bound
    quint16 port_ = 0;
};

} // namespace dragoman::listeners

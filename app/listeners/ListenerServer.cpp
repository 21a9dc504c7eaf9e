#include "listeners/ListenerServer.h"

#include "control/GuardedTcpServer.h"
#include "core/RoutingState.h"
#include "listeners/RtpSenderJson.h"
#include "listeners/StreamServer.h"
#include "stream/Sdp.h"
#include "webrtc/Signalling.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>
#include <memory>

namespace dragoman::listeners {

namespace {

using Status = QHttpServerResponse::StatusCode;

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QHttpServerResponse error(Status status, const QString& message) {
    return QHttpServerResponse(QJsonObject{{"error", message}}, status);
}

} // namespace

ListenerServer::ListenerServer(control::EngineController& controller, stream::RtpSender& rtp,
                               ListenerSettings settings, QObject* parent)
    : QObject(parent)
    , controller_(controller)
    , rtp_(rtp)
    , settings_(std::move(settings)) {
    http_.route("/", QHttpServerRequest::Method::Get, [this] {
        if (settings_.page.isEmpty())
            return error(Status::NotFound, QStringLiteral("no listeners' page is installed; "
                                                          "see /channels.json"));
        QHttpServerResponse page("text/html; charset=utf-8", settings_.page);
        page.setHeader("Cache-Control", "no-cache");
        return page;
    });
    http_.route("/channels.json", QHttpServerRequest::Method::Get, [this] { return channels(); });
    http_.route("/sdp/<arg>", QHttpServerRequest::Method::Get,
                [this](const QString& file, const QHttpServerRequest& request) {
                    return sdp(file, request);
                });
    routeWebRtc();
}

// The signalling's answers as HTTP; 404 for everything when WebRTC does not run. Any other
// path or method under /webrtc/ is the HTTP server's own 404 (or 405).
void ListenerServer::routeWebRtc() {
    const auto answer = [](const webrtc::Signalling::Reply& reply) {
        QHttpServerResponse response(reply.body, static_cast<Status>(reply.status));
        response.setHeader("Cache-Control", "no-store");
        return response;
    };
    const auto post = [this, answer](const char* path, auto call) {
        http_.route(path, QHttpServerRequest::Method::Post,
                    [this, answer, call](const QHttpServerRequest& request) {
                        if (!webrtc_)
                            return error(Status::NotFound, QStringLiteral("no WebRTC here"));
                        return answer(call(*webrtc_, request));
                    });
    };
    post("/webrtc/watch", [](webrtc::Signalling& s, const QHttpServerRequest& r) {
        return s.watch(r.body(), r.remoteAddress());
    });
    post("/webrtc/start",
         [](webrtc::Signalling& s, const QHttpServerRequest& r) { return s.start(r.body()); });
    post("/webrtc/trickle",
         [](webrtc::Signalling& s, const QHttpServerRequest& r) { return s.trickle(r.body()); });
    post("/webrtc/hangup",
         [](webrtc::Signalling& s, const QHttpServerRequest& r) { return s.hangup(r.body()); });
    http_.route("/webrtc/events", QHttpServerRequest::Method::Get,
                [this, answer](const QHttpServerRequest& request) {
                    if (!webrtc_)
                        return error(Status::NotFound, QStringLiteral("no WebRTC here"));
                    return answer(webrtc_->events(
                        QUrlQuery(request.url()).queryItemValue(QStringLiteral("id"))));
                });
}

bool ListenerServer::listen(QString* problem) {
    auto tcp = std::make_unique<control::GuardedTcpServer>();
    if (settings_.tls)
        tcp->setTls(control::TlsMode::Both, *settings_.tls);
    if (!tcp->listen(settings_.address, settings_.port)) {
        if (problem)
            *problem = QStringLiteral("cannot listen on %1:%2: %3")
                           .arg(settings_.address.toString())
                           .arg(settings_.port)
                           .arg(tcp->errorString());
        return false;
    }
    port_ = tcp->serverPort();
    tcp_ = tcp.release();
    http_.bind(tcp_); // the HTTP server takes it over (as a child)
    return true;
}

QJsonObject ListenerServer::statusJson() const {
    QJsonObject status{{"http", control::connectionStatsJson(
                                    tcp_ ? tcp_->stats() : control::GuardedTcpServer::Stats{})},
                       {"rtp", rtpSenderJson(rtp_.stats())}};
    if (streams_) {
        const auto s = streams_->stats();
        const auto n = [](quint64 v) { return static_cast<qint64>(v); };
        status.insert("streams", QJsonObject{{"served", n(s.served)},
                                             {"badRequests", n(s.badRequests)},
                                             {"notFound", n(s.notFound)},
                                             {"slowDropped", n(s.slowDropped)},
                                             {"busy", n(s.busy)},
                                             {"trims", n(s.trims)}});
    }
    return status;
}

QHttpServerResponse ListenerServer::channels() {
    const auto& venue = controller_.venue();
    const auto& routing = controller_.routing();
    const auto* streams = streams_;
    QJsonArray list;
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        const auto& channel = venue.channels[c];
        const auto& state = routing.channels[c];
        const auto code = QString::fromStdString(channel.code);
        list.append(QJsonObject{
            {"code", code},
            {"name", QString::fromStdString(channel.name)},
            {"nativeName", QString::fromStdString(channel.nativeName)},
            {"live", state.sourceDesk >= 0},
            {"tag", text(core::toString(state.tag))},
            {"rtpSourcePort", rtp_.rtpPort()},
            {"sdp", "/sdp/" + code + ".sdp?port=PORT"},
            {"rtp",
             channel.rtp.configured()
                 ? QJsonValue(QJsonObject{{"address", QString::fromStdString(channel.rtp.address)},
                                          {"port", channel.rtp.port},
                                          {"sdp", "/sdp/" + code + ".sdp"}})
                 : QJsonValue()},
            {"stream", streams ? QJsonValue(streams->url(code)) : QJsonValue()},
            {"listeners", listenerCount_ ? listenerCount_(static_cast<int>(c)) : 0},
        });
    }
    return QHttpServerResponse(
        QJsonObject{{"venue", QString::fromStdString(venue.name)},
                    {"webrtc", webrtc_ ? QJsonValue(QStringLiteral("/webrtc/")) : QJsonValue()},
                    {"channels", list}});
}

QHttpServerResponse ListenerServer::sdp(const QString& file, const QHttpServerRequest& request) {
    if (!file.endsWith(QStringLiteral(".sdp")))
        return error(Status::NotFound, QStringLiteral("ask for /sdp/CODE.sdp?port=N"));
    const auto& venue = controller_.venue();
    const auto index = venue.channelIndex(file.chopped(4).toStdString());
    if (!index)
        return error(Status::NotFound, QStringLiteral("no channel %1").arg(file.chopped(4)));
    const auto& channel = venue.channels[static_cast<std::size_t>(*index)];
    stream::SdpChannel description{channel.name, channel.nativeName, channel.code,
                                   channel.opus.frameMs, channel.opus.fec};
    stream::SdpDestination destination;
    destination.origin = settings_.address.toString().toStdString();
    const QUrlQuery query(request.url());
    if (!query.hasQueryItem(QStringLiteral("port"))) {
        // The venue's fixed destination (a multicast group, or a receiver on the venue network).
        if (!channel.rtp.configured())
            return error(Status::NotFound,
                         QStringLiteral("channel %1 has no fixed RTP destination; ask for "
                                        "/sdp/%1.sdp?port=N to have it sent to you at port N")
                             .arg(QString::fromStdString(channel.code)));
        destination.address = channel.rtp.address;
        destination.port = static_cast<std::uint16_t>(channel.rtp.port);
        destination.multicastTtl = channel.rtp.ttl;
        return QHttpServerResponse("application/sdp", QByteArray::fromStdString(stream::makeSdp(
                                                          description, destination)));
    }
    bool ok = false;
    const uint port = query.queryItemValue(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port < 1024 || port > 65534 || port % 2 != 0)
        return error(Status::BadRequest,
                     QStringLiteral("port=N wants the even UDP port your player listens on "
                                    "(1024-65534; RTCP goes to N + 1)"));
    const QHostAddress caller(request.remoteAddress().toIPv4Address());
    const auto endpoint =
        stream::Endpoint::parse(caller.toString().toStdString(), static_cast<std::uint16_t>(port));
    if (!endpoint || !rtp_.subscribe(*index, *endpoint))
        return error(Status::BadRequest, QStringLiteral("cannot send RTP to %1 (IPv4 only)")
                                             .arg(request.remoteAddress().toString()));
    destination.address = endpoint->addressText();
    destination.port = endpoint->port;
    QHttpServerResponse response(
        "application/sdp", QByteArray::fromStdString(stream::makeSdp(description, destination)));
    return response;
}

} // namespace dragoman::listeners

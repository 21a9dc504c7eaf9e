#include "webrtc/WebRtcService.h"

#include "venue/Venue.h"
#include "webrtc/JanusProcess.h"
#include "webrtc/JanusServer.h"

#include <QCoreApplication>
#include <QDir>
#include <QHostAddress>
#include <QJsonArray>
#include <QTcpServer>
#include <stdexcept>

namespace dragoman::webrtc {

namespace {

// The private Janus: its configuration under the runtime folder (secrets: 0700), a mountpoint
// per channel fed on loopback.
std::unique_ptr<JanusProcess> planPrivate(const venue::Venue& venue, const WebRtcOptions& options) {
    JanusConfig config;
    config.libFolder = findJanusLibFolder();
    if (config.libFolder.isEmpty())
        throw std::runtime_error("no Janus installation (plugins/libjanus_streaming.so) found; "
                                 "install the janus package");
    const QString runtime =
        options.runtimeFolder.isEmpty() ? QDir::tempPath() : options.runtimeFolder;
    config.folder =
        QStringLiteral("%1/dragoman-janus-%2").arg(runtime).arg(QCoreApplication::applicationPid());
    {
        QTcpServer probe; // a free loopback port for Janus's API, released for Janus
        if (!probe.listen(QHostAddress::LocalHost, 0))
            throw std::runtime_error("no free loopback port for Janus's API");
        config.apiPort = probe.serverPort();
    }
    config.apiSecret = randomSecret();
    config.adminKey = randomSecret();
    config.rtpPortMin = venue.webrtc.rtpPortMin;
    config.rtpPortMax = venue.webrtc.rtpPortMax;
    config.iceInterfaces = options.iceInterfaces;
    return std::make_unique<JanusProcess>(config, JanusMountpoints::plan(venue),
                                          options.janusProgram);
}

std::unique_ptr<JanusServer> planServer(const venue::Venue& venue,
                                        const venue::JanusServer& server) {
    JanusServerSettings settings;
    settings.api = QUrl(QString::fromStdString(server.api));
    settings.name = server.name.empty() ? settings.api.host() : QString::fromStdString(server.name);
    settings.auth = {QString::fromStdString(server.apiSecret),
                     QString::fromStdString(server.apiToken)};
    settings.adminKey = QString::fromStdString(server.adminKey);
    settings.rtpAddress = QString::fromStdString(server.rtpAddress);
    return std::make_unique<JanusServer>(
        settings, JanusMountpoints::external(venue, server.firstMountpointId, server.firstRtpPort));
}

} // namespace

WebRtcService::WebRtcService(const venue::Venue& venue, WebRtcOptions options, QObject* parent)
    : QObject(parent) {
    if (venue.webrtc.servers.empty()) {
        private_ = planPrivate(venue, options);
        backends_.append(private_.get());
    }
    for (const auto& server : venue.webrtc.servers) {
        servers_.push_back(planServer(venue, server));
        backends_.append(servers_.back().get());
    }
    SignallingLimits limits;
    limits.maxSessionsPerHost = venue.webrtc.sessionsPerAddress;
    signalling_ = std::make_unique<Signalling>(backends_, limits);
}

WebRtcService::~WebRtcService() {
    stop();
}

QList<WebRtcService::Feed> WebRtcService::feeds() const {
    QList<Feed> out;
    if (private_)
        for (const auto& m : private_->mountpoints().all())
            out.append({m.channel, 0x7f000001u, m.rtpPort});
    for (const auto& server : servers_) {
        const auto address = QHostAddress(server->settings().rtpAddress).toIPv4Address();
        for (const auto& m : server->mountpoints().all())
            out.append({m.channel, address, m.rtpPort});
    }
    return out;
}

void WebRtcService::start() {
    if (private_) {
        QString error;
        if (!private_->start(&error))
            throw std::runtime_error(error.toStdString());
    }
    for (const auto& server : servers_)
        server->start();
}

// The servers first: their stop() waits for Janus's answers in an event loop of its own, where
// the signalling and the counts must still answer.
void WebRtcService::stop() {
    for (const auto& server : servers_)
        server->stop();
    signalling_.reset();
    backends_.clear();
    if (private_) {
        private_->stop(); // by its process id: SIGTERM, SIGKILL after 2 s
        QDir(private_->config().folder).removeRecursively();
        private_.reset();
    }
    servers_.clear();
}

int WebRtcService::listeners(const QString& code) const {
    return signalling_ ? signalling_->listeners(code) : 0;
}

QJsonObject WebRtcService::statusJson() const {
    if (!signalling_)
        return {{"state", "stopped"}};
    QJsonObject status;
    if (private_) {
        status = private_->statusJson();
    } else {
        int live = 0;
        for (const auto& server : servers_)
            live += server->live() ? 1 : 0;
        status.insert("state", live > 0 ? "running" : "down");
        status.insert("live", live);
    }
    QJsonArray servers;
    for (const auto* backend : backends_) {
        auto entry = private_ && backend == private_.get()
                         ? QJsonObject{{"name", backend->name()},
                                       {"api", backend->apiUrl().toString()},
                                       {"state", backend->stateText()}}
                         : backend->statusJson();
        const auto counts = signalling_->countsJson(backend);
        for (auto it = counts.begin(); it != counts.end(); ++it)
            entry.insert(it.key(), it.value());
        servers.append(entry);
    }
    status.insert("servers", servers);
    status.insert("signalling", signalling_->statusJson());
    return status;
}

QString WebRtcService::summary(bool* healthy) const {
    *healthy = true;
    if (!signalling_)
        return QStringLiteral("off");
    int listeners = 0;
    for (const auto* backend : backends_)
        listeners += signalling_->listenersOn(backend);
    if (private_) {
        const auto state = private_->state();
        *healthy = state == JanusProcess::State::Running;
        QString text = private_->stateText();
        if (*healthy)
            text +=
                QStringLiteral(" · Janus %1 · %2 listeners").arg(private_->pid()).arg(listeners);
        if (private_->restarts() > 0)
            text += QStringLiteral(" · restarts: %1 (last: %2)")
                        .arg(private_->restarts())
                        .arg(private_->statusJson().value("lastExit").toString());
        return text;
    }
    int live = 0;
    QStringList each;
    for (const auto& server : servers_) {
        live += server->live() ? 1 : 0;
        each << QStringLiteral("%1 %2").arg(
            server->name(), server->live() ? QString::number(signalling_->listenersOn(server.get()))
                                           : server->stateText());
    }
    *healthy = live == static_cast<int>(servers_.size());
    return QStringLiteral("%1/%2 Janus up · %3 listeners (%4)")
        .arg(live)
        .arg(servers_.size())
        .arg(listeners)
        .arg(each.join(QStringLiteral(" · ")));
}

QStringList WebRtcService::bannerLines() const {
    QStringList lines;
    if (private_)
        lines << QStringLiteral("webrtc: private Janus (%1), API %2, config in %3")
                     .arg(private_->config().libFolder, private_->apiUrl().toString(),
                          private_->config().folder);
    for (const auto& server : servers_)
        lines << QStringLiteral("webrtc: Janus %1 at %2, RTP to %3 from port %4")
                     .arg(server->name(), server->apiUrl().toString(),
                          server->settings().rtpAddress)
                     .arg(server->mountpoints().all().isEmpty()
                              ? 0
                              : server->mountpoints().all().front().rtpPort);
    return lines;
}

} // namespace dragoman::webrtc

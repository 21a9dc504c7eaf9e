#include "control/GuardedTcpServer.h"

#include <QTcpSocket>
#include <algorithm>

namespace dragoman::control {

struct GuardedTcpServer::Watch {
    QHostAddress host;
    QByteArray head;     // the current request's head so far
    int headLines = 0;   // its complete lines
    qint64 bodyLeft = 0; // bytes of the current body still to come
    qint64 unread = 0;   // bytes the HTTP server left in the socket last time
    bool lateSlots = false;
    bool refused = false;
    QElapsedTimer headSince; // valid while a head is arriving
    QElapsedTimer lastHeard;
};

namespace {

// The value of header `name` (lower case) in a request head, or an empty array.
QByteArray headerValue(const QByteArray& head, const QByteArray& name) {
    for (const QByteArray& line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

// "METHOD /target HTTP/1.x" (RFC 9112 3): what any HTTP client sends first.
bool isRequestLine(const QByteArray& line) {
    const auto parts = line.trimmed().split(' ');
    if (parts.size() != 3 || parts[0].isEmpty() || !parts[1].startsWith('/') ||
        (parts[2] != "HTTP/1.0" && parts[2] != "HTTP/1.1"))
        return false;
    return std::all_of(parts[0].begin(), parts[0].end(),
                       [](char c) { return c >= 'A' && c <= 'Z'; });
}

} // namespace

GuardedTcpServer::GuardedTcpServer(HttpLimits limits, QObject* parent)
    : QTcpServer(parent)
    , limits_(limits) {
    // After the HTTP server's own newConnection slot (bind() connects it before this runs
    // only if bind() came first; attachLateSlots() copes with either order).
    connect(this, &QTcpServer::newConnection, this, &GuardedTcpServer::attachLateSlots,
            Qt::QueuedConnection);
    connect(&sweepTimer_, &QTimer::timeout, this, &GuardedTcpServer::sweep);
    sweepTimer_.start(250);
}

GuardedTcpServer::~GuardedTcpServer() {
    for (auto& [socket, watch] : watches_)
        QObject::disconnect(socket, nullptr, this, nullptr);
}

GuardedTcpServer::Stats GuardedTcpServer::stats() const {
    Stats s = stats_;
    s.open = static_cast<int>(watches_.size());
    return s;
}

void GuardedTcpServer::incomingConnection(qintptr handle) {
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    const QHostAddress host = socket->peerAddress();
    if (static_cast<int>(watches_.size()) >= limits_.maxConnections ||
        (!host.isLoopback() && perHost_.value(host) >= limits_.maxConnectionsPerHost)) {
        ++stats_.busy;
        socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                      "Content-Length: 22\r\nConnection: close\r\n\r\ntoo many connections\r\n");
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        return;
    }
    auto watch = std::make_unique<Watch>();
    watch->host = host;
    watch->lastHeard.start();
    ++perHost_[host];
    watches_.emplace(socket, std::move(watch));
    // Ahead of the HTTP server's slot, which is connected once it takes the connection.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { beforeHttp(socket); });
    connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] {
        if (const auto found = watches_.find(socket); found != watches_.end())
            found->second->lastHeard.start();
    });
    connect(socket, &QObject::destroyed, this, [this, socket] {
        const auto found = watches_.find(socket);
        if (found == watches_.end())
            return;
        if (--perHost_[found->second->host] <= 0)
            perHost_.remove(found->second->host);
        watches_.erase(found);
    });
    ++stats_.accepted;
    addPendingConnection(socket);
}

void GuardedTcpServer::attachLateSlots() {
    for (auto& [socket, watch] : watches_) {
        if (watch->lateSlots)
            continue;
        watch->lateSlots = true;
        connect(socket, &QTcpSocket::readyRead, this, [this, s = socket] { afterHttp(s); });
        afterHttp(socket);
    }
}

void GuardedTcpServer::afterHttp(QTcpSocket* socket) {
    if (const auto found = watches_.find(socket); found != watches_.end())
        found->second->unread = socket->bytesAvailable();
}

void GuardedTcpServer::beforeHttp(QTcpSocket* socket) {
    const auto found = watches_.find(socket);
    if (found == watches_.end())
        return;
    Watch& watch = *found->second;
    if (watch.refused) {
        socket->readAll(); // nothing more reaches the HTTP server
        return;
    }
    watch.lastHeard.start();
    const qint64 available = socket->bytesAvailable();
    const QByteArray fresh = socket->peek(available).mid(std::min(watch.unread, available));
    watch.unread = available; // until the HTTP server has read (afterHttp)
    qsizetype at = 0;
    while (at < fresh.size()) {
        if (watch.bodyLeft > 0) {
            const qsizetype take = std::min<qint64>(watch.bodyLeft, fresh.size() - at);
            watch.bodyLeft -= take;
            at += take;
            continue;
        }
        if (watch.head.isEmpty())
            watch.headSince.start();
        const qsizetype end = fresh.indexOf('\n', at);
        const qsizetype stop = end < 0 ? fresh.size() : end + 1;
        watch.head += fresh.mid(at, stop - at);
        at = stop;
        if (watch.head.size() > limits_.maxHeaderBytes)
            return refuse(socket, 431, "Request Header Fields Too Large");
        if (watch.head == "\r\n" || watch.head == "\n") { // a stray line break between requests
            watch.head.clear();
            watch.headLines = 0;
            continue;
        }
        if (end < 0)
            continue; // the rest of the line comes later
        if (++watch.headLines == 1 && !isRequestLine(watch.head))
            return refuse(socket, 400, "Bad Request");
        if (!watch.head.endsWith("\r\n\r\n") && !watch.head.endsWith("\n\n"))
            continue;
        if (headerValue(watch.head, "transfer-encoding").toLower().contains("chunked"))
            return refuse(socket, 411, "Length Required");
        bool ok = true;
        const QByteArray length = headerValue(watch.head, "content-length");
        const qint64 bodyBytes = length.isEmpty() ? 0 : length.toLongLong(&ok);
        if (!ok || bodyBytes < 0 || bodyBytes > limits_.maxBodyBytes)
            return refuse(socket, 413, "Content Too Large");
        watch.bodyLeft = bodyBytes;
        watch.head.clear();
        watch.headLines = 0;
    }
}

void GuardedTcpServer::refuse(QTcpSocket* socket, int status, const char* reason) {
    const auto found = watches_.find(socket);
    if (found == watches_.end() || found->second->refused)
        return;
    found->second->refused = true;
    switch (status) {
    case 400:
        ++stats_.malformed;
        break;
    case 431:
        ++stats_.headTooLarge;
        break;
    case 408:
        ++stats_.slowRequests;
        break;
    default:
        ++stats_.bodyTooLarge;
        break;
    }
    socket->readAll(); // the HTTP server never sees the request
    const QByteArray body = QByteArray(reason) + "\r\n";
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                  "\r\nContent-Type: text/plain\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost(); // after the reply; the HTTP server then lets the socket go
}

void GuardedTcpServer::sweep() {
    std::vector<QTcpSocket*> slow;
    std::vector<QTcpSocket*> idle;
    std::vector<QTcpSocket*> gone;
    for (const auto& [socket, watch] : watches_) {
        if (socket->state() == QAbstractSocket::UnconnectedState)
            gone.push_back(socket);
        if (watch->refused)
            continue;
        if (!watch->head.isEmpty() && watch->headSince.hasExpired(limits_.headerTimeout.count()))
            slow.push_back(socket);
        else if (watch->head.isEmpty() && watch->bodyLeft == 0 && socket->bytesToWrite() == 0 &&
                 watch->lastHeard.hasExpired(limits_.idleTimeout.count()))
            idle.push_back(socket);
    }
    for (QTcpSocket* socket : slow)
        refuse(socket, 408, "Request Timeout");
    for (QTcpSocket* socket : idle) {
        ++stats_.idleClosed;
        watches_.at(socket)->refused = true;
        socket->disconnectFromHost();
    }
    // Closed connections: no longer counted (the HTTP server deletes the socket itself).
    for (QTcpSocket* socket : gone) {
        const auto found = watches_.find(socket);
        if (--perHost_[found->second->host] <= 0)
            perHost_.remove(found->second->host);
        watches_.erase(found);
    }
}

QJsonObject connectionStatsJson(const GuardedTcpServer::Stats& stats) {
    const auto n = [](std::uint64_t v) { return static_cast<qint64>(v); };
    return {{"open", stats.open},
            {"accepted", n(stats.accepted)},
            {"busy", n(stats.busy)},
            {"malformed", n(stats.malformed)},
            {"headTooLarge", n(stats.headTooLarge)},
            {"bodyTooLarge", n(stats.bodyTooLarge)},
            {"slowRequests", n(stats.slowRequests)},
            {"idleClosed", n(stats.idleClosed)}};
}

} // namespace dragoman::control

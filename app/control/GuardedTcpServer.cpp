#include "control/GuardedTcpServer.h"

#include "control/GuardedSocket.h"
#include "tls/HandshakeSniffer.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <algorithm>
#include <limits>
#include <vector>

namespace dragoman::control {

namespace {

// Bytes a connection is credited with when its pace is compared with the others' (eviction):
// a request a few milliseconds old is never "the slowest".
constexpr qint64 kPaceCredit = 4096;
constexpr int kListenBacklog = 1024; // Qt's default is 50
// A connection the server has not read from yet is freed only as a last resort this young: a
// crowd accepted in one go would otherwise free each other before anyone's request was read.
constexpr qint64 kUnheardMs = 50;

} // namespace

GuardedTcpServer::GuardedTcpServer(HttpLimits limits, QObject* parent)
    : QTcpServer(parent)
    , limits_(std::move(limits)) {
    // After the HTTP server's own slot, which takes each connection as it is added (bind()
    // connects it before this runs only if bind() came first; attachLateSlots() copes with
    // either order).
    connect(this, &QTcpServer::pendingConnectionAvailable, this, &GuardedTcpServer::attachLateSlots,
            Qt::QueuedConnection);
    setListenBacklogSize(kListenBacklog); // a crowd arriving at once waits in the kernel
    connect(&sweepTimer_, &QTimer::timeout, this, &GuardedTcpServer::sweep);
    sweepTimer_.start(100);
}

GuardedTcpServer::~GuardedTcpServer() {
    for (Socket* socket : sockets_) {
        QObject::disconnect(socket, nullptr, this, nullptr);
        socket->release();
    }
    sockets_.clear();
}

GuardedTcpServer::Stats GuardedTcpServer::stats() const {
    Stats s = stats_;
    s.open = static_cast<int>(sockets_.size());
    return s;
}

void GuardedTcpServer::setTls(TlsMode mode, const QSslConfiguration& config) {
    tlsMode_ = mode;
    tlsConfig_ = config;
    if (mode == TlsMode::Off)
        sniffer_.reset();
    else if (!sniffer_)
        sniffer_ = std::make_unique<tls::HandshakeSniffer>(
            [this](qintptr handle, tls::HandshakeSniffer::Protocol protocol) {
                if (protocol == tls::HandshakeSniffer::Protocol::Tls)
                    accept(handle, true);
                else if (tlsMode_ == TlsMode::Only)
                    refusePlain(handle);
                else
                    accept(handle, false);
            });
}

void GuardedTcpServer::incomingConnection(qintptr handle) {
    if (!sniffer_)
        return accept(handle, false);
    // Until its first byte: a descriptor and a notifier, within the same limits; when they are
    // full, the one silent for longest makes room (a client that speaks is decided at once).
    const QHostAddress host = tls::peerOf(handle);
    const bool hostFull =
        !host.isLoopback() && sniffer_->waitingFrom(host) >= limits_.maxConnectionsPerHost;
    if ((hostFull && sniffer_->closeOldest(&host)) ||
        (sniffer_->waiting() >= limits_.maxConnections && sniffer_->closeOldest()))
        ++stats_.evicted;
    sniffer_->watch(handle, host);
}

void GuardedTcpServer::accept(qintptr handle, bool tls) {
    auto* socket = new Socket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    // Answers go out as small writes, often two in a row (a WebSocket answer, then the state
    // it changed): with Nagle's algorithm the second waits for the peer's delayed ACK (40 ms).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->tls = tls;
    const QHostAddress host = socket->peerAddress();
    const auto busy = [&] {
        ++stats_.busy;
        socket->release();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        if (tls) { // no words in clear to a TLS client
            socket->abort();
            socket->deleteLater();
            return;
        }
        socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                      "Content-Length: 22\r\nConnection: close\r\n\r\ntoo many connections\r\n");
        socket->disconnectFromHost();
    };
    if (!host.isLoopback() && perHost_.value(host) >= limits_.maxConnectionsPerHost) {
        Socket* gone = victim(&host, true);
        if (!gone)
            return busy();
        ++stats_.evicted;
        drop(gone);
    }
    const int inReserve = static_cast<int>(std::count_if(
        sockets_.begin(), sockets_.end(), [](const Socket* s) { return s->reserve; }));
    if (static_cast<int>(sockets_.size()) - inReserve >= limits_.maxConnections) {
        if (Socket* gone = victim(nullptr, true)) {
            ++stats_.evicted;
            drop(gone);
        } else if (limits_.privileged && inReserve < limits_.reserveConnections) {
            socket->reserve = true;
        } else {
            return busy();
        }
    }
    socket->host = host;
    ++perHost_[host];
    sockets_.insert(socket);
    // Ahead of the HTTP server's slot, which is connected once it takes the connection.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { beforeHttp(socket); });
    // The pace of an answer: bytes handed to the kernel (over TLS, encrypted ones).
    const auto wrote = [socket](qint64 bytes) {
        socket->lastHeard.start();
        socket->drained += bytes;
        if (socket->unsent() == 0)
            socket->draining = false;
    };
    if (!tls) {
        connect(socket, &QTcpSocket::bytesWritten, this, wrote);
        return handOver(socket);
    }
    connect(socket, &QSslSocket::encryptedBytesWritten, this, wrote);
    connect(socket, &QSslSocket::encrypted, this, [this, socket] {
        if (!sockets_.count(socket))
            return;
        socket->handshaking = false;
        ++stats_.tlsHandshakes;
        handOver(socket);
    });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, socket] {
        if (!sockets_.count(socket) || !socket->handshaking)
            return;
        socket->handshaking = false;
        ++stats_.tlsFailed;
        drop(socket);
    });
    socket->handshaking = true;
    socket->setSslConfiguration(tlsConfig_);
    socket->startServerEncryption();
}

void GuardedTcpServer::handOver(Socket* socket) {
    socket->handed = true;
    ++stats_.accepted;
    addPendingConnection(socket);
}

void GuardedTcpServer::refusePlain(qintptr handle) {
    ++stats_.tlsFailed;
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    const QByteArray body = "this port speaks HTTPS only: ask for https://" +
                            socket->localAddress().toString().toUtf8() + ':' +
                            QByteArray::number(socket->localPort()) + "/\r\n";
    socket->readAll();
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->write("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
    QTimer::singleShot(limits_.headerTimeout, socket, [socket] { socket->abort(); });
}

void GuardedTcpServer::attachLateSlots() {
    for (Socket* socket : sockets_) {
        if (socket->lateSlots || !socket->handed)
            continue;
        socket->lateSlots = true;
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { afterHttp(socket); });
        afterHttp(socket);
    }
}

void GuardedTcpServer::afterHttp(Socket* socket) {
    if (sockets_.count(socket))
        socket->unread = socket->bytesAvailable();
}

void GuardedTcpServer::beforeHttp(Socket* socket) {
    if (!sockets_.count(socket))
        return;
    Socket& s = *socket;
    s.heard = true;
    if (s.refused) {
        socket->readAll(); // nothing more reaches the HTTP server
        return;
    }
    s.lastHeard.start();
    const qint64 available = socket->bytesAvailable();
    const QByteArray fresh = socket->peek(available).mid(std::min(s.unread, available));
    s.unread = available; // until the HTTP server has read (afterHttp)
    qsizetype at = 0;
    while (at < fresh.size()) {
        if (s.bodyLeft > 0) {
            const qsizetype take = std::min<qint64>(s.bodyLeft, fresh.size() - at);
            s.bodyLeft -= take;
            s.requestBytes += take;
            at += take;
            s.inRequest = s.bodyLeft > 0;
            continue;
        }
        if (!s.inRequest) {
            s.inRequest = true;
            s.requestSince.start();
            s.requestBytes = 0;
        }
        const qsizetype end = fresh.indexOf('\n', at);
        const qsizetype stop = end < 0 ? fresh.size() : end + 1;
        s.head += fresh.mid(at, stop - at);
        s.requestBytes += stop - at;
        at = stop;
        if (s.head.size() > limits_.maxHeaderBytes)
            return refuse(socket, 431, "Request Header Fields Too Large");
        if (s.head == "\r\n" || s.head == "\n") { // a stray line break between requests
            s.head.clear();
            s.headLines = 0;
            s.inRequest = false;
            continue;
        }
        if (end < 0)
            continue; // the rest of the line comes later
        if (++s.headLines == 1 && !isRequestLine(s.head))
            return refuse(socket, 400, "Bad Request");
        if (!s.head.endsWith("\r\n\r\n") && !s.head.endsWith("\n\n"))
            continue;
        const RequestHead head =
            parseRequestHead(s.head, {limits_.maxHeaderBytes, limits_.maxBodyBytes});
        s.head.clear();
        s.headLines = 0;
        if (head.status != 0)
            return refuse(socket, head.status, head.reason);
        headComplete(socket, head);
        if (s.refused)
            return;
        s.bodyLeft = head.contentLength;
        s.inRequest = s.bodyLeft > 0;
    }
}

void GuardedTcpServer::headComplete(Socket* socket, const RequestHead& head) {
    if (limits_.privileged && !socket->privileged && limits_.privileged(head))
        socket->privileged = true;
    if (socket->reserve && !socket->privileged)
        return refuse(socket, 503, "Service Unavailable");
    if (head.value("upgrade").toLower().contains("websocket") &&
        head.value("connection").toLower().contains("upgrade")) {
        socket->upgraded = true; // the HTTP server hands it over, or answers and closes it
        socket->inRequest = false;
        return;
    }
    if (socket->unsent() > limits_.maxUnsentBytes) { // asks more, takes nothing
        ++stats_.slowReaders;
        return drop(socket);
    }
    socket->pending.push_back({head.keepAlive, head.version == "HTTP/1.0"});
}

void GuardedTcpServer::refuse(Socket* socket, int status, const char* reason) {
    if (!sockets_.count(socket) || socket->refused)
        return;
    socket->refused = true;
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
    case 503:
        ++stats_.busy;
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

GuardedTcpServer::Socket* GuardedTcpServer::victim(const QHostAddress* host, bool young) const {
    Socket* leaving = nullptr;
    Socket* unheard = nullptr; // the oldest of those not read from yet
    Socket* idlest = nullptr;
    Socket* slowest = nullptr;
    double slowestPace = std::numeric_limits<double>::infinity();
    for (Socket* s : sockets_) {
        if (host && s->host != *host)
            continue;
        if (s->refused || s->closing || s->state() != QAbstractSocket::ConnectedState) {
            leaving = s;
            continue;
        }
        if (s->privileged || s->reserve || s->upgraded)
            continue;
        if (!s->heard && s->since.elapsed() < kUnheardMs) {
            if (young && (!unheard || s->since.elapsed() > unheard->since.elapsed()))
                unheard = s;
            continue;
        }
        if (s->idle()) {
            if (!idlest || s->lastHeard.elapsed() > idlest->lastHeard.elapsed())
                idlest = s;
            continue;
        }
        // Bytes per second of what is moving: the client taking its answers, else its request
        // (or, connected but silent so far, nothing). A connection waiting for the application
        // to answer is moving nothing the client can be blamed for.
        qint64 bytes = 0;
        qint64 ms = 0;
        if (s->draining) {
            bytes = s->taken();
            ms = s->drainSince.elapsed();
        } else if (s->inRequest) {
            bytes = s->requestBytes;
            ms = s->requestSince.elapsed();
        } else if (!s->pending.empty()) {
            continue;
        } else {
            ms = s->since.elapsed();
        }
        const double pace =
            static_cast<double>(bytes + kPaceCredit) / static_cast<double>(std::max<qint64>(ms, 1));
        if (pace < slowestPace) {
            slowestPace = pace;
            slowest = s;
        }
    }
    return leaving ? leaving : idlest ? idlest : slowest ? slowest : unheard;
}

void GuardedTcpServer::drop(Socket* socket) {
    forget(socket);
    QObject::disconnect(socket, nullptr, this, nullptr);
    socket->release();
    socket->abort(); // the HTTP server deletes it once disconnected
    socket->deleteLater();
}

void GuardedTcpServer::forget(Socket* socket) {
    if (sockets_.erase(socket) == 0)
        return;
    if (--perHost_[socket->host] <= 0)
        perHost_.remove(socket->host);
}

void GuardedTcpServer::sweep() {
    const auto tooSlow = [this](qint64 bytes, qint64 ms) {
        return ms > limits_.grace.count() && bytes * 1000 < limits_.minBytesPerSecond * ms;
    };
    std::vector<Socket*> slowRequests;
    std::vector<Socket*> slowReaders;
    std::vector<Socket*> idle;
    std::vector<Socket*> unwanted; // in the reserve without a privileged request
    std::vector<Socket*> slowHandshakes;
    std::vector<Socket*> gone;
    if (sniffer_) // silent since they connected: not even a first byte
        stats_.slowHandshakes +=
            static_cast<std::uint64_t>(sniffer_->expire(limits_.handshakeTimeout));
    for (Socket* s : sockets_) {
        if (s->state() == QAbstractSocket::UnconnectedState) {
            gone.push_back(s);
            continue;
        }
        if (s->handshaking) {
            if (s->since.hasExpired(limits_.handshakeTimeout.count()))
                slowHandshakes.push_back(s);
            continue;
        }
        if (s->upgraded)
            continue;
        if (s->draining && tooSlow(s->taken(), s->drainSince.elapsed())) {
            slowReaders.push_back(s);
            continue;
        }
        if (s->refused || s->closing)
            continue;
        if (s->reserve && !s->privileged && s->since.hasExpired(limits_.grace.count()))
            unwanted.push_back(s);
        else if (s->inRequest && ((!s->head.isEmpty() &&
                                   s->requestSince.hasExpired(limits_.headerTimeout.count())) ||
                                  tooSlow(s->requestBytes, s->requestSince.elapsed())))
            slowRequests.push_back(s);
        else if (!s->inRequest && s->pending.empty() && s->unsent() == 0 &&
                 s->lastHeard.hasExpired(limits_.idleTimeout.count()))
            idle.push_back(s);
    }
    for (Socket* socket : slowRequests)
        refuse(socket, 408, "Request Timeout");
    for (Socket* socket : unwanted)
        refuse(socket, 503, "Service Unavailable");
    for (Socket* socket : slowReaders) {
        ++stats_.slowReaders;
        drop(socket);
    }
    for (Socket* socket : slowHandshakes) {
        ++stats_.slowHandshakes;
        drop(socket);
    }
    for (Socket* socket : idle) {
        ++stats_.idleClosed;
        socket->refused = true;
        socket->disconnectFromHost();
    }
    // Closed connections: no longer counted (the HTTP server deletes the socket itself, once
    // it has had it).
    for (Socket* socket : gone) {
        forget(socket);
        if (!socket->handed)
            socket->deleteLater();
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
            {"slowReaders", n(stats.slowReaders)},
            {"idleClosed", n(stats.idleClosed)},
            {"evicted", n(stats.evicted)},
            {"closedAsAsked", n(stats.closedAsAsked)},
            {"tlsHandshakes", n(stats.tlsHandshakes)},
            {"tlsFailed", n(stats.tlsFailed)},
            {"slowHandshakes", n(stats.slowHandshakes)}};
}

} // namespace dragoman::control

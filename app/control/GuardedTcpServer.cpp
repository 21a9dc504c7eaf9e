#include "control/GuardedTcpServer.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <algorithm>
#include <deque>
#include <limits>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <vector>

namespace dragoman::control {

namespace {

// Bytes a connection is credited with when its pace is compared with the others' (eviction):
// a request a few milliseconds old is never "the slowest".
constexpr qint64 kPaceCredit = 4096;
// An answer head larger than this is not one of Qt HttpServer's; the guard stops following
// the answers (and so never closes after them) rather than holding it.
constexpr qsizetype kMaxAnswerHead = 64 * 1024;
constexpr int kListenBacklog = 1024; // Qt's default is 50
// A connection the server has not read from yet is freed only as a last resort this young: a
// crowd accepted in one go would otherwise free each other before anyone's request was read.
constexpr qint64 kUnheardMs = 50;

// "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n..." -> status and Content-Length (-1: none).
std::pair<int, qint64> answerHead(QByteArrayView head) {
    int status = 0;
    if (head.size() >= 12 && head.startsWith("HTTP/1."))
        status = head.sliced(9, 3).toInt();
    qint64 length = -1;
    while (!head.isEmpty()) {
        const qsizetype newline = head.indexOf('\n');
        const QByteArrayView line = newline < 0 ? head : head.first(newline);
        head = newline < 0 ? QByteArrayView() : head.sliced(newline + 1);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 &&
            line.first(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 n = line.sliced(colon + 1).trimmed().toLongLong(&ok);
            length = ok && n >= 0 ? n : -1;
        }
    }
    return {status, length};
}

} // namespace

// One connection: the request arriving, the answers going out and how fast each moves.
class GuardedTcpServer::Socket final : public QTcpSocket {
public:
    explicit Socket(GuardedTcpServer* guard)
        : QTcpSocket(guard)
        , guard_(guard) {
        since.start();
        lastHeard.start();
    }
    ~Socket() override {
        if (guard_)
            guard_->forget(this);
    }
    void release() { guard_ = nullptr; }

    // Answer bytes the client has taken: handed to the kernel less what it still holds
    // unacknowledged (SIOCOUTQ).
    qint64 taken() const {
        int queued = 0;
        if (::ioctl(static_cast<int>(socketDescriptor()), SIOCOUTQ, &queued) != 0)
            queued = 0;
        return std::max<qint64>(drained - queued, 0);
    }

    bool idle() const {
        return !inRequest && pending.empty() && bytesToWrite() == 0 &&
               (served > 0 || since.elapsed() > guard_->limits_.grace.count());
    }

    QHostAddress host;
    QElapsedTimer since;     // connected
    QElapsedTimer lastHeard; // a byte came or went, an answer was completed
    int served = 0;          // answers completed
    bool heard = false;      // the server has read from it

    // The request arriving.
    QByteArray head; // its head so far
    int headLines = 0;
    qint64 bodyLeft = 0;
    qint64 unread = 0; // bytes the HTTP server left in the socket last time
    bool inRequest = false;
    QElapsedTimer requestSince;
    qint64 requestBytes = 0;

    // The answers: one per complete request, in order, and whether the connection stays open
    // after each. (Qt HttpServer 6.4 writes a body with Content-Length after HEAD too.)
    struct Pending {
        bool keepAlive = true;
        bool http10 = false; // says "Connection: keep-alive" back when it stays open
    };
    std::deque<Pending> pending;
    QByteArray answer;         // the head of the answer being written
    qint64 answerBodyLeft = 0; // > 0: its body is being written
    bool lostTrack = false;    // an answer without a length: it ends when the connection does

    // The client taking the answers.
    bool draining = false;
    QElapsedTimer drainSince;
    qint64 drained = 0;

    bool lateSlots = false;
    bool refused = false;    // answered by the guard; closing
    bool closing = false;    // closing after an answer, as asked
    bool privileged = false; // has sent a privileged request
    bool reserve = false;    // admitted to the reserve: must send a privileged request
    bool upgraded = false;   // asked for a WebSocket: no longer HTTP, the WebSocket's own
                             // defences (WsHub.h) govern it

protected:
    qint64 writeData(const char* data, qint64 size) override {
        if (upgraded)
            return QTcpSocket::writeData(data, size);
        const qint64 written = writeTelling(data, size);
        if (written > 0 && guard_) {
            if (!refused)
                follow(QByteArrayView(data, written));
            if (!draining && bytesToWrite() > 0) {
                draining = true;
                drainSince.start();
                drained = 0;
            }
        }
        return written;
    }

private:
    // Writes the bytes; at the start of an answer, says after its status line whether the
    // connection stays open (Qt HttpServer 6.4 does not).
    qint64 writeTelling(const char* data, qint64 size) {
        const QByteArrayView bytes(data, size);
        // The status line ends in these bytes (Qt writes it in pieces).
        const qsizetype statusEnd = answer.contains('\n') ? -1 : bytes.indexOf('\n');
        if (refused || lostTrack || answerBodyLeft > 0 || pending.empty() || statusEnd < 0 ||
            (answer + bytes.first(statusEnd).toByteArray()).startsWith("HTTP/1.1 1"))
            return QTcpSocket::writeData(data, size);
        const qint64 first = QTcpSocket::writeData(data, statusEnd + 1);
        if (first != statusEnd + 1)
            return first;
        const Pending& next = pending.front();
        if (!next.keepAlive)
            QTcpSocket::writeData("Connection: close\r\n", 19);
        else if (next.http10)
            QTcpSocket::writeData("Connection: keep-alive\r\n", 24);
        const qint64 rest = QTcpSocket::writeData(data + first, size - first);
        return rest < 0 ? first : first + rest;
    }

    // Follows the answers the HTTP server writes, to close after the one that was asked to.
    void follow(QByteArrayView bytes) {
        while (!bytes.isEmpty() && !lostTrack) {
            if (answerBodyLeft > 0) {
                const qsizetype take = std::min<qint64>(answerBodyLeft, bytes.size());
                answerBodyLeft -= take;
                bytes = bytes.sliced(take);
                if (answerBodyLeft == 0)
                    answered();
                continue;
            }
            const qsizetype before = answer.size();
            answer += bytes;
            const qsizetype end = answer.indexOf("\r\n\r\n", std::max<qsizetype>(0, before - 3));
            if (end < 0) {
                if (answer.size() > kMaxAnswerHead) {
                    lostTrack = true;
                    answer.clear();
                }
                return;
            }
            bytes = bytes.sliced(end + 4 - before);
            const auto [status, length] = answerHead(QByteArrayView(answer).first(end));
            answer.clear();
            if (status >= 100 && status < 200)
                continue; // an interim answer (100 Continue): the final one follows
            const bool noBody = status == 204 || status == 304;
            if (!noBody && length < 0) {
                lostTrack = true;
                return;
            }
            answerBodyLeft = noBody ? 0 : length;
            if (answerBodyLeft == 0)
                answered();
        }
    }

    void answered() {
        ++served;
        lastHeard.start();
        if (pending.empty())
            return;
        const bool keepAlive = pending.front().keepAlive;
        pending.pop_front();
        if (keepAlive || closing)
            return;
        closing = true;
        ++guard_->stats_.closedAsAsked;
        // Once the HTTP server has finished writing; the answer is flushed before the close.
        QMetaObject::invokeMethod(
            this, [this] { disconnectFromHost(); }, Qt::QueuedConnection);
    }

    GuardedTcpServer* guard_;
};

GuardedTcpServer::GuardedTcpServer(HttpLimits limits, QObject* parent)
    : QTcpServer(parent)
    , limits_(std::move(limits)) {
    // After the HTTP server's own newConnection slot (bind() connects it before this runs
    // only if bind() came first; attachLateSlots() copes with either order).
    connect(this, &QTcpServer::newConnection, this, &GuardedTcpServer::attachLateSlots,
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

void GuardedTcpServer::incomingConnection(qintptr handle) {
    auto* socket = new Socket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    // Answers go out as small writes, often two in a row (a WebSocket answer, then the state
    // it changed): with Nagle's algorithm the second waits for the peer's delayed ACK (40 ms).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const QHostAddress host = socket->peerAddress();
    const auto busy = [&] {
        ++stats_.busy;
        socket->release();
        socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                      "Content-Length: 22\r\nConnection: close\r\n\r\ntoo many connections\r\n");
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
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
    connect(socket, &QTcpSocket::bytesWritten, this, [socket](qint64 bytes) {
        socket->lastHeard.start();
        socket->drained += bytes;
        if (socket->bytesToWrite() == 0)
            socket->draining = false;
    });
    ++stats_.accepted;
    addPendingConnection(socket);
}

void GuardedTcpServer::attachLateSlots() {
    for (Socket* socket : sockets_) {
        if (socket->lateSlots)
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
    if (socket->bytesToWrite() > limits_.maxUnsentBytes) { // asks more, takes nothing
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
    std::vector<Socket*> gone;
    for (Socket* s : sockets_) {
        if (s->state() == QAbstractSocket::UnconnectedState) {
            gone.push_back(s);
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
        else if (!s->inRequest && s->pending.empty() && s->bytesToWrite() == 0 &&
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
    for (Socket* socket : idle) {
        ++stats_.idleClosed;
        socket->refused = true;
        socket->disconnectFromHost();
    }
    // Closed connections: no longer counted (the HTTP server deletes the socket itself).
    for (Socket* socket : gone)
        forget(socket);
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
            {"closedAsAsked", n(stats.closedAsAsked)}};
}

} // namespace dragoman::control

// The guard's view of one connection (GuardedTcpServer.h): the request arriving, the answers
// going out and how fast each moves. A QSslSocket, so that a connection that starts a TLS
// handshake is served encrypted; a plain one never starts encryption and is a QTcpSocket.
// Private to GuardedTcpServer.cpp.
//
// Thread contract: the guard's thread.
#pragma once

#include "control/GuardedTcpServer.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QSslSocket>
#include <algorithm>
#include <deque>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <utility>

namespace dragoman::control {

namespace guard {

// An answer head larger than this is not one of Qt HttpServer's; the guard stops following
// the answers (and so never closes after them) rather than holding it.
constexpr qsizetype kMaxAnswerHead = 64 * 1024;

// "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n..." -> status and Content-Length (-1: none).
inline std::pair<int, qint64> answerHead(QByteArrayView head) {
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

} // namespace guard

class GuardedTcpServer::Socket final : public QSslSocket {
public:
    explicit Socket(GuardedTcpServer* guard)
        : QSslSocket(guard)
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
    // unacknowledged (SIOCOUTQ). Over TLS both count encrypted bytes.
    qint64 taken() const {
        int queued = 0;
        if (::ioctl(static_cast<int>(socketDescriptor()), SIOCOUTQ, &queued) != 0)
            queued = 0;
        return std::max<qint64>(drained - queued, 0);
    }

    // Answer bytes still held by Qt: over TLS, those not encrypted yet plus the encrypted ones
    // waiting for the kernel.
    qint64 unsent() const { return bytesToWrite() + encryptedBytesToWrite(); }

    bool idle() const {
        return !inRequest && pending.empty() && unsent() == 0 &&
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

    bool tls = false;         // speaks TLS (GuardedTcpServer::setTls)
    bool handshaking = false; // its TLS handshake is under way: not handed over yet
    bool handed = false;      // handed to the HTTP server
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
            return QSslSocket::writeData(data, size);
        const qint64 written = writeTelling(data, size);
        if (written > 0 && guard_) {
            if (!refused)
                follow(QByteArrayView(data, written));
            if (!draining && unsent() > 0) {
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
            return QSslSocket::writeData(data, size);
        const qint64 first = QSslSocket::writeData(data, statusEnd + 1);
        if (first != statusEnd + 1)
            return first;
        const Pending& next = pending.front();
        if (!next.keepAlive)
            QSslSocket::writeData("Connection: close\r\n", 19);
        else if (next.http10)
            QSslSocket::writeData("Connection: keep-alive\r\n", 24);
        const qint64 rest = QSslSocket::writeData(data + first, size - first);
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
                if (answer.size() > guard::kMaxAnswerHead) {
                    lostTrack = true;
                    answer.clear();
                }
                return;
            }
            bytes = bytes.sliced(end + 4 - before);
            const auto [status, length] = guard::answerHead(QByteArrayView(answer).first(end));
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

} // namespace dragoman::control

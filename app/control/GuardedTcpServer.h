// A QTcpServer for Qt HttpServer that keeps hostile, broken or slow clients from costing more
// than a bounded share: Qt HttpServer 6.4 itself takes headers of any size, bodies of any
// announced length, connections that never finish a request, and keeps every connection open
// after its answer. The guard watches every byte each connection sends before the HTTP server
// reads it (RequestHead.h), and every byte the HTTP server answers, and
// - answers 400 and closes a connection whose first line is not an HTTP request line;
// - answers 431 and closes a request whose head (request line and headers) exceeds
//   maxHeaderBytes, 413 a body announced larger than maxBodyBytes, 411 a chunked body;
// - closes the connection once the answer is sent when the request asked for it (HTTP/1.1
//   "Connection: close", or HTTP/1.0 without "Connection: keep-alive");
// - answers 408 and closes a request whose head is not complete within headerTimeout, or that
//   (head and body) arrives slower than minBytesPerSecond once `grace` has passed; closes a
//   client that takes its answer slower than that (what the kernel still holds for it does not
//   count as taken), or asks for more while over maxUnsentBytes of answers wait for it;
//   closes one that says nothing for idleTimeout;
// - keeps at most maxConnections open (a descriptor and a few KiB each), freeing the least useful
// connection when a new one
//   comes (or maxConnectionsPerHost from one other host; this machine's own clients have only
//   the overall limit): one that is closing, then the longest idle (keep-alive between
//   requests, or connected for `grace` without a word), then the slowest request or answer in
//   progress (by bytes moved, plus a credit, per second: a young connection is never the
//   slowest); one the server has not read from yet only as a last resort in its first 50 ms,
//   so a crowd accepted at once does not push out the well-behaved requests among it before
//   they are read. Connections waiting for their
//   answer from the application, and connections that have sent a privileged request
//   (HttpLimits::privileged: the technician's token), are never freed. When none can go, a
//   new connection takes one of reserveConnections places and must send a privileged request
//   within `grace`; otherwise (and when the reserve is full) it is answered 503 and closed.
// A request that asks for a WebSocket (Upgrade: websocket) stops being followed as HTTP once
// its head is complete: it still counts towards the connection limits but is never evicted,
// swept or timed by these rules; the WebSocket's own defences govern it (WsHub.h).
// Everything else reaches the HTTP server untouched; every refusal is counted.
//
// TLS (setTls): with TlsMode::Both the port answers HTTP and HTTPS alike: the first byte of a
// connection decides (tls/HandshakeSniffer.h: 0x16 starts a TLS handshake); with TlsMode::Only
// a plain HTTP request is answered 400 in clear ("this port speaks HTTPS") and closed. A TLS
// connection reaches the HTTP server once its handshake is done, and every rule above then
// holds for it as for a plain one (the pace of an answer counts its encrypted bytes). A
// connection that has not sent its first byte, or not completed its handshake, within
// handshakeTimeout is closed like a slow head (slowHandshakes); a failed handshake is counted
// (tlsFailed). Connections waiting for their first byte are held to maxConnections (and
// maxConnectionsPerHost) of their own: when those are full, the one silent longest is closed
// for the newcomer (evicted). A handshake under way counts towards the limits above and is the
// first to go when room is needed once `grace` has passed.
//
//   auto* tcp = new GuardedTcpServer(limits);  tcp->setTls(...);  tcp->listen(...);
//   http.bind(tcp);
//
// Thread contract: the thread the server lives on (Qt's event loop drives it).
#pragma once

#include "control/RequestHead.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTimer>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>

class QTcpSocket;

namespace dragoman::tls {
class HandshakeSniffer;
}

namespace dragoman::control {

enum class TlsMode {
    Off,  // plain HTTP only
    Both, // HTTP and HTTPS on the one port
    Only, // HTTPS only; plain HTTP is answered 400
};

struct HttpLimits {
    qsizetype maxHeaderBytes = 16 * 1024;
    qsizetype maxBodyBytes = 64 * 1024;
    std::chrono::milliseconds headerTimeout{10000};
    std::chrono::milliseconds idleTimeout{30000};
    int maxConnections = 1024;
    int maxConnectionsPerHost = 32;
    // A request (head and body) and the taking of its answer may move at any pace for `grace`;
    // after that at least minBytesPerSecond on average since they began.
    std::chrono::milliseconds grace{2000};
    qint64 minBytesPerSecond = 1024;
    qint64 maxUnsentBytes = 1024 * 1024; // answers queued when the client asks for more
    int reserveConnections = 16;         // beyond maxConnections, for privileged requests only
    std::chrono::milliseconds handshakeTimeout{5000};   // first byte and TLS handshake, with TLS
    std::function<bool(const RequestHead&)> privileged; // e.g. carries the technician's token
};

class GuardedTcpServer : public QTcpServer {
    Q_OBJECT

public:
    explicit GuardedTcpServer(HttpLimits limits = {}, QObject* parent = nullptr);
    ~GuardedTcpServer() override;

    struct Stats {
        std::uint64_t accepted = 0;       // connections handed to the HTTP server
        std::uint64_t busy = 0;           // refused: too many connections (503)
        std::uint64_t malformed = 0;      // 400: not an HTTP request line, or a bad header
        std::uint64_t headTooLarge = 0;   // 431
        std::uint64_t bodyTooLarge = 0;   // 413, or a chunked body (411)
        std::uint64_t slowRequests = 0;   // 408: the request did not arrive in time
        std::uint64_t slowReaders = 0;    // closed: the answer was not taken in time
        std::uint64_t idleClosed = 0;     // silent for idleTimeout
        std::uint64_t evicted = 0;        // closed to make room for a new connection
        std::uint64_t closedAsAsked = 0;  // closed after the answer: Connection: close, HTTP/1.0
        std::uint64_t tlsHandshakes = 0;  // TLS connections handed to the HTTP server
        std::uint64_t tlsFailed = 0;      // failed handshakes; plain HTTP on a TLS-only port
        std::uint64_t slowHandshakes = 0; // no first byte or no finished handshake in time
        int open = 0;                     // connections open now
    };
    Stats stats() const;
    const HttpLimits& limits() const { return limits_; }

    // Before listen(): how the port speaks TLS, with which certificate and key.
    void setTls(TlsMode mode, const QSslConfiguration& config);
    TlsMode tlsMode() const { return tlsMode_; }

protected:
    void incomingConnection(qintptr handle) override;

private:
    class Socket;
    void accept(qintptr handle, bool tls);
    void handOver(Socket* socket);
    void refusePlain(qintptr handle); // plain HTTP on a TLS-only port
    void beforeHttp(Socket* socket);  // readyRead, ahead of the HTTP server
    void afterHttp(Socket* socket);   // readyRead, after it: what it left unread
    void attachLateSlots();           // on newConnection, after the HTTP server's own slot
    void headComplete(Socket* socket, const RequestHead& head);
    void refuse(Socket* socket, int status, const char* reason);
    // The least useful connection (of `host`, when given), or null; `young`: also one that has
    // not been read from yet.
    Socket* victim(const QHostAddress* host, bool young) const;
    void drop(Socket* socket); // closes at once; no longer counted
    void forget(Socket* socket);
    void sweep();

    HttpLimits limits_;
    std::set<Socket*> sockets_; // open connections, reserve included
    QHash<QHostAddress, int> perHost_;
    QTimer sweepTimer_;
    Stats stats_;
    TlsMode tlsMode_ = TlsMode::Off;
    QSslConfiguration tlsConfig_;
    std::unique_ptr<tls::HandshakeSniffer> sniffer_;
};

// {"open", "accepted", "busy", "malformed", "headTooLarge", "bodyTooLarge", "slowRequests",
// "slowReaders", "idleClosed", "evicted", "closedAsAsked", "tlsHandshakes", "tlsFailed",
// "slowHandshakes"}: for /api/state.
QJsonObject connectionStatsJson(const GuardedTcpServer::Stats& stats);

} // namespace dragoman::control

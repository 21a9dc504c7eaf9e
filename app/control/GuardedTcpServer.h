// A QTcpServer for Qt HttpServer that keeps hostile or broken clients from costing more than a
// bounded share: Qt HttpServer 6.4 itself takes headers of any size, bodies of any announced
// length and connections that never finish a request. The guard watches every byte each
// connection sends before the HTTP server reads it, and
// - answers 400 and closes a connection whose first line is not an HTTP request line;
// - answers 431 and closes a request whose head (request line and headers) exceeds
//   maxHeaderBytes, 413 a body announced larger than maxBodyBytes, 411 a chunked body;
// - answers 408 and closes a connection whose request head is not complete within
//   headerTimeout (a slow client), and closes one that says nothing for idleTimeout;
// - answers 503 and closes connections beyond maxConnections, or beyond maxConnectionsPerHost
//   from one other host (this machine's own clients, a local proxy among them, have only the
//   overall limit).
// Everything else reaches the HTTP server untouched; every refusal is counted.
//
//   auto* tcp = new GuardedTcpServer(limits);  tcp->listen(...);  http.bind(tcp);
//
// Thread contract: the thread the server lives on (Qt's event loop drives it).
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QTcpServer>
#include <QTimer>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>

class QTcpSocket;

namespace dragoman::control {

struct HttpLimits {
    qsizetype maxHeaderBytes = 16 * 1024;
    qsizetype maxBodyBytes = 64 * 1024;
    std::chrono::milliseconds headerTimeout{10000};
    std::chrono::milliseconds idleTimeout{30000};
    int maxConnections = 256;
    int maxConnectionsPerHost = 32;
};

class GuardedTcpServer : public QTcpServer {
    Q_OBJECT

public:
    explicit GuardedTcpServer(HttpLimits limits = {}, QObject* parent = nullptr);
    ~GuardedTcpServer() override;

    struct Stats {
        std::uint64_t accepted = 0;     // connections handed to the HTTP server
        std::uint64_t busy = 0;         // refused: too many connections (503)
        std::uint64_t malformed = 0;    // 400: not an HTTP request line
        std::uint64_t headTooLarge = 0; // 431
        std::uint64_t bodyTooLarge = 0; // 413, or a chunked body (411)
        std::uint64_t slowRequests = 0; // 408: the head did not arrive in time
        std::uint64_t idleClosed = 0;   // silent for idleTimeout
        int open = 0;                   // connections open now
    };
    Stats stats() const;
    const HttpLimits& limits() const { return limits_; }

protected:
    void incomingConnection(qintptr handle) override;

private:
    struct Watch;
    void beforeHttp(QTcpSocket* socket); // readyRead, ahead of the HTTP server
    void afterHttp(QTcpSocket* socket);  // readyRead, after it: what it left unread
    void attachLateSlots();              // on newConnection, after the HTTP server's own slot
    void refuse(QTcpSocket* socket, int status, const char* reason);
    void sweep();

    HttpLimits limits_;
    std::map<QTcpSocket*, std::unique_ptr<Watch>> watches_;
    QHash<QHostAddress, int> perHost_;
    QTimer sweepTimer_;
    Stats stats_;
};

// {"open", "accepted", "busy", "malformed", "headTooLarge", "bodyTooLarge", "slowRequests",
// "idleClosed"}: for /api/state.
QJsonObject connectionStatsJson(const GuardedTcpServer::Stats& stats);

} // namespace dragoman::control

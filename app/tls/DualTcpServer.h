// A QTcpServer whose port answers plain TCP and TLS alike: each connection's first byte decides
// (HandshakeSniffer.h). A plain one is handed over as a QTcpSocket at once; a TLS one as a
// QSslSocket once its handshake is done (isEncrypted()). A connection that sends nothing, or
// does not finish its handshake, within handshakeTimeout is closed; at most maxWaiting wait for
// their first byte at once (a new one closes the one silent for longest). Connect to
// pendingConnectionAvailable, not newConnection: Qt emits the latter for every accepted descriptor,
// before this server knows what it is.
//
// Thread contract: the thread it lives on (Qt's event loop drives it).
#pragma once

#include "tls/HandshakeSniffer.h"

#include <QElapsedTimer>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTimer>
#include <chrono>
#include <cstdint>
#include <map>

class QSslSocket;

namespace dragoman::tls {

class DualTcpServer : public QTcpServer {
    Q_OBJECT

public:
    explicit DualTcpServer(QObject* parent = nullptr);

    // Before listen(); without it every connection is plain.
    void setTls(const QSslConfiguration& config);
    bool servesTls() const { return tls_; }
    void setHandshakeTimeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
    void setMaxWaiting(int n) { maxWaiting_ = n; }

    struct Stats {
        std::uint64_t tlsHandshakes = 0;
        std::uint64_t tlsFailed = 0;
        std::uint64_t slowHandshakes = 0;
    };
    Stats stats() const { return stats_; }

protected:
    void incomingConnection(qintptr handle) override;

private:
    void decided(qintptr handle, HandshakeSniffer::Protocol protocol);
    void sweep();

    bool tls_ = false;
    QSslConfiguration config_;
    HandshakeSniffer sniffer_;
    std::map<QSslSocket*, QElapsedTimer> handshaking_; // since their first byte
    std::chrono::milliseconds timeout_{5000};
    int maxWaiting_ = 1024;
    QTimer sweepTimer_;
    Stats stats_;
};

} // namespace dragoman::tls

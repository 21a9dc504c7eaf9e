// Live Ogg Opus for plain players over HTTP: `GET /stream/{code}.opus` answers
// `HTTP/1.0 200 OK`, `Content-Type: audio/ogg`, `Cache-Control: no-store` and then the
// channel's audio, page by page, until the player goes away (ffplay, mpv, VLC, a browser's
// <audio>). Qt 6.4's QHttpServer cannot send an endless body, so this is a small HTTP/1.0
// server of its own on a QTcpServer, on its own port (dragoman puts it on the listeners'
// port + 1). With a certificate it answers HTTPS on the same port too, so that the listeners'
// page opened over https can play it.
//
// Requests are bounded (8 KiB of request line and headers, 10 s to send them): a malformed
// or oversized request is answered 400 or 431, a method other than GET 405, an unknown path
// or channel 404, each counted. A listener that falls more than ~2 s of audio behind is
// dropped (LiveOggStreams decides, counting what Qt and the kernel (SIOCOUTQ) still hold for
// it) without affecting the others, and counted. Beyond maxConnections at once, a connection is
// answered 503 and closed. Once listeners have left and a second has passed without another
// leaving, the heap they freed is handed back to the system (malloc_trim), so waves of
// listeners do not leave the process larger each time.
//
// Thread contract: the control (Qt main) thread. A timer drains the LiveOggStreams queue
// every few milliseconds; the encoder thread only ever touches LiveOggStreams::onPacket().
#pragma once

#include "stream/LiveOggStreams.h"
#include "tls/DualTcpServer.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QTcpServer>
#include <QTimer>
#include <chrono>
#include <map>
#include <memory>
#include <optional>

class QTcpSocket;

namespace dragoman::listeners {

struct StreamSettings {
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8481; // 0: any free port (see port())
    std::chrono::milliseconds drainEvery{5};
    std::chrono::milliseconds requestTimeout{10000};
    int sendBufferBytes = 32 * 1024; // the kernel's share of a listener's backlog
    int maxConnections = 1000;       // listeners and requests at once; more get 503
    // HTTPS beside HTTP on the same port (tls/DualTcpServer.h), with this certificate and key.
    std::optional<QSslConfiguration> tls;
};

class StreamServer : public QObject {
    Q_OBJECT

public:
    // `streams` must outlive the server.
    StreamServer(stream::LiveOggStreams& streams, StreamSettings settings,
                 QObject* parent = nullptr);
    ~StreamServer() override;

    bool listen(QString* error = nullptr);
    quint16 port() const { return port_; }
    // "http://ADDR:PORT/stream/CODE.opus" ("HOST" when listening on every address).
    QString url(const QString& code) const;
    // HTTP listeners of `channel` now.
    int listeners(int channel) const { return streams_.listeners(channel); }

    struct Stats {
        quint64 served = 0;      // streams started
        quint64 badRequests = 0; // malformed, oversized, wrong method, or too slow to ask
        quint64 notFound = 0;
        quint64 slowDropped = 0; // listeners dropped for falling behind
        quint64 busy = 0;        // connections refused: maxConnections were open
        quint64 trims = 0;       // freed heap handed back after listeners left (malloc_trim)
    };
    Stats stats() const { return stats_; }

private:
    class Connection;
    void accept();
    void read(QTcpSocket* socket);
    void answer(Connection& connection, const QByteArray& head);
    void refuse(Connection& connection, int status, const char* reason, const QString& message);
    void tick();
    void close(QTcpSocket* socket, bool abort);

    stream::LiveOggStreams& streams_;
    StreamSettings settings_;
    tls::DualTcpServer server_;
    QTimer timer_;
    std::map<QTcpSocket*, std::unique_ptr<Connection>> connections_;
    Stats stats_;
    quint16 port_ = 0;
    int departed_ = 0; // connections closed since the heap was last trimmed
    QElapsedTimer lastDeparture_;
};

} // namespace dragoman::listeners

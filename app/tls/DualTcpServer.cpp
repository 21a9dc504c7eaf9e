#include "tls/DualTcpServer.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <vector>

namespace dragoman::tls {

DualTcpServer::DualTcpServer(QObject* parent)
    : QTcpServer(parent)
    , sniffer_([this](qintptr handle, HandshakeSniffer::Protocol p) { decided(handle, p); }) {
    connect(&sweepTimer_, &QTimer::timeout, this, &DualTcpServer::sweep);
}

void DualTcpServer::setTls(const QSslConfiguration& config) {
    tls_ = true;
    config_ = config;
    sweepTimer_.start(100);
}

void DualTcpServer::incomingConnection(qintptr handle) {
    if (!tls_)
        return decided(handle, HandshakeSniffer::Protocol::Plain);
    if (sniffer_.waiting() >= maxWaiting_)
        sniffer_.closeOldest(); // the one silent for longest makes room
    sniffer_.watch(handle, peerOf(handle));
}

void DualTcpServer::decided(qintptr handle, HandshakeSniffer::Protocol protocol) {
    if (protocol == HandshakeSniffer::Protocol::Plain) {
        auto* socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(handle)) {
            delete socket;
            return;
        }
        return addPendingConnection(socket);
    }
    auto* socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    handshaking_[socket].start();
    connect(socket, &QSslSocket::encrypted, this, [this, socket] {
        if (handshaking_.erase(socket) == 0)
            return;
        ++stats_.tlsHandshakes;
        socket->disconnect(this);
        addPendingConnection(socket);
    });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, socket] {
        if (handshaking_.erase(socket) == 0)
            return;
        ++stats_.tlsFailed;
        socket->abort();
        socket->deleteLater();
    });
    socket->setSslConfiguration(config_);
    socket->startServerEncryption();
}

void DualTcpServer::sweep() {
    stats_.slowHandshakes += static_cast<std::uint64_t>(sniffer_.expire(timeout_));
    std::vector<QSslSocket*> late;
    for (const auto& [socket, since] : handshaking_)
        if (since.hasExpired(timeout_.count()))
            late.push_back(socket);
    for (QSslSocket* socket : late) {
        handshaking_.erase(socket);
        ++stats_.slowHandshakes;
        socket->abort();
        socket->deleteLater();
    }
}

} // namespace dragoman::tls

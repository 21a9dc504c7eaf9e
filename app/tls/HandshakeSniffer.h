// Tells, for a connection just accepted, whether it starts a TLS handshake: a TLS client
// speaks first, and its first byte is 0x16 (a handshake record); an HTTP request starts with a
// method's letter. The byte is looked at with MSG_PEEK on the bare descriptor, before any Qt
// socket owns it, so whichever socket takes the connection then reads it from its start. One
// port can so serve HTTP and HTTPS alike.
//
//   sniffer.watch(handle, peer);       // from QTcpServer::incomingConnection
//   -> decided(handle, Protocol::Tls)  // the descriptor is the caller's again
//   sniffer.expire(timeout);           // closes those silent for longer; returns how many
//
// A connection that closes before its first byte is closed here, and never reported.
//
// Thread contract: the thread it lives on (Qt's event loop drives it).
#pragma once

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <chrono>
#include <functional>
#include <map>

class QSocketNotifier;

namespace dragoman::tls {

class HandshakeSniffer : public QObject {
    Q_OBJECT

public:
    enum class Protocol { Tls, Plain };
    using Decided = std::function<void(qintptr handle, Protocol protocol)>;

    explicit HandshakeSniffer(Decided decided, QObject* parent = nullptr);
    ~HandshakeSniffer() override; // closes the descriptors still waiting

    void watch(qintptr handle, const QHostAddress& peer);
    // Closes the connections that have said nothing for longer than `timeout`.
    int expire(std::chrono::milliseconds timeout);
    // Closes the one that has waited longest (of `peer`, when given), to make room for a new
    // one; false when there is none.
    bool closeOldest(const QHostAddress* peer = nullptr);

    int waiting() const { return static_cast<int>(waiting_.size()); }
    int waitingFrom(const QHostAddress& peer) const;

private:
    struct Waiting {
        QSocketNotifier* notifier;
        QElapsedTimer since;
        QHostAddress peer;
    };
    void readable(qintptr handle);
    void release(std::map<qintptr, Waiting>::iterator it, bool close);

    Decided decided_;
    std::map<qintptr, Waiting> waiting_;
};

// The peer of a connected descriptor (null when it has none).
QHostAddress peerOf(qintptr handle);

} // namespace dragoman::tls

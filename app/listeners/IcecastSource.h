// One channel pushed to an Icecast mount as an Ogg Opus source, so that Icecast and its relays
// serve listeners that one Dragoman machine could not. The source connects with an HTTP PUT
// (Icecast 2.4+: "PUT /en.opus HTTP/1.1", Basic authentication, Content-Type: application/ogg),
// waits for "200 OK" and then streams the channel's live Ogg pages (LiveOggStreams: its own
// logical stream from granule 0 on every connection, one packet per page).
//
// When the server refuses (a wrong password: 401; the mount in use: 403), does not answer
// within the handshake timeout, closes the connection, or falls ~2 s behind (LiveOggStreams
// drops it), the source waits and tries again: 1 s, then 2, 4, ... up to 30 s; the wait starts
// again from 1 s once a connection has streamed for 10 s.
//
// Thread contract: the control (Qt main) thread. Someone must drain the LiveOggStreams on that
// thread (IcecastPush or StreamServer); the source only adds and removes its listener.
#pragma once

#include "stream/LiveOggStreams.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTcpSocket>
#include <QTimer>
#include <chrono>
#include <cstdint>

namespace dragoman::listeners {

struct IcecastMount {
    QString host;
    quint16 port = 8000;
    QString user = QStringLiteral("source");
    QString password;
    QString mount;       // "/en.opus"
    QString name;        // Ice-Name: "Dragoman — English"
    QString description; // Ice-Description
    bool isPublic = false;
};

struct IcecastRetry {
    std::chrono::milliseconds first{1000};
    std::chrono::milliseconds longest{30000};
    std::chrono::milliseconds handshakeTimeout{5000};
    std::chrono::milliseconds healthy{10000}; // streamed this long: the next wait is `first`
};

class IcecastSource : public QObject, private stream::LiveOggStreams::Output {
    Q_OBJECT

public:
    enum class State : std::uint8_t {
        Waiting,    // for the next attempt
        Connecting, // TCP
        Handshake,  // the PUT is sent; waiting for the server's answer
        Streaming,
    };

    // `streams` must outlive the source.
    IcecastSource(stream::LiveOggStreams& streams, int channel, IcecastMount mount,
                  IcecastRetry retry = {}, QObject* parent = nullptr);
    ~IcecastSource() override;
    IcecastSource(const IcecastSource&) = delete;
    IcecastSource& operator=(const IcecastSource&) = delete;

    void start(); // the first attempt, at once

    struct Status {
        State state = State::Waiting;
        QString lastError;           // why the last connection ended or was refused; "" = none
        std::uint64_t connects = 0;  // connections the server accepted as a source
        std::uint64_t failures = 0;  // attempts refused, failed or ended
        std::uint64_t bytesSent = 0; // Ogg bytes handed to the connection
        qint64 retryInMs = 0;        // while Waiting: until the next attempt
    };
    Status status() const;
    const IcecastMount& mount() const { return mount_; }
    int channel() const { return channel_; }

Q_SIGNALS:
    void stateChanged(dragoman::listeners::IcecastSource::State state);

private:
    void connectNow();
    void onConnected();
    void onReadyRead();
    void fail(const QString& reason);
    void setState(State state);
    // LiveOggStreams::Output
    void send(const std::uint8_t* data, std::size_t bytes) override;
    std::size_t unsent() const override;
    void dropped() override;

    stream::LiveOggStreams& streams_;
    int channel_;
    IcecastMount mount_;
    IcecastRetry retry_;
    QTcpSocket socket_;
    QTimer retryTimer_;     // single shot: the next attempt
    QTimer handshakeTimer_; // single shot: the server took too long to answer
    QElapsedTimer streamingSince_;
    QByteArray answer_; // the server's reply so far, during the handshake
    State state_ = State::Waiting;
    int listenerId_ = 0;
    std::chrono::milliseconds nextWait_;
    Status counters_;
};

} // namespace dragoman::listeners

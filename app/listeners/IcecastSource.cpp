#include "listeners/IcecastSource.h"

#include "listeners/SocketBacklog.h"

#include <algorithm>
#include <utility>

namespace dragoman::listeners {

namespace {

constexpr qsizetype kMaxAnswerBytes = 8192;

// A header value from venue text: no line breaks or other control characters.
QByteArray headerValue(const QString& text) {
    QByteArray value = text.toUtf8();
    for (char& c : value)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
    return value;
}

} // namespace

IcecastSource::IcecastSource(stream::LiveOggStreams& streams, int channel, IcecastMount mount,
                             IcecastRetry retry, QObject* parent)
    : QObject(parent)
    , streams_(streams)
    , channel_(channel)
    , mount_(std::move(mount))
    , retry_(retry)
    , nextWait_(retry.first) {
    retryTimer_.setSingleShot(true);
    handshakeTimer_.setSingleShot(true);
    connect(&retryTimer_, &QTimer::timeout, this, &IcecastSource::connectNow);
    connect(&handshakeTimer_, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("no answer from %1:%2 within %3 ms")
                 .arg(mount_.host)
                 .arg(mount_.port)
                 .arg(retry_.handshakeTimeout.count()));
    });
    connect(&socket_, &QTcpSocket::connected, this, &IcecastSource::onConnected);
    connect(&socket_, &QTcpSocket::readyRead, this, &IcecastSource::onReadyRead);
    connect(&socket_, &QTcpSocket::disconnected, this,
            [this] { fail(QStringLiteral("the server closed the connection")); });
    connect(&socket_, &QAbstractSocket::errorOccurred, this,
            [this](QAbstractSocket::SocketError) { fail(socket_.errorString()); });
}

IcecastSource::~IcecastSource() {
    socket_.disconnect(this);
    if (listenerId_ != 0)
        streams_.remove(listenerId_);
    socket_.abort();
}

void IcecastSource::start() {
    retryTimer_.stop();
    connectNow();
}

IcecastSource::Status IcecastSource::status() const {
    Status status = counters_;
    status.state = state_;
    status.retryInMs = state_ == State::Waiting && retryTimer_.isActive()
                           ? std::max(retryTimer_.remainingTime(), 0)
                           : 0;
    return status;
}

void IcecastSource::connectNow() {
    answer_.clear();
    setState(State::Connecting);
    handshakeTimer_.start(retry_.handshakeTimeout);
    socket_.connectToHost(mount_.host, mount_.port);
}

void IcecastSource::onConnected() {
    setState(State::Handshake);
    socket_.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const QByteArray credentials = (mount_.user + ':' + mount_.password).toUtf8().toBase64();
    QByteArray request = "PUT " + mount_.mount.toUtf8() + " HTTP/1.1\r\n";
    request += "Host: " + headerValue(mount_.host) + ':' + QByteArray::number(mount_.port) + "\r\n";
    request += "Authorization: Basic " + credentials + "\r\n";
    request += "User-Agent: Dragoman\r\n";
    request += "Content-Type: application/ogg\r\n";
    request += "Ice-Public: " + QByteArray(mount_.isPublic ? "1" : "0") + "\r\n";
    request += "Ice-Name: " + headerValue(mount_.name) + "\r\n";
    request += "Ice-Description: " + headerValue(mount_.description) + "\r\n";
    request += "Ice-Audio-Info: channels=1;samplerate=48000\r\n\r\n";
    socket_.write(request);
}

void IcecastSource::onReadyRead() {
    if (state_ != State::Handshake) {
        socket_.readAll(); // nothing more is expected from the server once streaming
        return;
    }
    answer_ += socket_.readAll();
    for (;;) {
        const qsizetype end = answer_.indexOf("\r\n\r\n");
        if (end < 0) {
            if (answer_.size() > kMaxAnswerBytes)
                fail(QStringLiteral("the server's answer is not HTTP"));
            return;
        }
        const QByteArray statusLine = answer_.left(answer_.indexOf("\r\n"));
        const auto parts = statusLine.split(' ');
        const int code = parts.size() >= 2 && parts[0].startsWith("HTTP/") ? parts[1].toInt() : 0;
        if (code == 100) { // Continue: the real answer follows
            answer_.remove(0, end + 4);
            continue;
        }
        if (code != 200) {
            const QByteArray body = answer_.mid(end + 4).trimmed();
            fail(QStringLiteral("%1 answered \"%2\"%3")
                     .arg(mount_.mount, QString::fromUtf8(statusLine),
                          body.isEmpty() ? QString() : ": " + QString::fromUtf8(body.left(200))));
            return;
        }
        handshakeTimer_.stop();
        answer_.clear();
        ++counters_.connects;
        counters_.lastError.clear();
        streamingSince_.start();
        setState(State::Streaming);
        listenerId_ = streams_.add(channel_, *this); // sends the Ogg headers at once
        return;
    }
}

void IcecastSource::fail(const QString& reason) {
    if (state_ == State::Waiting)
        return; // already failed (an error and a disconnect come together)
    handshakeTimer_.stop();
    if (listenerId_ != 0) {
        streams_.remove(listenerId_);
        listenerId_ = 0;
    }
    if (state_ == State::Streaming && streamingSince_.elapsed() >= retry_.healthy.count())
        nextWait_ = retry_.first;
    ++counters_.failures;
    counters_.lastError = reason;
    setState(State::Waiting);
    socket_.abort();
    retryTimer_.start(nextWait_);
    nextWait_ = std::min(nextWait_ * 2, retry_.longest);
}

void IcecastSource::setState(State state) {
    if (state_ == state)
        return;
    state_ = state;
    Q_EMIT stateChanged(state);
}

void IcecastSource::send(const std::uint8_t* data, std::size_t bytes) {
    socket_.write(reinterpret_cast<const char*>(data), static_cast<qint64>(bytes));
    counters_.bytesSent += bytes;
}

std::size_t IcecastSource::unsent() const {
    return unsentBytes(socket_);
}

void IcecastSource::dropped() {
    listenerId_ = 0; // LiveOggStreams has let it go already
    fail(QStringLiteral("the server fell too far behind the live stream"));
}

} // namespace dragoman::listeners

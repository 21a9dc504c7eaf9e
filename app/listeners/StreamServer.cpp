#include "listeners/StreamServer.h"

#include "listeners/SocketBacklog.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <malloc.h>

namespace dragoman::listeners {

namespace {

constexpr qsizetype kMaxRequestBytes = 8192;
// After listeners leave, how long the server waits for quiet before it hands the freed heap
// back to the system.
constexpr qint64 kTrimAfterMs = 1000;

} // namespace

class StreamServer::Connection final : public stream::LiveOggStreams::Output {
public:
    explicit Connection(QTcpSocket* s)
        : socket(s) {
        since.start();
    }
    void send(const std::uint8_t* data, std::size_t bytes) override {
        socket->write(reinterpret_cast<const char*>(data), static_cast<qint64>(bytes));
    }
    // Qt's buffer plus what the kernel still holds (sent or not, but not acknowledged).
    std::size_t unsent() const override { return unsentBytes(*socket); }
    void dropped() override {
        id = 0; // LiveOggStreams has let it go already; tick() closes the connection
        tooSlow = true;
    }

    QTcpSocket* socket;
    QByteArray request;
    QElapsedTimer since;
    int id = 0;            // the LiveOggStreams listener, once streaming
    bool answered = false; // an error was answered: the connection is closing
    bool tooSlow = false;  // dropped for falling behind
};

StreamServer::StreamServer(stream::LiveOggStreams& streams, StreamSettings settings,
                           QObject* parent)
    : QObject(parent)
    , streams_(streams)
    , settings_(std::move(settings)) {
    server_.setListenBacklogSize(1024); // a crowd of players arriving at once (Qt's default: 50)
    // Each connection once it is known to be plain, or its TLS handshake is done.
    connect(&server_, &QTcpServer::pendingConnectionAvailable, this, &StreamServer::accept);
    if (settings_.tls)
        server_.setTls(*settings_.tls);
    connect(&timer_, &QTimer::timeout, this, &StreamServer::tick);
    timer_.setTimerType(Qt::PreciseTimer);
}

StreamServer::~StreamServer() {
    timer_.stop();
    for (auto& [socket, connection] : connections_) {
        if (connection->id != 0)
            streams_.remove(connection->id);
        QObject::disconnect(socket, nullptr, this, nullptr);
        socket->abort();
    }
    connections_.clear(); // the sockets themselves go with server_, their parent
}

bool StreamServer::listen(QString* problem) {
    if (!server_.listen(settings_.address, settings_.port)) {
        if (problem)
            *problem = QStringLiteral("cannot listen on %1:%2: %3")
                           .arg(settings_.address.toString())
                           .arg(settings_.port)
                           .arg(server_.errorString());
        return false;
    }
    port_ = server_.serverPort();
    timer_.start(settings_.drainEvery);
    return true;
}

QString StreamServer::url(const QString& code) const {
    const bool any = settings_.address == QHostAddress::Any ||
                     settings_.address == QHostAddress::AnyIPv4 ||
                     settings_.address == QHostAddress::AnyIPv6;
    QString host = any ? QStringLiteral("HOST") : settings_.address.toString();
    if (!any && settings_.address.protocol() == QAbstractSocket::IPv6Protocol)
        host = '[' + host + ']';
    return QStringLiteral("http://%1:%2/stream/%3.opus").arg(host).arg(port_).arg(code);
}

void StreamServer::accept() {
    while (QTcpSocket* socket = server_.nextPendingConnection()) {
        if (static_cast<int>(connections_.size()) >= settings_.maxConnections) {
            ++stats_.busy;
            socket->write("HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                          "Content-Length: 22\r\nConnection: close\r\n\r\n"
                          "too many connections\r\n");
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
            continue;
        }
        connections_.emplace(socket, std::make_unique<Connection>(socket));
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { close(socket, false); });
        read(socket); // bytes may have arrived with the connection
    }
}

void StreamServer::read(QTcpSocket* socket) {
    const auto found = connections_.find(socket);
    if (found == connections_.end())
        return;
    Connection& connection = *found->second;
    if (connection.id != 0 || connection.answered) {
        socket->readAll(); // a player has nothing more to say; keep the buffer empty
        return;
    }
    connection.request += socket->read(kMaxRequestBytes + 1 - connection.request.size());
    qsizetype end = connection.request.indexOf("\r\n\r\n");
    if (end < 0)
        end = connection.request.indexOf("\n\n");
    if (end < 0) {
        if (connection.request.size() > kMaxRequestBytes)
            refuse(connection, 431, "Request Header Fields Too Large",
                   QStringLiteral("the request is longer than %1 bytes").arg(kMaxRequestBytes));
        return;
    }
    answer(connection, connection.request.left(end));
}

void StreamServer::answer(Connection& connection, const QByteArray& head) {
    auto lines = head.split('\n');
    for (auto& line : lines)
        if (line.endsWith('\r'))
            line.chop(1);
    const auto parts = lines.front().split(' ');
    bool wellFormed = parts.size() == 3 && !parts[0].isEmpty() && parts[1].startsWith('/') &&
                      (parts[2] == "HTTP/1.0" || parts[2] == "HTTP/1.1");
    for (const char c : parts[0])
        wellFormed = wellFormed && c >= 'A' && c <= 'Z';
    for (qsizetype i = 1; i < lines.size() && wellFormed; ++i)
        wellFormed = lines[i].indexOf(':') > 0;
    if (!wellFormed)
        return refuse(connection, 400, "Bad Request",
                      QStringLiteral("ask for GET /stream/CODE.opus HTTP/1.0"));
    if (parts[0] != "GET")
        return refuse(connection, 405, "Method Not Allowed",
                      QStringLiteral("the streams only answer GET"));

    QByteArray path = parts[1];
    if (const auto query = path.indexOf('?'); query >= 0)
        path.truncate(query);
    const QByteArray prefix = "/stream/";
    const QByteArray suffix = ".opus";
    std::optional<int> channel;
    if (path.startsWith(prefix) && path.endsWith(suffix) &&
        path.size() > prefix.size() + suffix.size()) {
        const auto code = path.mid(prefix.size(), path.size() - prefix.size() - suffix.size());
        channel = streams_.channelIndex(code.toStdString());
    }
    if (!channel) {
        ++stats_.notFound;
        return refuse(
            connection, 404, "Not Found",
            QStringLiteral("no stream %1; ask for /stream/CODE.opus").arg(QString::fromUtf8(path)));
    }

    QTcpSocket* socket = connection.socket;
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, settings_.sendBufferBytes);
    socket->write("HTTP/1.0 200 OK\r\n"
                  "Content-Type: audio/ogg\r\n"
                  "Access-Control-Allow-Origin: *\r\n" // the listeners' page measures its level
                  "Cache-Control: no-store\r\n"
                  "Connection: close\r\n"
                  "\r\n");
    connection.request.clear();
    connection.id = streams_.add(*channel, connection);
    ++stats_.served;
}

void StreamServer::refuse(Connection& connection, int status, const char* reason,
                          const QString& message) {
    if (status != 404)
        ++stats_.badRequests;
    const QByteArray body = message.toUtf8() + '\n';
    QByteArray reply = "HTTP/1.0 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    reply += "Content-Type: text/plain; charset=utf-8\r\n";
    if (status == 405)
        reply += "Allow: GET\r\n";
    reply += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    reply += "Connection: close\r\n\r\n" + body;
    connection.answered = true;
    connection.request.clear();
    connection.socket->write(reply);
    connection.socket->disconnectFromHost(); // after the reply is written
}

void StreamServer::tick() {
    streams_.drain(); // listeners it drops are told through Connection::dropped()
    // Connections dropped for falling behind, those that never finish their request, or never
    // take their error reply.
    std::vector<QTcpSocket*> idle;
    for (const auto& [socket, connection] : connections_) {
        if (connection->tooSlow) {
            ++stats_.slowDropped;
            idle.push_back(socket);
        } else if (connection->id == 0 &&
                   connection->since.hasExpired(settings_.requestTimeout.count())) {
            if (!connection->answered)
                ++stats_.badRequests;
            idle.push_back(socket);
        }
    }
    for (QTcpSocket* socket : idle)
        close(socket, true);

    // Each listener's buffers (Qt's socket buffers, its Ogg pages) are freed when it goes, but
    // glibc keeps the freed heap: after a thousand listeners came and went, tens of MB stay
    // resident and more with every wave, though nothing leaks (malloc_trim gives it all back;
    // docs: measured with 1,000 listeners a round). So once the departures have stopped for a
    // second, the free heap goes back to the system (on this thread; a few ms at most).
    if (departed_ > 0 && lastDeparture_.hasExpired(kTrimAfterMs)) {
        departed_ = 0;
        ::malloc_trim(0);
        ++stats_.trims;
    }
}

void StreamServer::close(QTcpSocket* socket, bool abort) {
    const auto found = connections_.find(socket);
    if (found == connections_.end())
        return;
    const std::unique_ptr<Connection> connection = std::move(found->second);
    connections_.erase(found);
    if (connection->id != 0)
        streams_.remove(connection->id);
    ++departed_;
    lastDeparture_.start();
    QObject::disconnect(socket, nullptr, this, nullptr);
    if (abort)
        socket->abort();
    socket->deleteLater();
}

} // namespace dragoman::listeners

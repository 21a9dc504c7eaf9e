#include "tls/HandshakeSniffer.h"

#include <QSocketNotifier>
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace dragoman::tls {

namespace {

constexpr unsigned char kTlsHandshakeRecord = 0x16;

} // namespace

QHostAddress peerOf(qintptr handle) {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    if (::getpeername(static_cast<int>(handle), reinterpret_cast<sockaddr*>(&address), &size) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr*>(&address));
}

HandshakeSniffer::HandshakeSniffer(Decided decided, QObject* parent)
    : QObject(parent)
    , decided_(std::move(decided)) {
}

HandshakeSniffer::~HandshakeSniffer() {
    while (!waiting_.empty())
        release(waiting_.begin(), true);
}

void HandshakeSniffer::watch(qintptr handle, const QHostAddress& peer) {
    auto* notifier = new QSocketNotifier(handle, QSocketNotifier::Read, this);
    Waiting waiting{notifier, {}, peer};
    waiting.since.start();
    waiting_[handle] = waiting;
    connect(notifier, &QSocketNotifier::activated, this, [this, handle] { readable(handle); });
}

int HandshakeSniffer::waitingFrom(const QHostAddress& peer) const {
    int n = 0;
    for (const auto& [handle, waiting] : waiting_)
        n += waiting.peer == peer ? 1 : 0;
    return n;
}

int HandshakeSniffer::expire(std::chrono::milliseconds timeout) {
    std::vector<qintptr> late;
    for (const auto& [handle, waiting] : waiting_)
        if (waiting.since.hasExpired(timeout.count()))
            late.push_back(handle);
    for (const qintptr handle : late)
        release(waiting_.find(handle), true);
    return static_cast<int>(late.size());
}

bool HandshakeSniffer::closeOldest(const QHostAddress* peer) {
    auto oldest = waiting_.end();
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it)
        if ((!peer || it->second.peer == *peer) &&
            (oldest == waiting_.end() ||
             it->second.since.elapsed() > oldest->second.since.elapsed()))
            oldest = it;
    if (oldest == waiting_.end())
        return false;
    release(oldest, true);
    return true;
}

void HandshakeSniffer::readable(qintptr handle) {
    const auto it = waiting_.find(handle);
    if (it == waiting_.end())
        return;
    unsigned char first = 0;
    const ssize_t n = ::recv(static_cast<int>(handle), &first, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n != 1) // closed, or reset, before a word
        return release(it, true);
    release(it, false);
    decided_(handle, first == kTlsHandshakeRecord ? Protocol::Tls : Protocol::Plain);
}

// The notifier must be off before a Qt socket sets up its own on the descriptor; it is deleted
// later, as this may run inside its own signal.
void HandshakeSniffer::release(std::map<qintptr, Waiting>::iterator it, bool close) {
    it->second.notifier->setEnabled(false);
    it->second.notifier->deleteLater();
    if (close)
        ::close(static_cast<int>(it->first));
    waiting_.erase(it);
}

} // namespace dragoman::tls

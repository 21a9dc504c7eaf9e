#include "control/RequestHead.h"

#include <algorithm>

namespace dragoman::control {

namespace {

bool isTokenChar(char c) { // RFC 9110 5.6.2 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

QByteArrayView trimmed(QByteArrayView text) {
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t' ||
                               text.front() == '\r' || text.front() == '\n'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                               text.back() == '\n'))
        text.chop(1);
    return text;
}

// Whether a comma-separated header value (e.g. "Connection: keep-alive, Upgrade") lists
// `token`, compared without case.
bool listsToken(QByteArrayView value, QByteArrayView token) {
    while (!value.isEmpty()) {
        const qsizetype comma = value.indexOf(',');
        const QByteArrayView item = trimmed(comma < 0 ? value : value.first(comma));
        if (item.compare(token, Qt::CaseInsensitive) == 0)
            return true;
        value = comma < 0 ? QByteArrayView() : value.sliced(comma + 1);
    }
    return false;
}

// A decimal number of at most 18 digits (no sign, no spaces inside), or -1.
qint64 decimal(QByteArrayView text) {
    if (text.isEmpty() || text.size() > 18)
        return -1;
    qint64 n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

RequestHead refused(RequestHead head, int status, const char* reason) {
    head.status = status;
    head.reason = reason;
    return head;
}

} // namespace

QByteArray RequestHead::value(QByteArrayView name) const {
    for (const auto& [key, value] : headers)
        if (key == name)
            return value;
    return {};
}

bool isRequestLine(QByteArrayView line) {
    line = trimmed(line);
    const qsizetype first = line.indexOf(' ');
    const qsizetype last = line.lastIndexOf(' ');
    if (first <= 0 || last <= first)
        return false;
    const QByteArrayView method = line.first(first);
    const QByteArrayView target = line.sliced(first + 1, last - first - 1);
    const QByteArrayView version = line.sliced(last + 1);
    if (!std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        return false;
    if (target.isEmpty() || target.front() != '/' || target.contains(' '))
        return false;
    return version == "HTTP/1.0" || version == "HTTP/1.1";
}

RequestHead parseRequestHead(QByteArrayView bytes, const RequestHeadLimits& limits) {
    RequestHead head;
    qsizetype end = bytes.indexOf("\r\n\r\n");
    qsizetype endLength = 4;
    if (const qsizetype bare = bytes.indexOf("\n\n"); bare >= 0 && (end < 0 || bare < end)) {
        end = bare;
        endLength = 2;
    }
    if ((end < 0 ? bytes.size() : end + endLength) > limits.maxHeadBytes)
        return refused(std::move(head), 431, "Request Header Fields Too Large");
    if (end < 0)
        return refused(std::move(head), 400, "Bad Request"); // not a complete head
    QByteArrayView rest = bytes.first(end);

    const auto nextLine = [&rest] {
        const qsizetype newline = rest.indexOf('\n');
        QByteArrayView line = newline < 0 ? rest : rest.first(newline);
        rest = newline < 0 ? QByteArrayView() : rest.sliced(newline + 1);
        if (!line.isEmpty() && line.back() == '\r')
            line.chop(1);
        return line;
    };

    const QByteArrayView requestLine = nextLine();
    if (!isRequestLine(requestLine))
        return refused(std::move(head), 400, "Bad Request");
    const qsizetype first = requestLine.indexOf(' ');
    const qsizetype last = requestLine.lastIndexOf(' ');
    head.method = requestLine.first(first).toByteArray();
    head.target = requestLine.sliced(first + 1, last - first - 1).toByteArray();
    head.version = requestLine.sliced(last + 1).toByteArray();

    bool close = false;
    bool keepAlive = false;
    bool transferEncoding = false;
    qint64 length = -1;
    bool badLength = false;
    while (!rest.isEmpty()) {
        const QByteArrayView line = nextLine();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return refused(std::move(head), 400, "Bad Request");
        const QByteArrayView name = line.first(colon);
        if (!std::all_of(name.begin(), name.end(), isTokenChar))
            return refused(std::move(head), 400, "Bad Request"); // also "Name :" (RFC 9112 5.1)
        QByteArray key = name.toByteArray().toLower();
        const QByteArrayView value = trimmed(line.sliced(colon + 1));
        if (key == "connection") {
            close = close || listsToken(value, "close");
            keepAlive = keepAlive || listsToken(value, "keep-alive");
        } else if (key == "transfer-encoding") {
            transferEncoding = true;
        } else if (key == "content-length") {
            const qint64 n = decimal(value);
            badLength = badLength || n < 0 || (length >= 0 && n != length);
            length = n;
        }
        head.headers.emplace_back(std::move(key), value.toByteArray());
    }
    if (transferEncoding)
        return refused(std::move(head), 411, "Length Required");
    if (badLength)
        return refused(std::move(head), 400, "Bad Request");
    if (length > limits.maxBodyBytes)
        return refused(std::move(head), 413, "Content Too Large");
    head.contentLength = std::max<qint64>(length, 0);
    head.keepAlive = head.version == "HTTP/1.1" ? !close : keepAlive && !close;
    return head;
}

} // namespace dragoman::control

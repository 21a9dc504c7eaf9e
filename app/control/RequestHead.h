// One HTTP/1.x request head (RFC 9112: request line and header fields, up to the empty line)
// read from bytes, as the connection guard (GuardedTcpServer.h) sees it before Qt HttpServer
// does: what the request is, whether its body is acceptable, and whether the connection is to
// stay open after the answer (HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with
// "Connection: keep-alive").
//
//   const auto head = parseRequestHead(bytes, {16 * 1024, 64 * 1024});
//   if (head.status != 0) refuse(head.status, head.reason);   // 400, 411, 413 or 431
//
// A plain function of its bytes and limits (no I/O, no Qt event loop), so fuzzers and tests
// can call it directly.
//
// Thread contract: any thread; allocates (in proportion to the head, bounded by the limit).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <utility>
#include <vector>

namespace dragoman::control {

struct RequestHeadLimits {
    qsizetype maxHeadBytes = 16 * 1024; // request line and headers, with their line breaks
    qint64 maxBodyBytes = 64 * 1024;    // the Content-Length a request may announce
};

struct RequestHead {
    int status = 0;          // 0: acceptable; else the HTTP status to refuse it with
    const char* reason = ""; // that status's reason phrase ("Bad Request", ...)

    QByteArray method;                                      // "GET"
    QByteArray target;                                      // "/api/state"
    QByteArray version;                                     // "HTTP/1.1"
    std::vector<std::pair<QByteArray, QByteArray>> headers; // names in lower case, values trimmed
    qint64 contentLength = 0;
    bool keepAlive = true; // the connection stays open after the answer

    // The value of header `name` (lower case); the first one when it repeats; empty if absent.
    QByteArray value(QByteArrayView name) const;
};

// True when `line` (without or with its line break) reads "METHOD /target HTTP/1.x".
bool isRequestLine(QByteArrayView line);

// Parses a complete head: `bytes` ends with its empty line ("\r\n\r\n" or "\n\n"); bytes past
// it are ignored. A head over the limit is 431, a first line that is not a request line or a
// header line without a name 400, a chunked body 411, a Content-Length that is not one
// number or over the limit 413.
RequestHead parseRequestHead(QByteArrayView bytes, const RequestHeadLimits& limits = {});

} // namespace dragoman::control

// Who may do what with the HTTP control API, as plain rules the server applies per request.
//
// Thread contract: pure functions; any thread.
#pragma once

#include <QHostAddress>

namespace dragoman::control {

// 127.0.0.0/8 and ::1, also written as IPv4-mapped IPv6 (::ffff:127.0.0.1).
bool isLoopback(const QHostAddress& address);

// Reads are open to the machine itself; to other hosts only when the venue allows remote
// reads, or when the client presents the write token (whoever may write may read).
bool mayRead(const QHostAddress& peer, bool remoteReads, bool presentsToken);

} // namespace dragoman::control

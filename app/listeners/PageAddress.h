// The address listeners type or scan to reach the listeners' page: the address the server is
// bound to, or, bound to every interface (0.0.0.0 / ::), this machine's first address on the
// venue network (an IPv4 address of an interface that is up and not loopback; loopback when
// there is none).
//
// Thread contract: any thread.
#pragma once

#include <QHostAddress>
#include <QUrl>

namespace dragoman::listeners {

// `https`: the https scheme (the server answers it on the same port), else http.
QUrl listenersPageUrl(const QHostAddress& bound, quint16 port, bool https = false);

} // namespace dragoman::listeners

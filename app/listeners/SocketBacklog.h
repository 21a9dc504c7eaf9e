// What a TCP connection still holds for its peer: Qt's write buffer (over TLS, the bytes not
// encrypted yet and the encrypted ones) plus what the kernel has not had acknowledged yet
// (SIOCOUTQ). A listener whose backlog keeps growing is too slow.
//
// Thread contract: the socket's thread.
#pragma once

#include <QSslSocket>
#include <QTcpSocket>
#include <algorithm>
#include <cstddef>
#include <linux/sockios.h>
#include <sys/ioctl.h>

namespace dragoman::listeners {

inline std::size_t unsentBytes(const QTcpSocket& socket) {
    int kernel = 0;
    if (::ioctl(static_cast<int>(socket.socketDescriptor()), SIOCOUTQ, &kernel) != 0)
        kernel = 0;
    const auto* tls = qobject_cast<const QSslSocket*>(&socket);
    return static_cast<std::size_t>(socket.bytesToWrite()) +
           static_cast<std::size_t>(tls ? tls->encryptedBytesToWrite() : 0) +
           static_cast<std::size_t>(std::max(kernel, 0));
}

} // namespace dragoman::listeners

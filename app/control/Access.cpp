#include "control/Access.h"

namespace dragoman::control {

bool isLoopback(const QHostAddress& address) {
    bool isIPv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isIPv4);
    return isIPv4 ? QHostAddress(ipv4).isLoopback() : address.isLoopback();
}

bool mayRead(const QHostAddress& peer, bool remoteReads, bool presentsToken) {
    return isLoopback(peer) || remoteReads || presentsToken;
}

} // namespace dragoman::control

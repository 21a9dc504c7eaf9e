#include "listeners/PageAddress.h"

#include <QNetworkInterface>

namespace dragoman::listeners {

namespace {

QHostAddress venueAddress() {
    for (const auto& interface : QNetworkInterface::allInterfaces()) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) ||
            !flags.testFlag(QNetworkInterface::IsRunning) ||
            flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        for (const auto& entry : interface.addressEntries())
            if (entry.ip().protocol() == QAbstractSocket::IPv4Protocol)
                return entry.ip();
    }
    return QHostAddress(QHostAddress::LocalHost);
}

} // namespace

QUrl listenersPageUrl(const QHostAddress& bound, quint16 port, bool https) {
    const bool everywhere = bound == QHostAddress(QHostAddress::AnyIPv4) ||
                            bound == QHostAddress(QHostAddress::AnyIPv6) ||
                            bound == QHostAddress(QHostAddress::Any);
    QUrl url;
    url.setScheme(https ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost((everywhere ? venueAddress() : bound).toString());
    url.setPort(port);
    url.setPath(QStringLiteral("/"));
    return url;
}

} // namespace dragoman::listeners

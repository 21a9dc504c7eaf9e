#include "webrtc/JanusMountpoints.h"

#include "venue/Venue.h"

#include <QHostAddress>
#include <QRandomGenerator>
#include <QUdpSocket>
#include <stdexcept>

namespace dragoman::webrtc {

namespace {

// A free loopback UDP port, not one of `taken` (bound once, then released for Janus).
quint16 freeUdpPort(const QList<Mountpoint>& taken) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        QUdpSocket socket;
        if (!socket.bind(QHostAddress::LocalHost, 0))
            continue;
        const quint16 port = socket.localPort();
        bool used = false;
        for (const auto& m : taken)
            used = used || m.rtpPort == port;
        if (!used)
            return port;
    }
    throw std::runtime_error("WebRTC: no free loopback UDP port for a Janus mountpoint");
}

// A jcfg string: what Dragoman writes there comes from the venue (validated UTF-8); quotes and
// backslashes are escaped, control characters dropped.
QString quoted(const QString& text) {
    QString out;
    for (const QChar c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c.unicode() >= 0x20)
            out += c;
    }
    return '"' + out + '"';
}

} // namespace

QString randomSecret(int bytes) {
    QByteArray raw(bytes, Qt::Uninitialized);
    for (auto& b : raw)
        b = static_cast<char>(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(raw.toHex());
}

namespace {

Mountpoint describe(const venue::Venue& venue, std::size_t c) {
    const auto& channel = venue.channels[c];
    Mountpoint m;
    m.channel = static_cast<int>(c);
    m.code = QString::fromStdString(channel.code);
    m.description = QString::fromStdString(channel.nativeName.empty()
                                               ? channel.name.empty() ? channel.code : channel.name
                                               : channel.nativeName);
    m.secret = randomSecret();
    m.fmtp = channel.opus.fec ? QStringLiteral("useinbandfec=1") : QString();
    return m;
}

} // namespace

JanusMountpoints JanusMountpoints::plan(const venue::Venue& venue) {
    JanusMountpoints plan;
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        auto m = describe(venue, c);
        m.id = static_cast<qint64>(c) + 1;
        m.rtpPort = freeUdpPort(plan.mountpoints_);
        plan.mountpoints_.append(m);
    }
    return plan;
}

JanusMountpoints JanusMountpoints::external(const venue::Venue& venue, qint64 firstId,
                                            int firstPort) {
    JanusMountpoints plan;
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        auto m = describe(venue, c);
        m.id = firstId + static_cast<qint64>(c);
        m.rtpPort = static_cast<quint16>(firstPort + static_cast<int>(c));
        plan.mountpoints_.append(m);
    }
    return plan;
}

const Mountpoint* JanusMountpoints::byCode(const QString& code) const {
    for (const auto& m : mountpoints_)
        if (m.code == code)
            return &m;
    return nullptr;
}

QString JanusMountpoints::pluginConfig(const QString& adminKey) const {
    QString text = QStringLiteral("# Written by Dragoman for its private Janus; rewritten at every "
                                  "start.\ngeneral: {\n\tadmin_key = %1\n\tevents = false\n}\n")
                       .arg(quoted(adminKey));
    for (const auto& m : mountpoints_) {
        text += QStringLiteral("dragoman-%1: {\n\ttype = \"rtp\"\n\tid = %2\n\tdescription = %3\n"
                               "\tsecret = %4\n\tmedia = (\n\t\t{\n\t\t\ttype = \"audio\"\n"
                               "\t\t\tmid = \"a\"\n\t\t\tport = %5\n\t\t\tiface = \"127.0.0.1\"\n"
                               "\t\t\tpt = 96\n\t\t\tcodec = \"opus\"\n")
                    .arg(m.code)
                    .arg(m.id)
                    .arg(quoted(m.description), quoted(m.secret))
                    .arg(m.rtpPort);
        if (!m.fmtp.isEmpty())
            text += QStringLiteral("\t\t\tfmtp = %1\n").arg(quoted(m.fmtp));
        text += QStringLiteral("\t\t}\n\t)\n}\n");
    }
    return text;
}

} // namespace dragoman::webrtc

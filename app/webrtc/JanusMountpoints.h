// The streaming plugin's mountpoints for a venue: one Opus RTP mountpoint per channel, id =
// channel index + 1, fed by Dragoman's RTP sender on a loopback port of its own, each with a
// random secret so that nobody but Dragoman can change, disable or destroy it. The plan is
// written into the private Janus's streaming plugin configuration (JanusConfig.h), so a Janus
// that restarts has every mountpoint back before it answers its first request.
//
// Thread contract: the control thread; a plain value.
#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace dragoman::venue {
struct Venue;
}

namespace dragoman::webrtc {

struct Mountpoint {
    int channel = 0;     // venue channel index
    qint64 id = 0;       // the streaming plugin's mountpoint id (channel + 1)
    QString code;        // "en"
    QString description; // the channel's native name
    quint16 rtpPort = 0; // where Janus takes the channel's RTP (127.0.0.1)
    QString secret;      // needed to edit, disable or destroy it
    QString fmtp;        // "useinbandfec=1" when the channel carries in-band FEC
};

class JanusMountpoints {
public:
    // One mountpoint per venue channel, each on a free loopback UDP port; throws
    // std::runtime_error when no port is free.
    static JanusMountpoints plan(const venue::Venue& venue);
    // For a Janus on another machine: channel c as mountpoint firstId + c on port firstPort + c
    // (at the server's RTP address), each with a random secret of its own.
    static JanusMountpoints external(const venue::Venue& venue, qint64 firstId, int firstPort);

    const QList<Mountpoint>& all() const { return mountpoints_; }
    const Mountpoint* byCode(const QString& code) const;

    // The streaming plugin's configuration (janus.plugin.streaming.jcfg) with `adminKey`: the
    // key that any "create" request needs (nobody else has it).
    QString pluginConfig(const QString& adminKey) const;

private:
    QList<Mountpoint> mountpoints_;
};

// A random token of `bytes` bytes as hex (from the system's random source).
QString randomSecret(int bytes = 16);

} // namespace dragoman::webrtc

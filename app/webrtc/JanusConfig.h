// The configuration folder of Dragoman's private Janus (Debian's `janus`, 1.1): janus.jcfg
// with only the streaming plugin and the HTTP transport loaded (every other plugin, transport,
// logger and event handler the installation has is disabled by name), an API secret, the
// venue's media port range and, when given, the interfaces ICE may use; the HTTP transport on
// 127.0.0.1 at `apiPort` with its admin API off; the streaming plugin's mountpoints
// (JanusMountpoints.h).
//
// Thread contract: the control thread.
#pragma once

#include "webrtc/JanusMountpoints.h"

#include <QString>
#include <QStringList>

namespace dragoman::webrtc {

struct JanusConfig {
    QString folder;    // written into (created 0700; the files hold secrets)
    QString libFolder; // the installation's plugins/, transports/, events/, loggers/ parent
    quint16 apiPort = 0;
    QString apiSecret;
    QString adminKey; // the streaming plugin's: needed to create mountpoints
    int rtpPortMin = 20000;
    int rtpPortMax = 20999;
    QStringList iceInterfaces; // ice_enforce_list; empty: every interface Janus sees
    int sessionTimeoutSeconds = 60;

    // Writes janus.jcfg, janus.transport.http.jcfg and janus.plugin.streaming.jcfg; false
    // with `error` set when the folder cannot be written.
    bool write(const JanusMountpoints& mountpoints, QString* error) const;
    QString janusFile() const { return folder + QStringLiteral("/janus.jcfg"); }
};

// The folder of the installed Janus's modules (the one holding plugins/libjanus_streaming.so),
// e.g. /usr/lib/x86_64-linux-gnu/janus on Debian; "" when none is found.
QString findJanusLibFolder();

// The ".so" module names in `folder` other than `keep`, comma-separated (for "disable").
QString modulesExcept(const QString& folder, const QString& keep);

} // namespace dragoman::webrtc

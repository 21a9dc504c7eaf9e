#include "webrtc/JanusConfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace dragoman::webrtc {

namespace {

bool writeFile(const QString& path, const QString& text, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}

} // namespace

QString findJanusLibFolder() {
    QStringList candidates;
    const QDir lib(QStringLiteral("/usr/lib"));
    for (const auto& multiarch : lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        candidates << lib.filePath(multiarch + QStringLiteral("/janus"));
    candidates << QStringLiteral("/usr/lib/janus") << QStringLiteral("/usr/local/lib/janus")
               << QStringLiteral("/opt/janus/lib/janus");
    for (const auto& folder : candidates)
        if (QFileInfo::exists(folder + QStringLiteral("/plugins/libjanus_streaming.so")))
            return folder;
    return {};
}

QString modulesExcept(const QString& folder, const QString& keep) {
    QStringList names;
    for (const auto& name : QDir(folder).entryList({QStringLiteral("*.so")}, QDir::Files))
        if (name != keep)
            names << name;
    return names.join(',');
}

bool JanusConfig::write(const JanusMountpoints& mountpoints, QString* error) const {
    if (!QDir().mkpath(folder)) {
        if (error)
            *error = QStringLiteral("cannot make %1").arg(folder);
        return false;
    }
    QFile::setPermissions(folder,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QString plugins = libFolder + QStringLiteral("/plugins");
    const QString transports = libFolder + QStringLiteral("/transports");
    const QString events = libFolder + QStringLiteral("/events");
    const QString loggers = libFolder + QStringLiteral("/loggers");
    QString nat = QStringLiteral("\tnice_debug = false\n\tignore_mdns = true\n");
    if (!iceInterfaces.isEmpty())
        nat += QStringLiteral("\tice_enforce_list = \"%1\"\n").arg(iceInterfaces.join(','));
    const QString janus =
        QStringLiteral(
            "# Written by Dragoman for its private Janus; rewritten at every start.\n"
            "general: {\n\tconfigs_folder = \"%1\"\n\tplugins_folder = \"%2\"\n"
            "\ttransports_folder = \"%3\"\n\tevents_folder = \"%4\"\n\tloggers_folder = \"%5\"\n"
            "\tdebug_level = 4\n\tapi_secret = \"%6\"\n\tsession_timeout = %7\n"
            "\tserver_name = \"Dragoman\"\n}\n"
            "media: {\n\trtp_port_range = \"%8-%9\"\n}\n"
            "nat: {\n%10}\n"
            "plugins: {\n\tdisable = \"%11\"\n}\n"
            "transports: {\n\tdisable = \"%12\"\n}\n"
            "loggers: {\n\tdisable = \"%13\"\n}\n"
            "events: {\n\tbroadcast = false\n\tdisable = \"%14\"\n}\n")
            .arg(folder, plugins, transports, events, loggers, apiSecret)
            .arg(sessionTimeoutSeconds)
            .arg(rtpPortMin)
            .arg(rtpPortMax)
            .arg(nat, modulesExcept(plugins, QStringLiteral("libjanus_streaming.so")),
                 modulesExcept(transports, QStringLiteral("libjanus_http.so")),
                 modulesExcept(loggers, {}), modulesExcept(events, {}));
    const QString http =
        QStringLiteral("general: {\n\tjson = \"plain\"\n\tbase_path = \"/janus\"\n\thttp = true\n"
                       "\tport = %1\n\tip = \"127.0.0.1\"\n\thttps = false\n\tevents = false\n}\n"
                       "admin: {\n\tadmin_http = false\n\tadmin_https = false\n}\n")
            .arg(apiPort);
    return writeFile(janusFile(), janus, error) &&
           writeFile(folder + QStringLiteral("/janus.transport.http.jcfg"), http, error) &&
           writeFile(folder + QStringLiteral("/janus.plugin.streaming.jcfg"),
                     mountpoints.pluginConfig(adminKey), error);
}

} // namespace dragoman::webrtc

#include "listeners/IcecastPush.h"

#include <QJsonObject>
#include <cstdlib>

namespace dragoman::listeners {

namespace {

QString stateName(IcecastSource::State state) {
    switch (state) {
    case IcecastSource::State::Waiting:
        return QStringLiteral("waiting");
    case IcecastSource::State::Connecting:
        return QStringLiteral("connecting");
    case IcecastSource::State::Handshake:
        return QStringLiteral("handshake");
    case IcecastSource::State::Streaming:
        return QStringLiteral("streaming");
    }
    return {};
}

} // namespace

QString resolveIcecastPassword(const venue::IcecastSettings& settings) {
    if (const char* password = std::getenv("DRAGOMAN_ICECAST_PASSWORD"))
        return QString::fromUtf8(password);
    return QString::fromStdString(settings.password);
}

IcecastPush::IcecastPush(stream::LiveOggStreams& streams, const venue::Venue& venue,
                         QString password, IcecastRetry retry, QObject* parent)
    : QObject(parent)
    , streams_(streams) {
    const auto& settings = venue.icecast;
    server_ = QStringLiteral("%1:%2").arg(QString::fromStdString(settings.host)).arg(settings.port);
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        const auto& channel = venue.channels[c];
        const auto index = streams.channelIndex(channel.code);
        if (!index)
            continue;
        IcecastMount mount;
        mount.host = QString::fromStdString(settings.host);
        mount.port = static_cast<quint16>(settings.port);
        mount.user = QString::fromStdString(settings.user);
        mount.password = password;
        mount.mount = QString::fromStdString(settings.mountPrefix + channel.code + ".opus");
        mount.name = QString::fromStdString(venue.name.empty() ? channel.name
                                                               : venue.name + " — " + channel.name);
        mount.description = QString::fromStdString(channel.nativeName);
        mount.isPublic = settings.isPublic;
        sources_.push_back(std::make_unique<IcecastSource>(streams, *index, mount, retry));
        codes_.push_back(QString::fromStdString(channel.code));
    }
    drain_.setTimerType(Qt::PreciseTimer);
    connect(&drain_, &QTimer::timeout, this, [this] { streams_.drain(); });
}

IcecastPush::~IcecastPush() = default;

void IcecastPush::start() {
    for (const auto& source : sources_)
        source->start();
    drain_.start(5);
}

QJsonObject IcecastPush::statusJson() const {
    QJsonArray mounts;
    for (std::size_t s = 0; s < sources_.size(); ++s) {
        const auto& source = sources_[s];
        const auto status = source->status();
        mounts.append(QJsonObject{
            {"channel", codes_[s]},
            {"mount", source->mount().mount},
            {"state", stateName(status.state)},
            {"connects", static_cast<qint64>(status.connects)},
            {"failures", static_cast<qint64>(status.failures)},
            {"bytesSent", static_cast<qint64>(status.bytesSent)},
            {"lastError", status.lastError.isEmpty() ? QJsonValue() : QJsonValue(status.lastError)},
            {"retryInMs", status.retryInMs},
        });
    }
    return {{"server", server_}, {"mounts", mounts}};
}

} // namespace dragoman::listeners

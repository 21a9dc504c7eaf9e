// The venue's Icecast push (venue "icecast"): every channel, floor included, as an Ogg Opus
// source on its own mount (mountPrefix + code + ".opus"), each connecting and reconnecting on
// its own (IcecastSource.h). It drains the live Ogg queue itself, so the push works with or
// without the listeners' HTTP streams.
//
// Thread contract: the control (Qt main) thread.
#pragma once

#include "listeners/IcecastSource.h"
#include "stream/LiveOggStreams.h"
#include "venue/Venue.h"

#include <QJsonArray>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <vector>

namespace dragoman::listeners {

// The source password: DRAGOMAN_ICECAST_PASSWORD when set, else the venue's.
QString resolveIcecastPassword(const venue::IcecastSettings& settings);

class IcecastPush : public QObject {
    Q_OBJECT

public:
    // `streams` must outlive the push; `venue.icecast` must be configured.
    IcecastPush(stream::LiveOggStreams& streams, const venue::Venue& venue, QString password,
                IcecastRetry retry = {}, QObject* parent = nullptr);
    ~IcecastPush() override;

    void start(); // every source's first attempt, and the draining

    const std::vector<std::unique_ptr<IcecastSource>>& sources() const { return sources_; }
    // For /api/state: [{channel, mount, state, connects, failures, bytesSent, lastError,
    // retryInMs}] and the server's address.
    QJsonObject statusJson() const;

private:
    stream::LiveOggStreams& streams_;
    QString server_; // "host:port"
    std::vector<std::unique_ptr<IcecastSource>> sources_;
    std::vector<QString> codes_; // each source's channel code
    QTimer drain_;
};

} // namespace dragoman::listeners

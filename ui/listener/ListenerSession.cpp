#include "listener/ListenerSession.h"

#include <QHostAddress>
#include <QHostInfo>
#include <algorithm>
#include <stdexcept>

namespace dragoman::ui {

ListenerSession::ListenerSession(SessionSettings settings, QObject* parent)
    : QObject(parent)
    , settings_(std::move(settings))
    , player_(2, 4096) {
    connect(&client_, &RouterClient::channelsReceived, this,
            [this](const QVector<ChannelInfo>& channels) {
                if (channels == channels_)
                    return;
                channels_ = channels;
                Q_EMIT channelsChanged();
            });
    connect(&client_, &RouterClient::channelsFailed, this, [this](const QString& error) {
        Q_EMIT message(tr("Cannot reach the router: %1").arg(error));
    });
    connect(&client_, &RouterClient::subscribed, this, &ListenerSession::onSubscribed);
    connect(&client_, &RouterClient::subscribeFailed, this,
            [this](const QString& code, const QString& error) {
                // A tuning that never played is given up; the playing one carries on.
                tunings_.erase(std::remove_if(tunings_.begin(), tunings_.end(),
                                              [&code](const auto& t) {
                                                  return t->code == code && !t->handedOver;
                                              }),
                               tunings_.end());
                Q_EMIT message(tr("Cannot tune %1: %2").arg(code, error));
            });
    listTimer_.setInterval(2000);
    connect(&listTimer_, &QTimer::timeout, &client_, &RouterClient::refreshChannels);
    qualityTimer_.setInterval(100);
    connect(&qualityTimer_, &QTimer::timeout, this, &ListenerSession::collect);
    renewTimer_.setInterval(1000);
    connect(&renewTimer_, &QTimer::timeout, this, &ListenerSession::resubscribe);
}

ListenerSession::~ListenerSession() {
    if (audio_)
        audio_->stop(); // no more process(): the channels can go
    for (auto& t : tunings_)
        t->receiver.reset();
}

bool ListenerSession::start(QString* error) {
    if (!client_.setRouter(settings_.router)) {
        if (error)
            *error = tr("the router address must be http://HOST:PORT");
        return false;
    }
    device::AudioSettings audio;
    audio.audio = settings_.audio;
    audio.inputs = 0;
    audio.outputs = 2;
    audio.jackClientName = settings_.clientName;
    audio_ = std::make_unique<device::AudioRunner>(player_, audio);
    audio_->start();
    client_.refreshChannels();
    listTimer_.start();
    qualityTimer_.start();
    renewTimer_.start();
    return true;
}

bool ListenerSession::setRouter(const QUrl& url) {
    if (!client_.setRouter(url))
        return false;
    settings_.router = url;
    channels_.clear();
    Q_EMIT channelsChanged();
    client_.refreshChannels();
    return true;
}

std::optional<stream::Endpoint> ListenerSession::routerRtcp() const {
    quint16 port = 0;
    for (const auto& c : channels_)
        port = std::max(port, c.rtpSourcePort);
    if (port == 0)
        return std::nullopt;
    QHostAddress address(client_.router().host());
    if (address.isNull()) {
        const auto info = QHostInfo::fromName(client_.router().host());
        for (const auto& a : info.addresses())
            if (a.protocol() == QAbstractSocket::IPv4Protocol) {
                address = a;
                break;
            }
    }
    bool ok = false;
    const quint32 v4 = address.toIPv4Address(&ok);
    if (!ok)
        return std::nullopt;
    return stream::Endpoint{v4, static_cast<std::uint16_t>(port + 1)};
}

void ListenerSession::tune(const QString& code) {
    for (const auto& t : tunings_)
        if (t->code == code && (t.get() == active() || !t->handedOver))
            return; // already playing or on its way
    auto tuning = std::make_unique<Tuning>();
    tuning->code = code;
    tuning->channel = std::make_unique<receive::ReceiveChannel>();
    receive::RtpReceiverSettings rx;
    rx.routerRtcp = routerRtcp();
    if (settings_.rtpPort != 0)
        rx.port = static_cast<std::uint16_t>(settings_.rtpPort + 2 * portFlip_);
    try {
        tuning->receiver = std::make_unique<receive::RtpReceiver>(*tuning->channel, rx);
    } catch (const std::exception& e) {
        Q_EMIT message(QString::fromStdString(e.what()));
        return;
    }
    tuning->subscribePort = settings_.subscribePort != 0
                                ? static_cast<quint16>(settings_.subscribePort + 2 * portFlip_)
                                : tuning->receiver->rtpPort();
    portFlip_ ^= 1;
    tuning->receiver->start();
    client_.subscribe(code, tuning->subscribePort);
    tunings_.push_back(std::move(tuning));
}

void ListenerSession::onSubscribed(const QString& code, quint16 port) {
    // The newest tuning of that code at that port (a renewal matches the active one).
    for (auto it = tunings_.rbegin(); it != tunings_.rend(); ++it) {
        Tuning& t = **it;
        if (t.code != code || t.subscribePort != port || t.handedOver)
            continue;
        t.handedOver = true;
        if (receive::ReceiveChannel* unused = player_.tune(t.channel.get()))
            drop(unused);
        tuned_ = code;
        Q_EMIT tunedChanged(code);
        return;
    }
}

ListenerSession::Tuning* ListenerSession::active() const {
    const auto* current = player_.current();
    for (const auto& t : tunings_)
        if (t->channel.get() == current)
            return t.get();
    return nullptr;
}

void ListenerSession::drop(const receive::ReceiveChannel* channel) {
    tunings_.erase(std::remove_if(tunings_.begin(), tunings_.end(),
                                  [channel](const auto& t) { return t->channel.get() == channel; }),
                   tunings_.end());
}

void ListenerSession::collect() {
    while (const receive::ReceiveChannel* retired = player_.collectRetired())
        drop(retired);
    Q_EMIT qualityChanged();
}

void ListenerSession::resubscribe() {
    Tuning* t = active();
    if (!t)
        return;
    ++renewTick_;
    // Every resubscribeSeconds, and every second while nothing arrives (the router restarted).
    if (t->receiver->secondsSinceLastPacket() > 2.0 ||
        renewTick_ % std::max(1, settings_.resubscribeSeconds) == 0)
        client_.subscribe(t->code, t->subscribePort);
}

void ListenerSession::setVolume(double gain) {
    player_.setVolume(static_cast<float>(std::clamp(gain, 0.0, 4.0)));
}

LinkQuality ListenerSession::quality() const {
    LinkQuality q;
    const Tuning* t = active();
    if (!t)
        return q;
    const auto s = t->channel->stats();
    q.code = t->code;
    q.playing = s.playing;
    q.lossPercent = s.lossPercent();
    q.concealedPercent = s.concealedPercent();
    q.jitterMs = s.jitterMs;
    q.bufferMs = s.bufferMs;
    q.latencyMs = s.bufferMs + (audio_ ? audio_->status().outputLatencyMs : 0.0);
    q.fecFrames = s.fecFrames;
    q.plcFrames = s.plcFrames;
    q.late = s.late;
    q.duplicates = s.duplicates;
    q.underruns = s.underruns;
    q.restarts = s.restarts;
    q.ppm = s.ppm;
    q.compressedMs = static_cast<double>(s.compressedSamples) / 48.0;
    return q;
}

device::DeviceStatus ListenerSession::deviceStatus() const {
    return audio_ ? audio_->status() : device::DeviceStatus{};
}

} // namespace dragoman::ui

// A listener's session with one router: the channel list (refreshed every 2 s), the tuned
// channel's receive path (a ReceiveChannel fed by an RtpReceiver, played by a Player on an
// audio device through the device layer), the subscription kept alive (RTCP receiver reports,
// and the SDP request repeated every 20 s, at once when the stream stops), volume and the link
// quality. The window and the headless main both drive one.
//
// Thread contract: the Qt (control) thread; the audio and network threads belong to the
// device layer and the RtpReceivers.
#pragma once

#include "device/AudioRunner.h"
#include "listener/RouterClient.h"
#include "receive/Player.h"
#include "receive/ReceiveChannel.h"
#include "receive/RtpReceiver.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>
#include <QVector>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dragoman::ui {

struct SessionSettings {
    QUrl router;                                  // http://HOST:PORT
    std::string audio = "default";                // jack | default | virtual | a device name
    std::string clientName = "dragoman-listener"; // JACK client (ports out_0, out_1)
    quint16 rtpPort = 0;       // the local RTP port (even; 0: a free pair per tuning)
    quint16 subscribePort = 0; // the port the router is asked to send to (0: rtpPort), for a
                               // relay in between
    int resubscribeSeconds = 20;
};

struct LinkQuality {
    QString code;
    bool playing = false;
    double lossPercent = 0.0;
    double concealedPercent = 0.0;
    double jitterMs = 0.0;
    double bufferMs = 0.0;  // the receive path's buffer
    double latencyMs = 0.0; // buffer + the device's output latency
    std::uint64_t fecFrames = 0;
    std::uint64_t plcFrames = 0;
    std::uint64_t late = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t underruns = 0;
    std::uint64_t restarts = 0;
    int ppm = 0;
    double compressedMs = 0.0; // cut out to play bursts out at once
};

class ListenerSession : public QObject {
    Q_OBJECT

public:
    explicit ListenerSession(SessionSettings settings, QObject* parent = nullptr);
    ~ListenerSession() override;

    // Starts audio and the channel list. False (with `error`) when the router URL is bad.
    bool start(QString* error = nullptr);
    // Changes the router (the tuned channel stays until another is tuned).
    bool setRouter(const QUrl& url);
    QUrl router() const { return client_.router(); }

    // Tunes a channel of the list (asynchronously: tunedChanged() says when it plays).
    void tune(const QString& code);
    QString tuned() const { return tuned_; }

    void setVolume(double gain); // linear gain: 0..1 (up to 4: a boost)
    double volume() const { return player_.volume(); }

    const QVector<ChannelInfo>& channels() const { return channels_; }
    LinkQuality quality() const;
    device::DeviceStatus deviceStatus() const;
    RouterClient& client() { return client_; }

Q_SIGNALS:
    void channelsChanged();
    void tunedChanged(const QString& code);
    void qualityChanged();
    void message(const QString& text);

private:
    struct Tuning {
        QString code;
        std::unique_ptr<receive::ReceiveChannel> channel;
        std::unique_ptr<receive::RtpReceiver> receiver; // destroyed first: it feeds the channel
        quint16 subscribePort = 0;
        bool handedOver = false;
    };
    void onSubscribed(const QString& code, quint16 port);
    void collect();
    void resubscribe();
    void drop(const receive::ReceiveChannel* channel);
    Tuning* active() const;
    std::optional<stream::Endpoint> routerRtcp() const;

    SessionSettings settings_;
    RouterClient client_;
    receive::Player player_;
    std::unique_ptr<device::AudioRunner> audio_;
    QVector<ChannelInfo> channels_;
    std::vector<std::unique_ptr<Tuning>> tunings_;
    QString tuned_;
    int portFlip_ = 0;
    int renewTick_ = 0;
    QTimer listTimer_, qualityTimer_, renewTimer_;
};

} // namespace dragoman::ui

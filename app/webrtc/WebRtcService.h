// WebRTC for listeners as one service the router runs (`dragoman --webrtc`): the Janus backends
// the venue asks for and the signalling over them.
//
//   no webrtc.servers   the private Janus (JanusProcess.h): a child process on loopback, its
//                       mountpoints fed on loopback ports
//   webrtc.servers[]    those Janus servers instead (JanusServer.h), each carrying every channel;
//                       no private Janus (the router's machine keeps its CPU for the audio, and a
//                       venue that needs several servers needs none on the router)
//
// feeds() says where the router's RTP sender sends each channel's RTP (one destination per
// channel and server; servers that join one multicast group share it).
//
// Thread contract: the control (Qt main) thread.
#pragma once

#include "webrtc/Signalling.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace dragoman::venue {
struct Venue;
}

namespace dragoman::webrtc {

class JanusBackend;
class JanusProcess;
class JanusServer;

struct WebRtcOptions {
    QString janusProgram = QStringLiteral("janus"); // the private Janus's program
    QStringList iceInterfaces;                      // the private Janus's ICE interfaces; all
    QString runtimeFolder; // the private Janus's configuration goes in a folder under it
};

class WebRtcService : public QObject {
    Q_OBJECT

public:
    struct Feed {
        int channel = 0;
        quint32 address = 0; // IPv4, host order
        quint16 port = 0;
    };

    // Plans the backends; throws std::runtime_error (no Janus installed, no free port).
    WebRtcService(const venue::Venue& venue, WebRtcOptions options, QObject* parent = nullptr);
    ~WebRtcService() override; // stops

    QList<Feed> feeds() const;
    // Starts the backends; throws std::runtime_error when the private Janus cannot start (an
    // external server that does not answer yet is only "down": it is tried again).
    void start();
    // The private Janus stopped by its process id and its folder removed; the mountpoints on
    // the external servers destroyed.
    void stop();

    Signalling& signalling() { return *signalling_; } // until stop()
    bool external() const { return !servers_.empty(); }
    // WebRTC listeners of a channel (its code), on every backend.
    int listeners(const QString& code) const; // 0 once stopped
    // /api/state's "webrtc": the private Janus's {state, pid, restarts, api, lastExit,
    // mountpoints} (or, with external servers, {state: "running" while one is}), and
    // "servers": one entry per backend with its sessions and listeners (per channel),
    // "signalling": the counters.
    QJsonObject statusJson() const;
    // One line for the console: "running · Janus 4242 · 3 listeners" or
    // "2/2 Janus up · 20 listeners (a 10 · b 10)"; `healthy` false while one is down.
    QString summary(bool* healthy) const;
    QStringList bannerLines() const;

private:
    std::unique_ptr<JanusProcess> private_;
    std::vector<std::unique_ptr<JanusServer>> servers_;
    std::unique_ptr<Signalling> signalling_;
    QList<JanusBackend*> backends_;
};

} // namespace dragoman::webrtc

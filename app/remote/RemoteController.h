// The console's control::Controller for a router on another computer: the control port's
// WebSocket (/api/ws, control/WsHub.h) instead of an in-process engine.
//
//   open ─► {"type":"auth","token","panel"} ─► hello (role, the venue) ─► state ─► meters at
//   meterHz ─► a state after every change; submit() ─► command frame ─► answer (by id) ─► done
//
// The venue comes with the hello (the windows are built from it once); every state frame
// replaces the whole routing picture, so after a reconnect the console shows the router's true
// state. The link is watched: a closed socket, or no frame and no pong for `silence`, marks it
// down at once (linkChanged(false)); it is opened again every `retry` until the router answers.
// A command sent while the link is down is answered Unreachable, as is one whose answer the
// link took with it; one the router leaves unanswered for `answerTimeout` is answered TimedOut.
//
// Thread contract: the GUI thread (the thread it lives on); Qt's event loop drives it.
#pragma once

#include "control/Controller.h"
#include "device/DeviceStatus.h"

#include <QElapsedTimer>
#include <QSslCertificate>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace dragoman::remote {

struct RemoteSettings {
    QUrl url;         // ws://HOST:PORT/api/ws or wss://… (RouterUrl.h makes it from http(s)://)
    QByteArray token; // the technician's or a desk's token
    QString panel;    // "en.1": this console shows that desk's panel (the router counts it)
    // wss only: the router's certificate SHA-256 fingerprint (hex, colons or not). Empty: the
    // system's trusted authorities decide; set: that certificate is trusted, even self-signed,
    // and no other is.
    QString fingerprint;
    int meterHz = 30;                              // meter frames per second (0..30)
    std::chrono::milliseconds retry{1000};         // between attempts while the link is down
    std::chrono::milliseconds silence{3000};       // no frame nor pong this long: link dead
    std::chrono::milliseconds answerTimeout{3000}; // an unanswered command is TimedOut
};

// Whether `certificate` is the one `fingerprint` (SHA-256, hex with or without colons) names.
bool pinned(const QSslCertificate& certificate, const QString& fingerprint);

class RemoteController : public control::Controller {
    Q_OBJECT

public:
    explicit RemoteController(RemoteSettings settings, QObject* parent = nullptr);
    ~RemoteController() override;

    // Opens the link; it reopens by itself whenever it drops.
    void start();

    // control::Controller
    void submit(const core::Command& command, Done done) override;
    using Controller::submit;
    const core::RoutingState& routing() override { return routing_; }
    const core::MeterBank& meters() const override { return *meters_; }
    const venue::Venue& venue() const override { return venue_; }

    // The venue and a first state have arrived (the windows can be built).
    bool ready() const { return ready_; }
    // Authenticated and receiving state now.
    bool up() const { return up_; }
    // "connected to …", "connecting to …", "disconnected from …: REASON".
    QString linkText() const;
    // The hello's role ("technician" or "desk") and a desk token's desk ("" for none).
    QString role() const { return role_; }
    QString tokenDesk() const { return tokenDesk_; }

    device::DeviceStatus device() const { return device_; }
    int listeners(int channel) const;
    std::vector<int> panels() const { return panels_; }

    struct Counters {
        std::uint64_t connects = 0;    // hellos received
        std::uint64_t drops = 0;       // times an established link went down
        std::uint64_t states = 0;      // state frames read
        std::uint64_t meterFrames = 0; // meter frames read
        std::uint64_t problems = 0;    // fields or frames that could not be read
        std::uint64_t answers = 0;     // commands answered by the router
    };
    Counters counters() const { return counters_; }

Q_SIGNALS:
    // The first hello and state have arrived: ready() holds from now on.
    void becameReady();
    // The link came up (a state arrived after a hello) or went down (at once).
    void linkChanged(bool up);
    // The router refused this console (wrong token, a desk it may not show, another venue
    // than the windows were built for): it does not retry.
    void refused(const QString& why);

private:
    struct Pending {
        core::Command command;
        Done done;
        qint64 deadlineMs = 0;
    };

    void open();
    void onConnected();
    void onText(const QString& text);
    void onHello(const QJsonObject& frame);
    void onState(const QJsonObject& frame);
    void onAnswer(qint64 id, const QJsonObject& frame, bool error);
    void onClosed();
    void markDown(const QString& reason);
    void refuse(const QString& why);
    void tick();
    void answerLater(Done done, control::CommandAnswer answer);

    RemoteSettings settings_;
    QWebSocket socket_;
    QTimer retryTimer_;
    QTimer tickTimer_;
    QElapsedTimer clock_;
    qint64 lastHeardMs_ = 0;
    bool started_ = false;
    bool helloSeen_ = false; // on this connection
    bool ready_ = false;
    bool up_ = false;
    bool refused_ = false;
    QString downReason_;
    QString role_;
    QString tokenDesk_;
    venue::Venue venue_;
    core::RoutingState routing_;
    std::unique_ptr<core::MeterBank> meters_;
    device::DeviceStatus device_;
    std::vector<int> listeners_;
    std::vector<int> panels_;
    std::map<qint64, Pending> pending_;
    qint64 lastId_ = 0;
    Counters counters_;
};

} // namespace dragoman::remote

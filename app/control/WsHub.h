// The control API's WebSocket (/api/ws, on the control port): live state pushed to consoles
// and desk pages, meters at the rate each client asks for, and the HTTP writes as commands.
//
//   client                                        router
//   {"type":"auth","token":"...",
//    "panel":"en.1"}                         ─►   (first frame, within authTimeout; "panel":
//                                                  optional, the desk whose panel this is)
//                                            ◄─   {"type":"hello","role":"desk","desk":"en.1",
//                                                  "panel":"en.1","venue":{...venue file}}
//                                            ◄─   {"type":"state","state":{... GET /api/state}}
//   {"type":"meters","hz":10}                ─►   (0..30; 0 = none, the default)
//                                            ◄─   {"type":"meters","meters":{...}}   at that rate
//   {"id":7,"type":"desk","desk":"en.1",
//    "set":{"mic":true}}                     ─►
//                                            ◄─   {"type":"answer","id":7,"status":200,
//                                                  "accepted":true,"results":[...]}
//                                            ◄─   {"type":"state",...} after every change
//   anything malformed                       ─►   {"type":"error","id":7|null,"error":"..."}
//
// Commands: "desk" {desk, set} = POST /api/desks/{booth}/{n}; "channel" {channel, set};
// "input" {input, set}; "booth" {booth, set}; "monitor" {set}: the same parsing
// (WriteRequests.h) and the same verdicts (WriteAnswers.h) as HTTP. A desk token (DeskTokens.h)
// may only send "desk" commands for its own desk: anything else is answered status 403.
//
// State is pushed whole, not as diffs: it is a few KiB, changes come at the pace of people
// pressing keys, and a client that replaces its picture with every frame can never drift from
// the router's (a lost or reordered diff cannot happen). A push follows every answered command
// and every routing change the controller sees (console, MIDI, HTTP, another page, the demo),
// coalesced to one per event-loop turn, and whenever a desk's panel comes or goes (presence is
// in the state); meters travel apart, at the client's rate.
//
// Defences: frames and messages over 64 KiB close the socket; a text frame that is not strict
// JSON (StrictJson.h) or not a known command gets an error frame and is counted; a socket not
// authenticated within authTimeout is closed; a wrong token closes it (1008). Every second a
// ping goes out: a socket that has not answered one for `stallTimeout`, or has more than
// maxQueuedBytes waiting, is dropped (counted) — so a client that stops reading is gone within
// about stallTimeout + 1 s and never holds up the others; meters are skipped for a socket that
// has more than meterQueueBytes waiting. At most maxSockets at once.
//
// Presence: a session is a desk's panel when its token is that desk's (a booth tablet, or a
// remote `dragoman --router URL --desk ID` with a desk token) or when a technician's session
// names the desk in its auth frame ("panel": a remote console opened on one desk's panel).
// deskPanels() counts them; the hello's "venue" (StateJson.h venueJson(), no secrets) is the
// layout a remote console builds its windows from.
//
// Thread contract: control thread (the EngineController's); Qt's event loop drives it.
#pragma once

#include "control/DeskTokens.h"
#include "control/EngineController.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

class QWebSocket;

namespace dragoman::control {

struct WsLimits {
    std::chrono::milliseconds authTimeout{5000};
    std::chrono::milliseconds stallTimeout{3500};
    qint64 maxQueuedBytes = 1024 * 1024;
    qint64 meterQueueBytes = 64 * 1024;
    quint64 maxFrameBytes = 64 * 1024;
    int maxSockets = 512;
    int maxMeterHz = 30;
};

class WsHub : public QObject {
    Q_OBJECT

public:
    // `state`: the whole state, as GET /api/state answers it. `technicianToken`: "" = no
    // writes and no sessions for it (desk tokens then do not exist either).
    WsHub(EngineController& controller, DeskTokens& deskTokens, QByteArray technicianToken,
          std::function<QJsonObject()> state, WsLimits limits = {}, QObject* parent = nullptr);
    ~WsHub() override;

    // Takes over an upgraded socket (the HTTP server's nextPendingWebSocketConnection()).
    void adopt(std::unique_ptr<QWebSocket> socket);

    // Closes every session of desk `flatDesk` at once (after its token was revoked).
    void dropDesk(int flatDesk);

    // Presence: how many desk panels (booth tablets, remote desk panels) are connected to each
    // of the first `deskCount` desks, authenticated and not being dropped.
    std::vector<int> deskPanels(int deskCount) const;

    struct Counters {
        std::uint64_t accepted = 0;    // sockets adopted
        std::uint64_t refused = 0;     // over maxSockets
        std::uint64_t authFailed = 0;  // wrong or missing token, or too slow to give one
        std::uint64_t malformed = 0;   // frames answered with an error frame
        std::uint64_t commands = 0;    // commands run
        std::uint64_t forbidden = 0;   // commands beyond a desk token's scope (403)
        std::uint64_t slowDropped = 0; // dropped: stopped reading, or too much waiting
        std::uint64_t revoked = 0;     // dropped: their desk's token was revoked
        std::uint64_t statePushes = 0; // state frames sent
        std::uint64_t meterFrames = 0; // meter frames sent
        int open = 0;                  // sessions open now
        int authenticated = 0;
    };
    Counters counters() const;

private:
    struct Session;
    void onText(Session& session, const QString& text);
    void authenticate(Session& session, const QJsonObject& frame);
    void command(Session& session, const QJsonObject& frame);
    void sendError(Session& session, const QJsonValue& id, const QString& message);
    void send(Session& session, const QString& frame);
    void schedulePush();
    void pushState();
    void tickMeters();
    void sweep();
    void drop(Session& session, std::uint64_t* counter);
    QString stateFrame();

    EngineController& controller_;
    DeskTokens& deskTokens_;
    QByteArray technicianToken_;
    std::function<QJsonObject()> state_;
    WsLimits limits_;
    std::map<QWebSocket*, std::unique_ptr<Session>> sessions_;
    bool pushScheduled_ = false;
    QTimer meterTimer_;
    QTimer sweepTimer_;
    Counters counters_;
};

// {"open", "authenticated", "accepted", "refused", "authFailed", "malformed", "commands",
// "forbidden", "slowDropped", "revoked", "statePushes", "meterFrames"}: for /api/state.
QJsonObject wsCountersJson(const WsHub::Counters& counters);

} // namespace dragoman::control

// The control thread's one gateway to the engine, and the console's control::Controller
// (Controller.h) inside the router. The engine's command queue has a single producer, so every
// command in the program — console, HTTP API, MIDI surfaces, the demo script — goes through
// one EngineController: it tags each command with an id, posts it, polls the engine's answers
// and hands each answer to the callback that came with its command.
//
//   submit(command, done) ─► Engine::post ─► [audio thread applies it] ─► Engine::nextResult
//                                                                           │ polled every 2 ms
//                            done(answer) ◄─ commandAnswered(answer) ◄──────┘ while any is pending
//
// A full command queue is answered "engine busy" on the next turn of the event loop; a command
// the engine leaves unanswered for timeoutMs (no audio is running) is answered "engine not
// answering". Every command gets exactly one answer, always delivered from the event loop,
// never from inside submit().
//
// Thread contract: the control thread only (the thread the controller lives on); the audio
// thread calls Engine::process() and never touches this object.
#pragma once

#include "control/Controller.h"
#include "core/Command.h"
#include "core/Engine.h"
#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "venue/Venue.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string_view>

namespace dragoman::control {

struct ControllerOptions {
    int pollIntervalMs = 2;          // how often answers are collected while any is pending
    int timeoutMs = 1000;            // an unanswered command is answered TimedOut after this
    int routingCheckIntervalMs = 33; // how often routingChanged() may fire (about 30 Hz)
};

class EngineController : public Controller {
    Q_OBJECT

public:
    explicit EngineController(core::Engine& engine, ControllerOptions options = {},
                              QObject* parent = nullptr);
    ~EngineController() override;
    EngineController(const EngineController&) = delete;
    EngineController& operator=(const EngineController&) = delete;

    // Posts `command` (its id is replaced by the controller's own) and calls `done` (if set)
    // with its answer from the event loop. Never blocks.
    void submit(const core::Command& command, Done done) override;
    using Controller::submit;

    // The routing state the engine last published. The reference stays valid until control
    // returns to the event loop (or the next call).
    const core::RoutingState& routing() override;
    const core::MeterBank& meters() const override;
    const venue::Venue& venue() const override;
    core::Engine::Stats stats() const;
    std::size_t pending() const { return pending_.size(); }

private:
    struct Pending {
        std::uint32_t id = 0;
        core::Command command;
        Done done;
        qint64 deadlineMs = 0;
    };

    std::uint32_t nextId();
    void poll();
    void answer(Done done, const CommandAnswer& answer);
    void checkRouting();

    core::Engine& engine_;
    ControllerOptions options_;
    std::deque<Pending> pending_; // in posting order, so the oldest times out first
    std::uint32_t lastId_ = 0;
    std::uint64_t routingVersion_ = 0;
    QElapsedTimer clock_;
    QTimer pollTimer_;
    QTimer routingTimer_;
};

} // namespace dragoman::control

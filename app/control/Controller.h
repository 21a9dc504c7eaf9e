// What a console reads and drives: the venue, the routing state, the meters, and commands with
// their answers. The console's widgets (ui/console) see a router only through this interface,
// so the same windows run inside the router (EngineController: the in-process engine) and on
// another computer (remote::RemoteController: the control port's WebSocket).
//
//   submit(command, done) ─► [the engine, here or across the network] ─► done(answer)
//                                                                        commandAnswered(answer)
//   routing(), meters()   ◄─ the latest picture; routingChanged() when it moved on
//
// Every command gets exactly one answer, always delivered from the event loop, never from
// inside submit().
//
// Thread contract: the thread the controller lives on (the control/GUI thread) only.
#pragma once

#include "core/Command.h"
#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "venue/Venue.h"

#include <QObject>
#include <cstdint>
#include <functional>
#include <string_view>

namespace dragoman::control {

// The answer to one submitted command: the engine's CommandResult, or one made up by the
// controller when the engine could not answer. A callback that takes a const
// core::CommandResult& accepts it as well.
struct CommandAnswer : core::CommandResult {
    enum class Outcome : std::uint8_t {
        Answered,    // the engine applied or refused the command (see accepted, reason)
        EngineBusy,  // the command queue was full; the command had no effect
        TimedOut,    // no answer within the timeout: the engine is not running (the command may
                     // still take effect if audio starts later)
        Unreachable, // a remote router that is not connected: the command was never sent
    };
    Outcome outcome = Outcome::Answered;
};

// "accepted", the engine's refusal ("channel engaged", ...), "engine busy",
// "engine not answering" or "router not connected".
std::string_view describe(const CommandAnswer& answer);

// The answer a controller gives for a command nobody answered (busy, timed out, unreachable):
// not accepted, with the command's id, kind and target.
CommandAnswer madeUpAnswer(const core::Command& command, CommandAnswer::Outcome outcome);

class Controller : public QObject {
    Q_OBJECT

public:
    using Done = std::function<void(const CommandAnswer&)>;

    explicit Controller(QObject* parent = nullptr);
    ~Controller() override;

    // Sends `command` (its id is replaced by the controller's own) and calls `done` (if set)
    // with its answer from the event loop. Never blocks.
    virtual void submit(const core::Command& command, Done done) = 0;
    void submit(const core::Command& command) { submit(command, Done{}); }

    // The latest routing state. The reference stays valid until control returns to the event
    // loop (or the next call).
    virtual const core::RoutingState& routing() = 0;
    virtual const core::MeterBank& meters() const = 0;
    virtual const venue::Venue& venue() const = 0;

Q_SIGNALS:
    // Every answer, after the command's own callback (the event log, MIDI LEDs).
    void commandAnswered(const dragoman::control::CommandAnswer& answer);
    // The routing state moved on (checked about 30 times a second, or a new state arrived).
    void routingChanged();
};

} // namespace dragoman::control

Q_DECLARE_METATYPE(dragoman::control::CommandAnswer)

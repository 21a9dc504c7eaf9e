// Several commands applied in a fixed order as one request: each is submitted once the one
// before it was accepted, and the first that is not ends the sequence (later commands are
// never posted). An HTTP write such as {"out": "B", "mic": true} is one sequence.
//
// Thread contract: control thread (it goes through the EngineController).
#pragma once

#include "control/EngineController.h"
#include "core/Command.h"

#include <QString>
#include <functional>
#include <vector>

namespace dragoman::control {

// One field of a request and the command it stands for.
struct FieldCommand {
    QString field; // "mic", "out", "autofloor", ...
    core::Command command;
};

struct FieldAnswer {
    QString field;
    CommandAnswer answer;
};

// Calls `done` from the event loop with the answers in order: all accepted, or the accepted
// ones followed by the one that was not. An empty sequence is answered at once (empty).
void runSequence(EngineController& controller, std::vector<FieldCommand> commands,
                 std::function<void(std::vector<FieldAnswer>)> done);

} // namespace dragoman::control

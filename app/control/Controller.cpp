#include "control/Controller.h"

namespace dragoman::control {

std::string_view describe(const CommandAnswer& answer) {
    switch (answer.outcome) {
    case CommandAnswer::Outcome::EngineBusy:
        return "engine busy";
    case CommandAnswer::Outcome::TimedOut:
        return "engine not answering";
    case CommandAnswer::Outcome::Unreachable:
        return "router not connected";
    case CommandAnswer::Outcome::Answered:
        break;
    }
    return answer.accepted ? "accepted" : core::toString(answer.reason);
}

CommandAnswer madeUpAnswer(const core::Command& command, CommandAnswer::Outcome outcome) {
    CommandAnswer answer;
    answer.id = command.id;
    answer.kind = command.kind;
    answer.target = command.target;
    answer.accepted = false;
    answer.outcome = outcome;
    return answer;
}

Controller::Controller(QObject* parent)
    : QObject(parent) {
    qRegisterMetaType<CommandAnswer>();
}

Controller::~Controller() = default;

} // namespace dragoman::control

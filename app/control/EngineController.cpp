#include "control/EngineController.h"

#include <algorithm>
#include <utility>

namespace dragoman::control {

EngineController::EngineController(core::Engine& engine, ControllerOptions options, QObject* parent)
    : Controller(parent)
    , engine_(engine)
    , options_(options)
    , routingVersion_(engine.routing().version) {
    clock_.start();
    pollTimer_.setTimerType(Qt::PreciseTimer);
    pollTimer_.setInterval(std::max(1, options_.pollIntervalMs));
    connect(&pollTimer_, &QTimer::timeout, this, &EngineController::poll);
    routingTimer_.setInterval(std::max(1, options_.routingCheckIntervalMs));
    connect(&routingTimer_, &QTimer::timeout, this, &EngineController::checkRouting);
    routingTimer_.start();
}

EngineController::~EngineController() = default;

std::uint32_t EngineController::nextId() {
    if (++lastId_ == 0) // 0 is "no id"; wrap past it
        ++lastId_;
    return lastId_;
}

void EngineController::submit(const core::Command& command, Done done) {
    const auto tagged = command.withId(nextId());
    if (!engine_.post(tagged)) {
        // Never answer from inside submit(): the caller may not be ready for its callback yet.
        QMetaObject::invokeMethod(
            this,
            [this, done = std::move(done), tagged] {
                answer(done, madeUpAnswer(tagged, CommandAnswer::Outcome::EngineBusy));
            },
            Qt::QueuedConnection);
        return;
    }
    pending_.push_back({tagged.id, tagged, std::move(done), clock_.elapsed() + options_.timeoutMs});
    if (!pollTimer_.isActive())
        pollTimer_.start();
}

void EngineController::answer(Done done, const CommandAnswer& answer) {
    if (done)
        done(answer);
    Q_EMIT commandAnswered(answer);
}

void EngineController::poll() {
    bool changed = false;
    core::CommandResult result;
    while (engine_.nextResult(result)) {
        const auto found = std::find_if(pending_.begin(), pending_.end(),
                                        [&](const Pending& p) { return p.id == result.id; });
        if (found == pending_.end())
            continue; // answered already (timed out) or never ours
        Done done = std::move(found->done);
        pending_.erase(found); // before the callback, which may submit more
        CommandAnswer reply;
        static_cast<core::CommandResult&>(reply) = result;
        changed = changed || result.accepted;
        answer(std::move(done), reply);
    }

    // Whole milliseconds on both sides: past the deadline only once a whole millisecond more
    // has begun, so a command never times out before its timeout.
    const qint64 now = clock_.elapsed();
    while (!pending_.empty() && pending_.front().deadlineMs < now) {
        Pending expired = std::move(pending_.front());
        pending_.pop_front();
        answer(std::move(expired.done),
               madeUpAnswer(expired.command, CommandAnswer::Outcome::TimedOut));
    }

    if (pending_.empty())
        pollTimer_.stop();
    if (changed)
        checkRouting();
}

void EngineController::checkRouting() {
    const auto version = engine_.routing().version;
    if (version == routingVersion_)
        return;
    routingVersion_ = version;
    Q_EMIT routingChanged();
}

const core::RoutingState& EngineController::routing() {
    return engine_.routing();
}

const core::MeterBank& EngineController::meters() const {
    return engine_.meters();
}

const venue::Venue& EngineController::venue() const {
    return engine_.venue();
}

core::Engine::Stats EngineController::stats() const {
    return engine_.stats();
}

} // namespace dragoman::control

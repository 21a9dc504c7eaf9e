#include "control/CommandSequence.h"

#include <QMetaObject>
#include <memory>
#include <utility>

namespace dragoman::control {

namespace {

class Sequence : public std::enable_shared_from_this<Sequence> {
public:
    Sequence(EngineController& controller, std::vector<FieldCommand> commands,
             std::function<void(std::vector<FieldAnswer>)> done)
        : controller_(controller)
        , commands_(std::move(commands))
        , done_(std::move(done)) {
        answers_.reserve(commands_.size());
    }

    void next() {
        if (answers_.size() == commands_.size()) {
            finish();
            return;
        }
        const auto& item = commands_[answers_.size()];
        controller_.submit(item.command, [self = shared_from_this()](const CommandAnswer& answer) {
            self->answered(answer);
        });
    }

private:
    void answered(const CommandAnswer& answer) {
        answers_.push_back({commands_[answers_.size()].field, answer});
        if (answer.accepted)
            next();
        else
            finish();
    }

    void finish() {
        if (done_)
            std::exchange(done_, nullptr)(std::move(answers_));
    }

    EngineController& controller_;
    std::vector<FieldCommand> commands_;
    std::vector<FieldAnswer> answers_;
    std::function<void(std::vector<FieldAnswer>)> done_;
};

} // namespace

void runSequence(EngineController& controller, std::vector<FieldCommand> commands,
                 std::function<void(std::vector<FieldAnswer>)> done) {
    auto sequence = std::make_shared<Sequence>(controller, std::move(commands), std::move(done));
    // Start from the event loop, so even an empty sequence never answers inside this call.
    QMetaObject::invokeMethod(
        &controller, [sequence] { sequence->next(); }, Qt::QueuedConnection);
}

} // namespace dragoman::control

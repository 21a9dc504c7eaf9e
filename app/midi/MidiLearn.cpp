#include "midi/MidiLearn.h"

#include "midi/MappingFile.h"
#include "midi/MidiSurfaces.h"

#include <algorithm>

namespace dragoman::midi {

MidiLearn::MidiLearn(MidiSurfaces& surfaces, std::filesystem::path file, QObject* parent)
    : QObject(parent)
    , surfaces_(surfaces)
    , file_(std::move(file)) {
    qRegisterMetaType<Binding>();
}

MidiLearn::~MidiLearn() {
    if (armed())
        surfaces_.setLearnHook({});
}

void MidiLearn::arm(const Action& action) {
    const bool was = armed();
    action_ = action;
    surfaces_.setLearnHook([this](const Control& control, const MidiMessage&,
                                  const std::string& surface) { return take(control, surface); });
    if (!was)
        Q_EMIT armedChanged(true);
}

void MidiLearn::cancel() {
    if (!armed())
        return;
    action_.reset();
    surfaces_.setLearnHook({});
    Q_EMIT armedChanged(false);
}

bool MidiLearn::take(const Control& control, const std::string& surface) {
    if (!action_)
        return false;
    if (action_->continuous() && control.type != Control::Type::Cc)
        return true; // a level needs a fader or knob: keep waiting, and do nothing else
    Binding binding;
    binding.control = control;
    binding.action = *action_;
    binding.feedback = !action_->continuous();
    action_.reset();
    surfaces_.setLearnHook({});
    try {
        storeBinding(file_, binding, surfaces_.venue());
        auto stored = loadMapping(file_, surfaces_.venue());
        auto mappings = surfaces_.mappings();
        const auto same = std::find_if(mappings.begin(), mappings.end(),
                                       [&](const Mapping& m) { return m.file == file_; });
        if (same != mappings.end())
            *same = std::move(stored);
        else
            mappings.insert(mappings.begin(), std::move(stored));
        surfaces_.setMappings(std::move(mappings));
    } catch (const std::exception& e) {
        Q_EMIT armedChanged(false);
        Q_EMIT failed(QString::fromStdString(e.what()));
        return true;
    }
    Q_EMIT armedChanged(false);
    Q_EMIT learnt(binding, QString::fromStdString(surface));
    return true;
}

} // namespace dragoman::midi

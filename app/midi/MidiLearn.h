// Learn mode: the console picks an action, the next control moved on any surface is bound to
// it, and the binding is stored in the learn file (saved atomically; created when missing).
// The learn file is a mapping without "ports", so its bindings come first on every surface.
//
//   learn.arm(action)  ─► [a key pressed, or a fader or knob moved] ─► learnt(binding, surface)
//                                                                  └► failed(message)
// A level (volume, trim) only takes a fader or knob; a key press is ignored while waiting.
//
// Thread contract: control thread.
#pragma once

#include "midi/Mapping.h"

#include <QObject>
#include <QString>
#include <filesystem>
#include <optional>

namespace dragoman::midi {

class MidiSurfaces;

class MidiLearn : public QObject {
    Q_OBJECT

public:
    MidiLearn(MidiSurfaces& surfaces, std::filesystem::path file, QObject* parent = nullptr);
    ~MidiLearn() override;
    MidiLearn(const MidiLearn&) = delete;
    MidiLearn& operator=(const MidiLearn&) = delete;

    // The next control moved is bound to `action` (its targets resolved: parseAction() in
    // MappingFile.h turns {"action": "mic", "desk": "en.1"} into one). Arming again replaces
    // the action.
    void arm(const Action& action);
    void cancel();
    bool armed() const { return action_.has_value(); }
    const std::filesystem::path& file() const { return file_; }

Q_SIGNALS:
    void armedChanged(bool armed);
    void learnt(const dragoman::midi::Binding& binding, const QString& surface);
    void failed(const QString& message);

private:
    bool take(const Control& control, const std::string& surface);

    MidiSurfaces& surfaces_;
    std::filesystem::path file_;
    std::optional<Action> action_;
};

} // namespace dragoman::midi

Q_DECLARE_METATYPE(dragoman::midi::Binding)

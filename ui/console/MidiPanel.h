// MIDI control surfaces in the technician's view: which surfaces are connected (and how much
// they did), and learn mode: pick an action and its desk or channel, press Learn, then move a
// key, fader or knob on any surface; the binding is stored in the learn file (the first
// --midi mapping file) and works at once.
//
//   Surfaces   nanoKONTROL2:out → nanoKONTROL2:in   312 messages
//   Learn      [Mic (toggle) ▾] [en.1 ▾] [Learn]    bound: note 36 ch 1 → mic en.1
//
// Thread contract: the GUI thread (the surfaces and the learn mode live on it too).
#pragma once

#include "midi/Mapping.h"
#include "venue/Venue.h"

#include <QString>
#include <QWidget>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;

namespace dragoman::midi {
class MidiLearn;
class MidiSurfaces;
} // namespace dragoman::midi

namespace dragoman::console {

class MidiPanel : public QWidget {
    Q_OBJECT

public:
    // `learn` may be null (no learn file: learn mode is off and says how to turn it on).
    MidiPanel(const venue::Venue& venue, midi::MidiSurfaces& surfaces, midi::MidiLearn* learn,
              QWidget* parent = nullptr);

    QString surfacesText() const;
    QString statusText() const;
    QComboBox* kindBox() const { return kind_; }
    QComboBox* targetBox() const { return target_; }
    QPushButton* learnButton() const { return learnButton_; }
    // The action the two boxes name now.
    midi::Action selectedAction() const;

Q_SIGNALS:
    // A line for the event log ("note 36 ch 1 → mic en.1 (stored in FILE)").
    void logLine(const QString& line);

private:
    void showSurfaces();
    void fillTargets();
    void toggleLearn(bool on);

    const venue::Venue& venue_;
    midi::MidiSurfaces& surfaces_;
    midi::MidiLearn* learn_;
    QLabel* surfaceList_ = nullptr;
    QComboBox* kind_ = nullptr;
    QComboBox* target_ = nullptr;
    QPushButton* learnButton_ = nullptr;
    QLabel* status_ = nullptr;
};

// What a binding does, in the console's words: "mic en.1", "volume sq.2", "auto-floor mk".
QString describeAction(const midi::Action& action, const venue::Venue& venue);

} // namespace dragoman::console

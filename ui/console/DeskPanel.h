// An interpreter's desk on screen: the big mic key, the cough key (held), the A/B/C outgoing
// keys, an incoming key for the floor and every channel (with its live state and quality tag),
// three pre-select keys, volume, bass and treble, and the slow and help keys that reach the
// technician's log. Every key sends the control::Controller's commands, the same ones the HTTP
// API sends; what the panel shows is the engine's state, read back at the meter rate.
//
// Keyboard: M mic · Space (held) cough · A B C outgoing · 0 floor, 1-9 channels incoming ·
// F1-F3 pre-select (Ctrl+F1-F3 stores the current incoming) · Up/Down volume · Shift+Up/Down
// bass · Ctrl+Up/Down treble · S slow · H help.
//
// Thread contract: the GUI thread; refresh() from the console's meter timer.
#pragma once

#include "control/Controller.h"
#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "widgets/LevelMeter.h"

#include <QElapsedTimer>
#include <QWidget>
#include <array>
#include <vector>

class QLabel;
class QPushButton;
class QSlider;

namespace dragoman::console {

class DeskPanel : public QWidget {
    Q_OBJECT

public:
    static constexpr int kPresets = 3;

    DeskPanel(control::Controller& controller, int desk, QWidget* parent = nullptr);

    void refresh(const core::RoutingState& routing, const core::MeterBank& meters);

    int desk() const { return desk_; }
    QPushButton* micKey() const { return mic_; }
    QPushButton* coughKey() const { return cough_; }
    QPushButton* outKey(core::Slot slot) const { return out_[static_cast<std::size_t>(slot)]; }
    QPushButton* inKey(int channel) const { return in_.at(static_cast<std::size_t>(channel)); }
    QPushButton* presetKey(int preset) const {
        return presets_.at(static_cast<std::size_t>(preset));
    }
    QPushButton* slowKey() const { return slow_; }
    QPushButton* helpKey() const { return help_; }
    QSlider* volume() const { return volume_; }
    QSlider* bass() const { return bass_; }
    QSlider* treble() const { return treble_; }
    QString statusText() const;
    bool micOn() const { return micOn_; }

    // Stores the current incoming channel in a pre-select key.
    void storePreset(int preset);
    void recallPreset(int preset);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;

private:
    void send(const core::Command& command);
    void setCough(bool held);
    void nudge(QSlider* slider, int step);
    void showStatus(const QString& text, bool alarm);

    control::Controller& controller_;
    int desk_;
    QLabel* title_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* mic_ = nullptr;
    QPushButton* cough_ = nullptr;
    std::array<QPushButton*, 3> out_{};
    std::vector<QPushButton*> in_;
    std::array<QPushButton*, kPresets> presets_{};
    std::array<int, kPresets> presetChannels_{-1, -1, -1};
    QPushButton* slow_ = nullptr;
    QPushButton* help_ = nullptr;
    QSlider* volume_ = nullptr;
    QSlider* bass_ = nullptr;
    QSlider* treble_ = nullptr;
    QLabel* volumeValue_ = nullptr;
    QLabel* bassValue_ = nullptr;
    QLabel* trebleValue_ = nullptr;
    widgets::LevelMeter* headphones_ = nullptr;
    QLabel* limiter_ = nullptr;
    bool limiterLit_ = false;
    int currentIn_ = 0;
    bool micOn_ = false;
    QString refusal_;
    QElapsedTimer refusalSince_;
    std::vector<QString> inStyles_;
};

} // namespace dragoman::console

// One language channel on the technician's view: its names (the native one in its own
// script), where its audio comes from (floor or a booth's desk) with the quality tag, the
// auto-floor toggle, the listener count, the meters (sample peak with hold, true peak, RMS, EBU
// R128 momentary and short-term loudness) and the clip and signal-loss alarms.
//
// Thread contract: the GUI thread. refresh() is called by the console's meter timer.
#pragma once

#include "control/EngineController.h"
#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "loudness/LoudnessMeter.h"
#include "widgets/LevelMeter.h"

#include <QElapsedTimer>
#include <QFrame>
#include <optional>

class QLabel;
class QPushButton;

namespace dragoman::console {

struct ChannelAlarms {
    bool clip = false;       // the channel clipped within the last clipHoldMs
    bool signalLost = false; // a live desk feeds it, yet it has been silent for signalLossMs
};

class ChannelStrip : public QFrame {
    Q_OBJECT

public:
    static constexpr int kClipHoldMs = 3000;
    static constexpr int kSignalLossMs = 5000;
    static constexpr float kSilenceDb = -60.0f; // below this RMS a live channel is "silent"
    static constexpr int kWidth = 196;

    ChannelStrip(control::EngineController& controller, int channel, QWidget* parent = nullptr);

    // Reads the channel's state, meters and loudness; repaints what moved.
    void refresh(const core::RoutingState& routing, const core::MeterBank& meters,
                 std::optional<loudness::LoudnessReading> loudness, std::optional<int> listeners);

    int channel() const { return channel_; }
    widgets::LevelMeter* meter() const { return meter_; }
    QPushButton* autoFloorKey() const { return autoFloor_; }
    QPushButton* monitorKey() const { return monitor_; }
    QString sourceText() const;
    QString tagText() const;
    ChannelAlarms alarms() const { return alarms_; }

Q_SIGNALS:
    // An alarm came on ("clip", "signal lost"), for the event log.
    void alarmRaised(int channel, const QString& what);

private:
    control::EngineController& controller_;
    int channel_;
    widgets::LevelMeter* meter_ = nullptr;
    QLabel* source_ = nullptr;
    QLabel* tag_ = nullptr;
    QLabel* listeners_ = nullptr;
    QLabel* peak_ = nullptr;
    QLabel* truePeak_ = nullptr;
    QLabel* rms_ = nullptr;
    QLabel* momentary_ = nullptr;
    QLabel* shortTerm_ = nullptr;
    QLabel* clipLamp_ = nullptr;
    QLabel* lossLamp_ = nullptr;
    QPushButton* autoFloor_ = nullptr;
    QPushButton* monitor_ = nullptr;

    ChannelAlarms alarms_;
    std::uint32_t lastClips_ = 0;
    QElapsedTimer sinceClip_;
    QElapsedTimer silentFor_;
    bool silent_ = false;
    bool autoFloorOn_ = true;
    bool shownClip_ = false;
    bool shownLoss_ = false;
};

} // namespace dragoman::console

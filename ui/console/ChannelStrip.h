// One language channel on the technician's view: its names (the native one in its own
// script), where its audio comes from (floor or a booth's desk) with the quality tag, the
// auto-floor toggle, the listener count, the meters (sample peak with hold, true peak, RMS, EBU
// R128 momentary and short-term loudness) and the clip and signal-loss alarms.
//
// Two forms: the full strip (a column: names, source, listeners, the meter with its scale and
// the figures beside it) and the compact one (one row: code, native name, source, tag, a
// horizontal meter, the alarm lamp, AF and PFL keys; the figures in the tooltip), for screens
// or venues where the full strips do not fit side by side.
//
// Thread contract: the GUI thread. refresh() is called by the console's meter timer.
#pragma once

#include "control/Controller.h"
#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "loudness/LoudnessMeter.h"
#include "widgets/LevelMeter.h"

#include <QElapsedTimer>
#include <QFrame>
#include <optional>
#include <vector>

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
    static constexpr int kWidth = 178;          // the full strip
    static constexpr int kCompactWidth = 428;   // the compact row's preferred width
    static constexpr int kCompactHeight = 30;

    ChannelStrip(control::Controller& controller, int channel, QWidget* parent = nullptr);

    // Reads the channel's state, meters and loudness; repaints what moved.
    void refresh(const core::RoutingState& routing, const core::MeterBank& meters,
                 std::optional<loudness::LoudnessReading> loudness, std::optional<int> listeners);

    void setCompact(bool compact);
    bool compact() const { return compact_; }
    QSize sizeHint() const override;

    int channel() const { return channel_; }
    widgets::LevelMeter* meter() const { return meter_; }
    QPushButton* autoFloorKey() const { return autoFloor_; }
    QPushButton* monitorKey() const { return monitor_; }
    QString sourceText() const;
    QWidget* sourceLabel() const; // where the source and the tag are shown
    QWidget* tagBadge() const;
    QString tagText() const;
    ChannelAlarms alarms() const { return alarms_; }
    // The figures as the tooltip shows them: "peak −12.0 · TP −11.8 · RMS …".
    QString figuresText() const;

Q_SIGNALS:
    // An alarm came on ("clip", "signal lost"), for the event log.
    void alarmRaised(int channel, const QString& what);

protected:
    bool event(QEvent* event) override; // the tooltip: the figures, read when it opens

private:
    void arrange(); // (re)builds the layout for the current form

    control::Controller& controller_;
    bool compact_ = false;
    QLabel* code_ = nullptr;
    QLabel* native_ = nullptr;
    QLabel* english_ = nullptr;
    QFont nativeFull_;
    int nativeLines_ = 1;
    QString nativeText_;
    std::vector<QLabel*> readoutNames_;
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
    QLabel* alarmLamp_ = nullptr; // the compact form's one lamp: CLIP or NO SIG
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
    core::QualityTag shownTag_ = core::QualityTag::Silent;
    bool tagCompact_ = false;
};

} // namespace dragoman::console

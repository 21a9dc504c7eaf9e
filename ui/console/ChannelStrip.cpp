#include "console/ChannelStrip.h"

#include "console/Labels.h"
#include "widgets/Theme.h"

#include <QFontMetrics>
#include <QGridLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QPushButton>
#include <QToolTip>
#include <QVBoxLayout>

namespace dragoman::console {

namespace {

QLabel* valueLabel(QWidget* parent) {
    auto* label = new QLabel(QStringLiteral("—"), parent);
    label->setProperty("role", "value");
    label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    label->setMinimumWidth(52);
    return label;
}

QLabel* dimLabel(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setProperty("role", "dim");
    return label;
}

void setIfChanged(QLabel* label, const QString& text) {
    if (label->text() != text)
        label->setText(text);
}

QString db(float value, float floor = -60.0f) {
    return value <= floor ? QStringLiteral("−∞") : QString::number(value, 'f', 1);
}

} // namespace

ChannelStrip::ChannelStrip(control::Controller& controller, int channel, QWidget* parent)
    : QFrame(parent)
    , controller_(controller)
    , channel_(channel) {
    const auto& venue = controller.venue();
    const auto& c = venue.channels.at(static_cast<std::size_t>(channel));
    setObjectName(QStringLiteral("strip-%1").arg(QString::fromStdString(c.code)));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("ChannelStrip { background: #1c1f24; border: 1px solid #3a404a; "
                                 "border-radius: 8px; }"));

    code_ = new QLabel(QString::fromStdString(c.code).toUpper(), this);
    code_->setStyleSheet(QStringLiteral("color: #9aa3b0; font-weight: bold; letter-spacing: 1px;"));
    nativeText_ = QString::fromStdString(c.nativeName.empty() ? c.name : c.nativeName);
    native_ = new QLabel(nativeText_, this);
    // The native name in its own script, large; on two lines in every strip when one of the
    // venue's names needs two (so that the strips' rows stay aligned).
    nativeFull_ = font();
    nativeFull_.setBold(true);
    nativeFull_.setPointSizeF(17.0);
    const int textWidth = kWidth - 24;
    for (const auto& other : venue.channels) {
        const auto name =
            QString::fromStdString(other.nativeName.empty() ? other.name : other.nativeName);
        if (QFontMetrics(nativeFull_).horizontalAdvance(name) > textWidth)
            nativeLines_ = 2;
    }
    if (nativeLines_ == 2) { // as large as lets every name fit on two lines
        for (double pt = 16.0; pt >= 10.0; pt -= 0.5) {
            nativeFull_.setPointSizeF(pt);
            const QFontMetrics metrics(nativeFull_);
            bool fits = true;
            for (const auto& other : venue.channels) {
                const auto name = QString::fromStdString(
                    other.nativeName.empty() ? other.name : other.nativeName);
                fits = fits &&
                       metrics.boundingRect(QRect(0, 0, textWidth, 1000), Qt::TextWordWrap, name)
                               .height() <= 2 * metrics.lineSpacing();
            }
            if (fits)
                break;
        }
    }
    english_ = dimLabel(QString(), this);
    english_->setText(QFontMetrics(english_->font())
                          .elidedText(QString::fromStdString(c.name), Qt::ElideRight, textWidth));
    english_->setToolTip(QString::fromStdString(c.name));

    source_ = new QLabel(this);
    source_->setStyleSheet(QStringLiteral("font-weight: bold;"));
    tag_ = new QLabel(this);
    tag_->setAlignment(Qt::AlignCenter);
    tag_->setMinimumWidth(46);
    listeners_ = dimLabel(QString(), this);

    meter_ = new widgets::LevelMeter(this);
    peak_ = valueLabel(this);
    truePeak_ = valueLabel(this);
    rms_ = valueLabel(this);
    momentary_ = valueLabel(this);
    shortTerm_ = valueLabel(this);
    for (const char* name : {"PEAK", "TP", "RMS", "M LUFS", "S LUFS"})
        readoutNames_.push_back(dimLabel(QString::fromLatin1(name), this));

    clipLamp_ = new QLabel(QStringLiteral("CLIP"), this);
    lossLamp_ = new QLabel(QStringLiteral("NO SIGNAL"), this);
    alarmLamp_ = new QLabel(QStringLiteral("CLIP"), this);
    alarmLamp_->setObjectName(QStringLiteral("alarm-lamp"));
    for (auto* lamp : {clipLamp_, lossLamp_, alarmLamp_}) {
        lamp->setAlignment(Qt::AlignCenter);
        lamp->setStyleSheet(lampStyle(false, widgets::colour::alarm));
    }

    autoFloor_ = new QPushButton(QStringLiteral("AUTO FLOOR"), this);
    autoFloor_->setCheckable(true);
    autoFloor_->setToolTip(QStringLiteral("Carry the floor while no desk is live on this channel"));
    monitor_ = new QPushButton(QStringLiteral("PFL"), this);
    monitor_->setCheckable(true);
    monitor_->setToolTip(QStringLiteral("Listen to this channel on the technician's monitor"));
    if (channel == 0) { // the floor channel is the floor
        auto policy = autoFloor_->sizePolicy();
        policy.setRetainSizeWhenHidden(true);
        autoFloor_->setSizePolicy(policy);
        autoFloor_->hide();
    }
    arrange();

    connect(autoFloor_, &QPushButton::clicked, this,
            [this](bool on) { controller_.submit(core::Command::channelAutoFloor(channel_, on)); });
    connect(monitor_, &QPushButton::clicked, this, [this] {
        monitor_->setChecked(!monitor_->isChecked()); // until the engine says so
        controller_.submit(core::Command::monitorSource(core::MonitorSource::Channel, channel_));
    });
    sinceClip_.start();
    silentFor_.start();
}

void ChannelStrip::setCompact(bool compact) {
    if (compact == compact_)
        return;
    compact_ = compact;
    arrange();
}

QSize ChannelStrip::sizeHint() const {
    if (compact_)
        return {kCompactWidth, kCompactHeight};
    return {kWidth, QFrame::sizeHint().height()};
}

void ChannelStrip::arrange() {
    delete layout(); // the widgets stay; only their places change
    const bool full = !compact_;
    english_->setVisible(full);
    listeners_->setVisible(full);
    clipLamp_->setVisible(full);
    lossLamp_->setVisible(full);
    alarmLamp_->setVisible(compact_);
    for (auto* label : {peak_, truePeak_, rms_, momentary_, shortTerm_})
        label->setVisible(full);
    for (auto* label : readoutNames_)
        label->setVisible(full);
    meter_->setScaleVisible(full);
    meter_->setOrientation(full ? Qt::Vertical : Qt::Horizontal);
    autoFloor_->setText(full ? QStringLiteral("AUTO FLOOR") : QStringLiteral("AF"));
    if (channel_ == 0)
        autoFloor_->hide();

    if (full) {
        setMinimumSize(0, 0);
        setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
        setFixedWidth(kWidth);
        native_->setFont(nativeFull_);
        native_->setText(nativeText_);
        native_->setWordWrap(true);
        native_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        native_->setFixedSize(kWidth - 22,
                              QFontMetrics(nativeFull_).lineSpacing() * nativeLines_ + 2);
        code_->setFixedWidth(kWidth - 22);
        code_->setStyleSheet(
            QStringLiteral("color: #9aa3b0; font-weight: bold; letter-spacing: 1px;"));
        alarmLamp_->setMinimumWidth(0);
        source_->setMinimumWidth(0);
        source_->setMaximumWidth(QWIDGETSIZE_MAX);
        source_->setStyleSheet(QStringLiteral("font-weight: bold;"));
        tag_->setMinimumWidth(46);
        tag_->setMaximumWidth(QWIDGETSIZE_MAX);
        meter_->setMinimumSize(0, 100);
        meter_->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
        for (auto* key : {autoFloor_, monitor_}) {
            key->setStyleSheet(QStringLiteral("padding: 5px 4px; font-size: 9pt;"));
            key->setMinimumWidth(0);
            key->setMaximumWidth(QWIDGETSIZE_MAX);
        }

        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(10, 10, 10, 10);
        layout->setSpacing(6);
        layout->addWidget(code_);
        layout->addWidget(native_);
        layout->addWidget(english_);
        auto* sourceRow = new QHBoxLayout;
        sourceRow->addWidget(source_, 1);
        sourceRow->addWidget(tag_);
        layout->addLayout(sourceRow);
        layout->addWidget(listeners_);
        auto* meterRow = new QHBoxLayout;
        meterRow->addWidget(meter_);
        auto* readouts = new QGridLayout;
        readouts->setVerticalSpacing(2);
        int row = 0;
        for (auto* label : {peak_, truePeak_, rms_, momentary_, shortTerm_}) {
            readouts->addWidget(readoutNames_[static_cast<std::size_t>(row)], row, 0);
            readouts->addWidget(label, row, 1);
            ++row;
        }
        readouts->setRowStretch(row, 1);
        meterRow->addLayout(readouts, 1);
        layout->addLayout(meterRow, 1);
        auto* alarmRow = new QHBoxLayout;
        alarmRow->addWidget(clipLamp_);
        alarmRow->addWidget(lossLamp_);
        layout->addLayout(alarmRow);
        auto* keys = new QHBoxLayout;
        keys->addWidget(autoFloor_, 3);
        keys->addWidget(monitor_, 2);
        layout->addLayout(keys);
    } else {
        setMinimumSize(0, 0);
        setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
        setFixedHeight(kCompactHeight);
        QFont small = font();
        small.setPointSizeF(9.5);
        QFont name = small;
        name.setBold(true);
        name.setPointSizeF(10.5);
        native_->setFont(name);
        native_->setWordWrap(false);
        native_->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        native_->setFixedSize(80, kCompactHeight - 6);
        native_->setText(QFontMetrics(name).elidedText(nativeText_, Qt::ElideRight, 78));
        code_->setFixedWidth(40);
        code_->setStyleSheet(
            QStringLiteral("color: #9aa3b0; font-weight: bold; font-size: 8.5pt;"));
        source_->setFixedWidth(88);
        source_->setStyleSheet(QStringLiteral("font-weight: bold; font-size: 9pt;"));
        tag_->setFixedWidth(44);
        meter_->setMinimumWidth(36);
        meter_->setFixedHeight(12);
        alarmLamp_->setFixedWidth(46);
        for (auto* key : {autoFloor_, monitor_}) {
            key->setStyleSheet(QStringLiteral("padding: 1px 1px; font-size: 8.5pt;"));
            key->setFixedWidth(key == monitor_ ? 34 : 28);
        }
        auto* row = new QHBoxLayout(this);
        row->setContentsMargins(4, 2, 4, 2);
        row->setSpacing(4);
        row->addWidget(code_);
        row->addWidget(native_);
        row->addWidget(source_);
        row->addWidget(tag_);
        row->addWidget(meter_, 1);
        row->addWidget(alarmLamp_);
        row->addWidget(autoFloor_);
        row->addWidget(monitor_);
    }
    updateGeometry();
}

QString ChannelStrip::figuresText() const {
    return QStringLiteral("%1 · %2\npeak %3 · true peak %4 · RMS %5 dBFS\nloudness M %6 · S %7 "
                          "LUFS\n%8")
        .arg(code_->text(), nativeText_, peak_->text(), truePeak_->text(), rms_->text(),
             momentary_->text(), shortTerm_->text(), listeners_->text());
}

bool ChannelStrip::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip && compact_) {
        QToolTip::showText(static_cast<QHelpEvent*>(e)->globalPos(), figuresText(), this);
        return true;
    }
    return QFrame::event(e);
}

QString ChannelStrip::sourceText() const {
    return source_->text();
}

QWidget* ChannelStrip::sourceLabel() const {
    return source_;
}

QWidget* ChannelStrip::tagBadge() const {
    return tag_;
}

QString ChannelStrip::tagText() const {
    return tag_->text();
}

void ChannelStrip::refresh(const core::RoutingState& routing, const core::MeterBank& meters,
                           std::optional<loudness::LoudnessReading> loudness,
                           std::optional<int> listeners) {
    const auto& venue = controller_.venue();
    const auto& status = routing.channels.at(static_cast<std::size_t>(channel_));
    QString source;
    if (status.sourceDesk >= 0)
        source =
            QStringLiteral("desk %1").arg(QString::fromStdString(venue.deskId(status.sourceDesk)));
    else if (status.tag == core::QualityTag::Floor)
        source = channel_ == 0 ? QStringLiteral("floor mics") : QStringLiteral("floor (auto)");
    else
        source = QStringLiteral("silent");
    if (source_->text() != source)
        source_->setText(source);
    const QString tag = tagLabel(status.tag);
    if (tag_->text() != tag || shownTag_ != status.tag || tagCompact_ != compact_) {
        tag_->setText(tag);
        tag_->setStyleSheet(
            tagStyle(status.tag) +
            (compact_ ? QStringLiteral(" padding: 1px 1px; font-size: 8.5pt;") : QString()));
        shownTag_ = status.tag;
        tagCompact_ = compact_;
    }
    autoFloorOn_ = status.autoFloor;
    if (autoFloor_->isChecked() != status.autoFloor)
        autoFloor_->setChecked(status.autoFloor);
    const bool monitored =
        routing.monitor == core::MonitorSource::Channel && routing.monitorIndex == channel_;
    if (monitor_->isChecked() != monitored)
        monitor_->setChecked(monitored);
    const QString count = listeners ? QStringLiteral("listeners: %1").arg(*listeners)
                                    : QStringLiteral("listeners: —");
    if (listeners_->text() != count)
        listeners_->setText(count);

    const auto reading = meters.read(core::MeterPoint::Channel, channel_);
    meter_->setLevels(reading.peakDb, reading.truePeakDb, reading.rmsDb);
    setIfChanged(peak_, db(reading.peakDb));
    setIfChanged(truePeak_, db(reading.truePeakDb));
    setIfChanged(rms_, db(reading.rmsDb));
    if (loudness) {
        setIfChanged(momentary_, db(loudness->momentaryLufs, loudness::kSilenceLufs));
        setIfChanged(shortTerm_, db(loudness->shortTermLufs, loudness::kSilenceLufs));
    }

    // Alarms: a clip holds the lamp for a while; a live desk's channel that stays silent is a
    // lost signal (a dead or muted mic).
    if (reading.clips != lastClips_) {
        lastClips_ = reading.clips;
        sinceClip_.restart();
        if (!alarms_.clip)
            Q_EMIT alarmRaised(channel_, QStringLiteral("clip"));
        alarms_.clip = true;
    } else if (alarms_.clip && sinceClip_.elapsed() > kClipHoldMs) {
        alarms_.clip = false;
    }
    const bool liveDesk = status.sourceDesk >= 0 &&
                          !routing.desks.at(static_cast<std::size_t>(status.sourceDesk)).cough;
    const bool silentNow = liveDesk && reading.rmsDb < kSilenceDb;
    if (silentNow && !silent_)
        silentFor_.restart();
    silent_ = silentNow;
    const bool lost = silent_ && silentFor_.elapsed() > kSignalLossMs;
    if (lost && !alarms_.signalLost)
        Q_EMIT alarmRaised(channel_, QStringLiteral("signal lost"));
    alarms_.signalLost = lost;
    if (alarms_.clip != shownClip_)
        clipLamp_->setStyleSheet(lampStyle(alarms_.clip, widgets::colour::alarm));
    if (alarms_.signalLost != shownLoss_)
        lossLamp_->setStyleSheet(lampStyle(alarms_.signalLost, widgets::colour::alarm));
    if (alarms_.clip != shownClip_ || alarms_.signalLost != shownLoss_) {
        const bool any = alarms_.clip || alarms_.signalLost;
        alarmLamp_->setText(alarms_.signalLost && !alarms_.clip ? QStringLiteral("NO SIG")
                                                                : QStringLiteral("CLIP"));
        alarmLamp_->setStyleSheet(lampStyle(any, widgets::colour::alarm));
    }
    shownClip_ = alarms_.clip;
    shownLoss_ = alarms_.signalLost;
    meter_->setClipped(alarms_.clip);
}

} // namespace dragoman::console

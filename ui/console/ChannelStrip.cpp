#include "console/ChannelStrip.h"

#include "console/Labels.h"
#include "widgets/Theme.h"

#include <QFontMetrics>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
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

QString db(float value, float floor = -60.0f) {
    return value <= floor ? QStringLiteral("−∞") : QString::number(value, 'f', 1);
}

} // namespace

ChannelStrip::ChannelStrip(control::EngineController& controller, int channel, QWidget* parent)
    : QFrame(parent)
    , controller_(controller)
    , channel_(channel) {
    const auto& venue = controller.venue();
    const auto& c = venue.channels.at(static_cast<std::size_t>(channel));
    setObjectName(QStringLiteral("strip-%1").arg(QString::fromStdString(c.code)));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("ChannelStrip { background: #1c1f24; border: 1px solid #3a404a; "
                                 "border-radius: 8px; }"));
    setFixedWidth(kWidth);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 10, 10, 10);
    layout->setSpacing(6);

    auto* code = new QLabel(QString::fromStdString(c.code).toUpper(), this);
    code->setStyleSheet(QStringLiteral("color: #9aa3b0; font-weight: bold; letter-spacing: 2px;"));
    auto* native =
        new QLabel(QString::fromStdString(c.nativeName.empty() ? c.name : c.nativeName), this);
    // The native name in its own script, large; on two lines in every strip when one of the
    // venue's names needs two (so that the strips' rows stay aligned).
    QFont nativeFont = font();
    nativeFont.setBold(true);
    nativeFont.setPointSizeF(17.0);
    const int textWidth = kWidth - 24;
    int lines = 1;
    for (const auto& other : venue.channels) {
        const auto name =
            QString::fromStdString(other.nativeName.empty() ? other.name : other.nativeName);
        if (QFontMetrics(nativeFont).horizontalAdvance(name) > textWidth)
            lines = 2;
    }
    if (lines == 2) { // as large as lets every name fit on two lines
        for (double pt = 16.0; pt >= 10.0; pt -= 0.5) {
            nativeFont.setPointSizeF(pt);
            const QFontMetrics metrics(nativeFont);
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
    native->setFont(nativeFont);
    native->setWordWrap(true);
    native->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    native->setFixedHeight(QFontMetrics(nativeFont).lineSpacing() * lines + 2);
    auto* english = dimLabel(QString(), this);
    english->setText(QFontMetrics(english->font())
                         .elidedText(QString::fromStdString(c.name), Qt::ElideRight, kWidth - 24));
    english->setToolTip(QString::fromStdString(c.name));
    layout->addWidget(code);
    layout->addWidget(native);
    layout->addWidget(english);

    auto* sourceRow = new QHBoxLayout;
    source_ = new QLabel(this);
    source_->setStyleSheet(QStringLiteral("font-weight: bold;"));
    tag_ = new QLabel(this);
    tag_->setAlignment(Qt::AlignCenter);
    tag_->setMinimumWidth(46);
    sourceRow->addWidget(source_, 1);
    sourceRow->addWidget(tag_);
    layout->addLayout(sourceRow);

    listeners_ = dimLabel(QString(), this);
    layout->addWidget(listeners_);

    auto* meterRow = new QHBoxLayout;
    meter_ = new widgets::LevelMeter(this);
    meter_->setScaleVisible(true);
    meter_->setMinimumHeight(100);
    meterRow->addWidget(meter_);
    auto* readouts = new QGridLayout;
    readouts->setVerticalSpacing(2);
    peak_ = valueLabel(this);
    truePeak_ = valueLabel(this);
    rms_ = valueLabel(this);
    momentary_ = valueLabel(this);
    shortTerm_ = valueLabel(this);
    int row = 0;
    for (auto [name, label] :
         {std::pair{"PEAK", peak_}, std::pair{"TP", truePeak_}, std::pair{"RMS", rms_},
          std::pair{"M LUFS", momentary_}, std::pair{"S LUFS", shortTerm_}}) {
        readouts->addWidget(dimLabel(QString::fromLatin1(name), this), row, 0);
        readouts->addWidget(label, row, 1);
        ++row;
    }
    readouts->setRowStretch(row, 1);
    meterRow->addLayout(readouts, 1);
    layout->addLayout(meterRow, 1);

    auto* alarmRow = new QHBoxLayout;
    clipLamp_ = new QLabel(QStringLiteral("CLIP"), this);
    lossLamp_ = new QLabel(QStringLiteral("NO SIGNAL"), this);
    for (auto* lamp : {clipLamp_, lossLamp_}) {
        lamp->setAlignment(Qt::AlignCenter);
        lamp->setStyleSheet(lampStyle(false, widgets::colour::alarm));
        alarmRow->addWidget(lamp);
    }
    layout->addLayout(alarmRow);

    auto* keys = new QHBoxLayout;
    autoFloor_ = new QPushButton(QStringLiteral("AUTO FLOOR"), this);
    autoFloor_->setStyleSheet(QStringLiteral("padding: 5px 4px; font-size: 9pt;"));
    autoFloor_->setCheckable(true);
    autoFloor_->setToolTip(QStringLiteral("Carry the floor while no desk is live on this channel"));
    if (channel == 0) { // the floor channel is the floor
        auto policy = autoFloor_->sizePolicy();
        policy.setRetainSizeWhenHidden(true);
        autoFloor_->setSizePolicy(policy);
        autoFloor_->hide();
    }
    monitor_ = new QPushButton(QStringLiteral("PFL"), this);
    monitor_->setCheckable(true);
    monitor_->setToolTip(QStringLiteral("Listen to this channel on the technician's monitor"));
    monitor_->setStyleSheet(QStringLiteral("padding: 5px 4px; font-size: 9pt;"));
    keys->addWidget(autoFloor_, 3);
    keys->addWidget(monitor_, 2);
    layout->addLayout(keys);

    connect(autoFloor_, &QPushButton::clicked, this,
            [this](bool on) { controller_.submit(core::Command::channelAutoFloor(channel_, on)); });
    connect(monitor_, &QPushButton::clicked, this, [this] {
        monitor_->setChecked(!monitor_->isChecked()); // until the engine says so
        controller_.submit(core::Command::monitorSource(core::MonitorSource::Channel, channel_));
    });
    sinceClip_.start();
    silentFor_.start();
}

QString ChannelStrip::sourceText() const {
    return source_->text();
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
    if (tag_->text() != tag) {
        tag_->setText(tag);
        tag_->setStyleSheet(tagStyle(status.tag));
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
    peak_->setText(db(reading.peakDb));
    truePeak_->setText(db(reading.truePeakDb));
    rms_->setText(db(reading.rmsDb));
    if (loudness) {
        momentary_->setText(db(loudness->momentaryLufs, loudness::kSilenceLufs));
        shortTerm_->setText(db(loudness->shortTermLufs, loudness::kSilenceLufs));
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
    shownClip_ = alarms_.clip;
    shownLoss_ = alarms_.signalLost;
    meter_->setClipped(alarms_.clip);
}

} // namespace dragoman::console

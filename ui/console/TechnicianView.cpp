#include "console/TechnicianView.h"

#include "widgets/FlowLayout.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QResizeEvent>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace dragoman::console {

namespace {
QGroupBox* box(const QString& title, QWidget* content, QWidget* parent) {
    auto* group = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(group);
    layout->setContentsMargins(8, 12, 8, 8);
    layout->addWidget(content);
    return group;
}

QScrollArea* scroller(QWidget* content, QWidget* parent) {
    auto* area = new QScrollArea(parent);
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return area;
}

constexpr int kMargin = 8;
constexpr int kBoxChromeWidth = 2 * 8 + 2 * 6 + 2;     // a box's margins, padding and border
constexpr int kBoxChromeHeight = 12 + 8 + 14 + 14 + 2; // its title, margins and padding
} // namespace

TechnicianView::TechnicianView(const ConsoleSources& sources, QWidget* parent)
    : QWidget(parent)
    , sources_(sources) {
    auto& controller = *sources.controller;
    const auto& venue = controller.venue();
    setObjectName(QStringLiteral("technician"));

    auto* columns = new QHBoxLayout(this);
    // The window's size decides the layout, not the other way round (arrange()); the smallest
    // screen the console is made for is 1280x720.
    columns->setSizeConstraint(QLayout::SetNoConstraint);
    setMinimumSize(960, 560);
    columns->setContentsMargins(kMargin, kMargin, kMargin, kMargin);
    columns->setSpacing(kMargin);
    auto* left = new QVBoxLayout;
    left->setSpacing(kMargin);
    right_ = new QWidget(this);
    auto* right = new QVBoxLayout(right_);
    right->setContentsMargins(0, 0, 0, 0);
    right->setSpacing(kMargin);
    columns->addLayout(left, 1);
    columns->addWidget(right_);

    // Channels: strips side by side, or compact rows in reflowing columns; they scroll as a
    // group when even that does not fit (the booths and the alarms never do).
    stripsRow_ = new QWidget(this);
    stripsRow_->setObjectName(QStringLiteral("strips"));
    stripsFlow_ = new widgets::FlowLayout(stripsRow_, 6, 4);
    stripsFlow_->setUniformColumns(true);
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        auto* strip = new ChannelStrip(controller, static_cast<int>(c), stripsRow_);
        strips_.push_back(strip);
        stripsFlow_->addWidget(strip);
    }
    stripsScroll_ = scroller(stripsRow_, this);
    channelsBox_ = box(QStringLiteral("Channels"), stripsScroll_, this);
    left->addWidget(channelsBox_, 1);

    boothMap_ = new BoothMap(controller, this);
    boothsBox_ = box(QStringLiteral("Booths · click a desk for its panel"), boothMap_, this);
    left->addWidget(boothsBox_);
    left->addStretch(0);

    monitor_ = new MonitorSelector(controller, this);
    monitor_->setMinimumWidth(0);
    right->addWidget(box(QStringLiteral("Monitor (PFL)"), monitor_, this));
    summary_ = new StatusSummary(this);
    right->addWidget(box(QStringLiteral("Status · alarms"), summary_, this));

    // The details, one at a time: the device, the inputs, the MIDI surfaces.
    tabs_ = new QTabWidget(this);
    tabs_->setObjectName(QStringLiteral("details"));
    device_ = new DevicePanel(this);
    tabs_->addTab(scroller(device_, this), QStringLiteral("Audio device"));
    inputs_ = new InputMeters(controller, this);
    tabs_->addTab(scroller(inputs_, this), QStringLiteral("Inputs · PFL"));
    if (sources.midi) {
        midi_ = new MidiPanel(venue, *sources.midi, sources.midiLearn, this);
        tabs_->addTab(scroller(midi_, this), QStringLiteral("MIDI"));
    }
    right->addWidget(tabs_);
    log_ = new EventLog(this);
    right->addWidget(box(QStringLiteral("Event log"), log_, this), 1);
    if (midi_)
        connect(midi_, &MidiPanel::logLine, log_,
                [this](const QString& line) { log_->add(EventKind::Routing, line); });
    arrange(QSize(1600, 1000));
}

void TechnicianView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    arrange(event->size());
}

void TechnicianView::arrange(const QSize& size) {
    // The right-hand column: a quarter of the width, within reason.
    const int rightWidth = std::clamp(size.width() * 24 / 100, 300, 420);
    right_->setFixedWidth(rightWidth);
    const int leftWidth = size.width() - rightWidth - 3 * kMargin;
    const int inner = std::max(100, leftWidth - kBoxChromeWidth);
    const int height = size.height() - 2 * kMargin - kMargin;
    // The details tab never crowds out the event log: the device state and the alarms are in
    // the status box above it, whatever its height.
    tabs_->setFixedHeight(std::clamp(size.height() * 36 / 100, 150, 330));

    // Full strips when they all fit side by side (and leave the booths room); compact rows
    // else. Full desk tiles when the booths fit beside the channels; compact cells else.
    const int count = static_cast<int>(strips_.size());
    const int fullWidth = count * (ChannelStrip::kWidth + 6) - 6;
    const int fullHeight = strips_.empty() ? 0 : strips_.front()->minimumSizeHint().height();
    auto channelsNeed = [&](bool full) {
        for (auto* strip : strips_)
            strip->setCompact(!full);
        return full ? fullHeight : stripsFlow_->heightForWidth(inner);
    };
    auto boothsNeed = [&](bool compact) {
        boothMap_->setCompact(compact);
        return boothMap_->heightFor(inner);
    };
    const int chrome = 2 * kBoxChromeHeight;
    bool full = fullWidth <= inner;
    int channels = channelsNeed(full);
    int booths = boothsNeed(false);
    if (booths + channels + chrome > height)
        booths = boothsNeed(true);
    if (full && booths + channels + chrome > height) {
        full = false;
        channels = channelsNeed(false);
        booths = boothsNeed(false);
        if (booths + channels + chrome > height)
            booths = boothsNeed(true);
    }
    compact_ = !full;
    boothMap_->setFixedHeight(booths);
    // The channels take what is left; full strips grow taller with it (longer meters).
    const int channelsHeight =
        std::max(ChannelStrip::kCompactHeight, height - booths - 2 * kBoxChromeHeight);
    if (full)
        for (auto* strip : strips_)
            strip->setFixedHeight(std::max(fullHeight, std::min(channelsHeight, 520)));
    const int need = stripsFlow_->heightForWidth(inner);
    stripsScroll_->setVerticalScrollBarPolicy(need > channelsHeight ? Qt::ScrollBarAsNeeded
                                                                    : Qt::ScrollBarAlwaysOff);
    channelsBox_->setMaximumHeight(need + kBoxChromeHeight);
}

void TechnicianView::refresh(const core::RoutingState& routing, const core::MeterBank& meters,
                             const std::optional<device::DeviceStatus>& device,
                             const std::vector<int>& panels) {
    for (auto* strip : strips_) {
        std::optional<loudness::LoudnessReading> loudness;
        if (sources_.loudness)
            loudness = sources_.loudness->read(strip->channel());
        std::optional<int> listeners;
        if (sources_.listeners)
            listeners = sources_.listeners(strip->channel());
        strip->refresh(routing, meters, loudness, listeners);
    }
    boothMap_->refresh(routing, meters, panels);
    if (inputs_->isVisible())
        inputs_->refresh(routing, meters);
    monitor_->refresh(routing);
    if (device)
        device_->refresh(*device,
                         sources_.webrtc ? std::optional(sources_.webrtc()) : std::nullopt);
    summary_->refresh(strips_, *boothMap_, meters, device);
}

} // namespace dragoman::console

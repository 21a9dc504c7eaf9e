#include "console/TechnicianView.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QVBoxLayout>

namespace dragoman::console {

namespace {
QGroupBox* box(const QString& title, QWidget* content, QWidget* parent) {
    auto* group = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(group);
    layout->setContentsMargins(10, 14, 10, 10);
    layout->addWidget(content);
    return group;
}
} // namespace

TechnicianView::TechnicianView(const ConsoleSources& sources, QWidget* parent)
    : QWidget(parent)
    , sources_(sources) {
    auto& controller = *sources.controller;
    const auto& venue = controller.venue();
    setObjectName(QStringLiteral("technician"));

    auto* columns = new QHBoxLayout(this);
    columns->setContentsMargins(10, 10, 10, 10);
    columns->setSpacing(10);
    auto* left = new QVBoxLayout;
    left->setSpacing(10);
    auto* right = new QVBoxLayout;
    right->setSpacing(10);
    columns->addLayout(left, 1);
    columns->addLayout(right);

    auto* stripsRow = new QWidget(this);
    auto* stripsLayout = new QHBoxLayout(stripsRow);
    stripsLayout->setContentsMargins(0, 0, 0, 0);
    stripsLayout->setSpacing(8);
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        auto* strip = new ChannelStrip(controller, static_cast<int>(c), stripsRow);
        strips_.push_back(strip);
        stripsLayout->addWidget(strip);
    }
    stripsLayout->addStretch();
    left->addWidget(box(QStringLiteral("Channels"), stripsRow, this), 1);

    boothMap_ = new BoothMap(controller, this);
    left->addWidget(box(QStringLiteral("Booths"), boothMap_, this));

    monitor_ = new MonitorSelector(controller, this);
    right->addWidget(box(QStringLiteral("Monitor (PFL)"), monitor_, this));
    device_ = new DevicePanel(this);
    right->addWidget(box(QStringLiteral("Audio device"), device_, this));
    inputs_ = new InputMeters(controller, this);
    right->addWidget(box(QStringLiteral("Inputs · click for PFL"), inputs_, this));
    if (sources.midi) {
        midi_ = new MidiPanel(venue, *sources.midi, sources.midiLearn, this);
        right->addWidget(box(QStringLiteral("MIDI surfaces"), midi_, this));
    }
    log_ = new EventLog(this);
    auto* logBox = box(QStringLiteral("Event log"), log_, this);
    logBox->setMinimumWidth(420);
    right->addWidget(logBox, 1);
    if (midi_)
        connect(midi_, &MidiPanel::logLine, log_,
                [this](const QString& line) { log_->add(EventKind::Routing, line); });
}

void TechnicianView::refresh(const core::RoutingState& routing, const core::MeterBank& meters,
                             const std::optional<device::DeviceStatus>& device) {
    for (auto* strip : strips_) {
        std::optional<loudness::LoudnessReading> loudness;
        if (sources_.loudness)
            loudness = sources_.loudness->read(strip->channel());
        std::optional<int> listeners;
        if (sources_.listeners)
            listeners = sources_.listeners(strip->channel());
        strip->refresh(routing, meters, loudness, listeners);
    }
    boothMap_->refresh(routing, meters);
    inputs_->refresh(routing, meters);
    monitor_->refresh(routing);
    if (device)
        device_->refresh(*device);
}

} // namespace dragoman::console

// The technician's view: a strip per channel, the booth map, input meters for every floor and
// desk mic, the monitor (PFL) selector, the device panel and the event log, on one screen.
//
//   ┌ channels: floor en sq bsm mk (strips) ───┐┌ monitor ──────────────────┐
//   │                                          │├ device ───────────────────┤
//   ├ booths: desks coloured by state ─────────┤├ inputs: floor, desk mics ─┤
//   │                                          │├ MIDI surfaces, learn ─────┤
//   └──────────────────────────────────────────┘└ event log ────────────────┘
//
// Thread contract: the GUI thread; refresh() from the console's meter timer.
#pragma once

#include "console/BoothMap.h"
#include "console/ChannelStrip.h"
#include "console/ConsoleSources.h"
#include "console/DevicePanel.h"
#include "console/EventLog.h"
#include "console/InputMeters.h"
#include "console/MidiPanel.h"
#include "console/MonitorSelector.h"

#include <QWidget>
#include <optional>
#include <vector>

namespace dragoman::console {

class TechnicianView : public QWidget {
    Q_OBJECT

public:
    TechnicianView(const ConsoleSources& sources, QWidget* parent = nullptr);

    void refresh(const core::RoutingState& routing, const core::MeterBank& meters,
                 const std::optional<device::DeviceStatus>& device);

    ChannelStrip* strip(int channel) const { return strips_.at(static_cast<std::size_t>(channel)); }
    BoothMap* boothMap() const { return boothMap_; }
    InputMeters* inputs() const { return inputs_; }
    MonitorSelector* monitor() const { return monitor_; }
    DevicePanel* devicePanel() const { return device_; }
    EventLog* eventLog() const { return log_; }
    MidiPanel* midiPanel() const { return midi_; } // null without MIDI surfaces

private:
    ConsoleSources sources_;
    std::vector<ChannelStrip*> strips_;
    BoothMap* boothMap_ = nullptr;
    InputMeters* inputs_ = nullptr;
    MonitorSelector* monitor_ = nullptr;
    DevicePanel* device_ = nullptr;
    EventLog* log_ = nullptr;
    MidiPanel* midi_ = nullptr;
};

} // namespace dragoman::console

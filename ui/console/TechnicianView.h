// The technician's view: a strip per channel, the booth map, the monitor (PFL) selector, the
// device state and the alarms, the details (device, input meters, MIDI) in tabs and the event
// log, on one screen of any size from 1280x720 up.
//
//   ┌ channels: strips, or compact rows in columns ┐┌ monitor ────────────────────┐
//   │                                              │├ status: device, alarms ─────┤
//   ├ booths: desks coloured by state (reflowing)  ┤├ device | inputs | MIDI (tabs)┤
//   │                                              │├ event log ──────────────────┤
//   └──────────────────────────────────────────────┘└─────────────────────────────┘
//
// arrange() picks the forms for the space it has: full strips when they fit side by side,
// compact rows otherwise; full desk tiles when the booths fit with the channels, compact
// cells otherwise. The booths and the status never scroll; the channels scroll as a group
// only when even their compact rows cannot all be shown.
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
#include "console/StatusSummary.h"

#include <QScrollArea>
#include <QWidget>

class QGroupBox;
class QTabWidget;

namespace dragoman::widgets {
class FlowLayout;
}
#include <optional>
#include <vector>

namespace dragoman::console {

class TechnicianView : public QWidget {
    Q_OBJECT

public:
    TechnicianView(const ConsoleSources& sources, QWidget* parent = nullptr);

    // `panels`: booth tablets connected per desk (ConsoleSources::panels; empty: none shown).
    void refresh(const core::RoutingState& routing, const core::MeterBank& meters,
                 const std::optional<device::DeviceStatus>& device,
                 const std::vector<int>& panels = {});

    ChannelStrip* strip(int channel) const { return strips_.at(static_cast<std::size_t>(channel)); }
    BoothMap* boothMap() const { return boothMap_; }
    InputMeters* inputs() const { return inputs_; }
    MonitorSelector* monitor() const { return monitor_; }
    DevicePanel* devicePanel() const { return device_; }
    EventLog* eventLog() const { return log_; }
    MidiPanel* midiPanel() const { return midi_; } // null without MIDI surfaces
    StatusSummary* summary() const { return summary_; }
    QTabWidget* details() const { return tabs_; }
    QWidget* channelsArea() const { return stripsScroll_; }
    bool compact() const { return compact_; } // the strips are compact rows

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void arrange(const QSize& size);

    ConsoleSources sources_;
    QWidget* right_ = nullptr;
    QWidget* stripsRow_ = nullptr;
    widgets::FlowLayout* stripsFlow_ = nullptr;
    QScrollArea* stripsScroll_ = nullptr;
    QGroupBox* channelsBox_ = nullptr;
    QGroupBox* boothsBox_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    StatusSummary* summary_ = nullptr;
    bool compact_ = false;
    std::vector<ChannelStrip*> strips_;
    BoothMap* boothMap_ = nullptr;
    InputMeters* inputs_ = nullptr;
    MonitorSelector* monitor_ = nullptr;
    DevicePanel* device_ = nullptr;
    EventLog* log_ = nullptr;
    MidiPanel* midi_ = nullptr;
};

} // namespace dragoman::console

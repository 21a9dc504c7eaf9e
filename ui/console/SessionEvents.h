// Turns what happens in the session into event-log lines: mics going on and off and the other
// routing changes (whoever made them: this console, the HTTP API, MIDI, the demo script),
// refused commands, slow and help calls from the desks, device faults and recoveries, and the
// hearing-protection limiters' warnings, and booth tablets connecting to their desks and going.
//
// Thread contract: the GUI thread; poll() from the console's meter timer.
#pragma once

#include "console/EventLog.h"
#include "control/Controller.h"
#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "device/DeviceStatus.h"

#include <QObject>
#include <optional>
#include <vector>

namespace dragoman::console {

class SessionEvents : public QObject {
    Q_OBJECT

public:
    SessionEvents(control::Controller& controller, EventLog& log, QObject* parent = nullptr);

    // `panels`: booth tablets connected per desk (ConsoleSources::panels); a desk's tablet
    // connecting or going is logged.
    void poll(const core::RoutingState& routing, const core::MeterBank& meters,
              const std::optional<device::DeviceStatus>& device,
              const std::vector<int>& panels = {});

    // A channel strip's alarm.
    void alarm(int channel, const QString& what);

private:
    void onAnswer(const control::CommandAnswer& answer);
    QString desk(int flat) const;
    QString channel(int index) const;

    control::Controller& controller_;
    EventLog& log_;
    std::optional<core::RoutingState> last_;
    std::vector<core::LimiterReading> limiters_;
    std::optional<device::DeviceStatus> device_;
    std::vector<int> panels_;
};

} // namespace dragoman::console

// The technician's monitor (PFL) selector: any channel, floor mic, desk mic or desk feed on the
// monitor outputs. Follows the engine's state, whoever changed it.
//
// Thread contract: the GUI thread.
#pragma once

#include "control/Controller.h"
#include "core/RoutingState.h"

#include <QComboBox>

namespace dragoman::console {

class MonitorSelector : public QComboBox {
    Q_OBJECT

public:
    explicit MonitorSelector(control::Controller& controller, QWidget* parent = nullptr);

    void refresh(const core::RoutingState& routing);

    // The item for a source, -1 if none.
    int indexOf(core::MonitorSource source, int index) const;

private:
    control::Controller& controller_;
};

} // namespace dragoman::console

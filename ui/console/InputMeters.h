// Input meters for every floor mic and every desk mic, each with a PFL key that puts it on the
// technician's monitor.
//
// Thread contract: the GUI thread; refresh() from the console's meter timer.
#pragma once

#include "control/Controller.h"
#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "widgets/LevelMeter.h"

#include <QWidget>
#include <vector>

class QPushButton;

namespace dragoman::console {

class InputMeters : public QWidget {
    Q_OBJECT

public:
    explicit InputMeters(control::Controller& controller, QWidget* parent = nullptr);

    void refresh(const core::RoutingState& routing, const core::MeterBank& meters);

    widgets::LevelMeter* floorMeter(int mic) const {
        return floor_.at(static_cast<std::size_t>(mic)).meter;
    }
    widgets::LevelMeter* deskMeter(int desk) const {
        return desks_.at(static_cast<std::size_t>(desk)).meter;
    }

private:
    struct Input {
        widgets::LevelMeter* meter = nullptr;
        QPushButton* pfl = nullptr;
    };
    Input addInput(const QString& name, core::MonitorSource source, int index);

    control::Controller& controller_;
    std::vector<Input> floor_;
    std::vector<Input> desks_;
};

} // namespace dragoman::console

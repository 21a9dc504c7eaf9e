#include "console/InputMeters.h"

#include "widgets/FlowLayout.h"

#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

namespace dragoman::console {

InputMeters::InputMeters(control::Controller& controller, QWidget* parent)
    : QWidget(parent)
    , controller_(controller) {
    const auto& venue = controller.venue();
    new widgets::FlowLayout(this, 6, 8); // wraps onto more rows as the panel narrows
    for (std::size_t m = 0; m < venue.floorMics.size(); ++m)
        floor_.push_back(addInput(QString::fromStdString(venue.floorMics[m].name),
                                  core::MonitorSource::FloorMic, static_cast<int>(m)));
    for (int d = 0; d < venue.deskCount(); ++d)
        desks_.push_back(
            addInput(QString::fromStdString(venue.deskId(d)), core::MonitorSource::DeskMic, d));
}

InputMeters::Input InputMeters::addInput(const QString& name, core::MonitorSource source,
                                         int index) {
    auto* cell = new QWidget(this);
    auto* column = new QVBoxLayout(cell);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(3);
    Input input;
    input.meter = new widgets::LevelMeter(cell);
    input.meter->setMinimumHeight(70);
    input.meter->setFixedWidth(18);
    input.pfl = new QPushButton(name, cell);
    input.pfl->setCheckable(true);
    input.pfl->setToolTip(QStringLiteral("Listen to %1's mic on the monitor (PFL)").arg(name));
    input.pfl->setStyleSheet(QStringLiteral("padding: 3px 2px; font-size: 8pt;"));
    connect(input.pfl, &QPushButton::clicked, this, [this, source, index] {
        controller_.submit(core::Command::monitorSource(source, index));
    });
    column->addWidget(input.meter, 1, Qt::AlignHCenter);
    column->addWidget(input.pfl);
    cell->setFixedSize(std::max(40, input.pfl->sizeHint().width()), 96);
    layout()->addWidget(cell);
    return input;
}

void InputMeters::refresh(const core::RoutingState& routing, const core::MeterBank& meters) {
    auto show = [&](std::vector<Input>& inputs, core::MeterPoint point,
                    core::MonitorSource source) {
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            const auto r = meters.read(point, static_cast<int>(i));
            inputs[i].meter->setLevels(r.peakDb, r.truePeakDb, r.rmsDb);
            const bool monitored =
                routing.monitor == source && routing.monitorIndex == static_cast<int>(i);
            if (inputs[i].pfl->isChecked() != monitored)
                inputs[i].pfl->setChecked(monitored);
        }
    };
    show(floor_, core::MeterPoint::FloorMic, core::MonitorSource::FloorMic);
    show(desks_, core::MeterPoint::DeskMic, core::MonitorSource::DeskMic);
}

} // namespace dragoman::console

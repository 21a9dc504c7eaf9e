#include "console/MonitorSelector.h"

#include <QSignalBlocker>

namespace dragoman::console {

namespace {
int key(core::MonitorSource source, int index) {
    return static_cast<int>(source) * 10000 + index;
}
} // namespace

MonitorSelector::MonitorSelector(control::Controller& controller, QWidget* parent)
    : QComboBox(parent)
    , controller_(controller) {
    const auto& venue = controller.venue();
    setObjectName(QStringLiteral("monitor"));
    setMinimumWidth(260);
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        const auto& ch = venue.channels[c];
        addItem(QStringLiteral("Channel %1 · %2")
                    .arg(QString::fromStdString(ch.code),
                         QString::fromStdString(ch.nativeName.empty() ? ch.name : ch.nativeName)),
                key(core::MonitorSource::Channel, static_cast<int>(c)));
    }
    for (std::size_t m = 0; m < venue.floorMics.size(); ++m)
        addItem(
            QStringLiteral("Floor mic · %1").arg(QString::fromStdString(venue.floorMics[m].name)),
            key(core::MonitorSource::FloorMic, static_cast<int>(m)));
    for (int d = 0; d < venue.deskCount(); ++d)
        addItem(QStringLiteral("Desk mic · %1").arg(QString::fromStdString(venue.deskId(d))),
                key(core::MonitorSource::DeskMic, d));
    for (int d = 0; d < venue.deskCount(); ++d)
        addItem(QStringLiteral("Desk feed · %1 (headphones)")
                    .arg(QString::fromStdString(venue.deskId(d))),
                key(core::MonitorSource::DeskFeed, d));
    connect(this, &QComboBox::activated, this, [this](int item) {
        const int k = itemData(item).toInt();
        controller_.submit(
            core::Command::monitorSource(static_cast<core::MonitorSource>(k / 10000), k % 10000));
    });
}

int MonitorSelector::indexOf(core::MonitorSource source, int index) const {
    return findData(key(source, index));
}

void MonitorSelector::refresh(const core::RoutingState& routing) {
    const int item = indexOf(routing.monitor, routing.monitorIndex);
    if (item >= 0 && item != currentIndex()) {
        const QSignalBlocker block(this);
        setCurrentIndex(item);
    }
}

} // namespace dragoman::console

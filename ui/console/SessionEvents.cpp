#include "console/SessionEvents.h"

namespace dragoman::console {

namespace {
QString qs(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}
} // namespace

SessionEvents::SessionEvents(control::Controller& controller, EventLog& log, QObject* parent)
    : QObject(parent)
    , controller_(controller)
    , log_(log) {
    connect(&controller_, &control::Controller::commandAnswered, this, &SessionEvents::onAnswer);
}

QString SessionEvents::desk(int flat) const {
    return QString::fromStdString(controller_.venue().deskId(flat));
}

QString SessionEvents::channel(int index) const {
    const auto& channels = controller_.venue().channels;
    if (index < 0 || static_cast<std::size_t>(index) >= channels.size())
        return QStringLiteral("?");
    return QString::fromStdString(channels[static_cast<std::size_t>(index)].code);
}

void SessionEvents::onAnswer(const control::CommandAnswer& answer) {
    if (answer.outcome == control::CommandAnswer::Outcome::Answered && answer.accepted)
        return;
    QString what = qs(core::toString(answer.kind));
    if (core::isDeskCommand(answer.kind))
        what = QStringLiteral("%1 %2").arg(desk(answer.target), what);
    QString line = QStringLiteral("%1 refused: %2").arg(what, qs(control::describe(answer)));
    if (answer.holder >= 0)
        line += QStringLiteral(" (held by %1)").arg(desk(answer.holder));
    log_.add(EventKind::Refusal, line);
}

void SessionEvents::alarm(int index, const QString& what) {
    log_.add(EventKind::Alarm, QStringLiteral("channel %1: %2").arg(channel(index), what));
}

void SessionEvents::poll(const core::RoutingState& routing, const core::MeterBank& meters,
                         const std::optional<device::DeviceStatus>& device,
                         const std::vector<int>& panels) {
    const auto& venue = controller_.venue();
    for (std::size_t d = 0; d < panels.size(); ++d) {
        const int before = d < panels_.size() ? panels_[d] : 0;
        if (panels[d] > before)
            log_.add(
                EventKind::Panel,
                QStringLiteral("%1 booth tablet connected%2")
                    .arg(desk(static_cast<int>(d)),
                         panels[d] > 1 ? QStringLiteral(" (%1 now)").arg(panels[d]) : QString()));
        else if (panels[d] < before)
            log_.add(EventKind::Panel,
                     QStringLiteral("%1 booth tablet gone%2")
                         .arg(desk(static_cast<int>(d)),
                              panels[d] > 0 ? QStringLiteral(" (%1 still connected)").arg(panels[d])
                                            : QString()));
    }
    panels_ = panels;
    if (last_ && last_->version != routing.version) {
        for (std::size_t d = 0; d < routing.desks.size() && d < last_->desks.size(); ++d) {
            const auto& now = routing.desks[d];
            const auto& before = last_->desks[d];
            if (now.mic != before.mic)
                log_.add(EventKind::Mic,
                         now.mic ? QStringLiteral("%1 mic on: %2 on %3")
                                       .arg(desk(static_cast<int>(d)), qs(venue::toString(now.out)),
                                            channel(now.outChannel))
                                 : QStringLiteral("%1 mic off").arg(desk(static_cast<int>(d))));
            // Slow and help keys, from the console's desk panels, the HTTP API or MIDI.
            if (now.slowCalls != before.slowCalls)
                log_.add(EventKind::Call, QStringLiteral("%1 asks the speaker to slow down")
                                              .arg(desk(static_cast<int>(d))));
            if (now.helpCalls != before.helpCalls)
                log_.add(EventKind::Call, QStringLiteral("%1 calls the technician (help)")
                                              .arg(desk(static_cast<int>(d))));
        }
        for (std::size_t c = 1; c < routing.channels.size() && c < last_->channels.size(); ++c)
            if (routing.channels[c].autoFloor != last_->channels[c].autoFloor)
                log_.add(EventKind::Routing,
                         QStringLiteral("channel %1 auto-floor %2")
                             .arg(channel(static_cast<int>(c)), routing.channels[c].autoFloor
                                                                    ? QStringLiteral("on")
                                                                    : QStringLiteral("off")));
        for (std::size_t b = 0; b < routing.booths.size() && b < last_->booths.size(); ++b) {
            const auto& now = routing.booths[b];
            const auto& before = last_->booths[b];
            const QString code = QString::fromStdString(venue.booths[b].code);
            if (now.interlock != before.interlock)
                log_.add(
                    EventKind::Routing,
                    QStringLiteral("booth %1: %2").arg(code, qs(venue::toString(now.interlock))));
            if (now.autoRelay != before.autoRelay)
                log_.add(EventKind::Routing, QStringLiteral("booth %1: auto-relay (pivot) %2")
                                                 .arg(code, now.autoRelay ? QStringLiteral("on")
                                                                          : QStringLiteral("off")));
        }
    }
    if (!last_ || last_->version != routing.version)
        last_ = routing;

    // Hearing protection.
    const int desks = meters.count(core::MeterPoint::DeskFeed);
    limiters_.resize(static_cast<std::size_t>(desks));
    for (int d = 0; d < desks; ++d) {
        const auto now = meters.limiter(d);
        auto& before = limiters_[static_cast<std::size_t>(d)];
        if (now.warning && !before.warning)
            log_.add(EventKind::Limiter,
                     QStringLiteral("%1 headphones: one-minute average %2 dBFS, above the warning "
                                    "level")
                         .arg(desk(d))
                         .arg(now.averageDb, 0, 'f', 1));
        if (now.sustained && !before.sustained)
            log_.add(EventKind::Limiter,
                     QStringLiteral("%1 headphones: loud for too long, the lower limit is on")
                         .arg(desk(d)));
        before = now;
    }

    // The device.
    if (device) {
        if (device_) {
            if (device->clock != device_->clock || device->state != device_->state) {
                if (device->state == device::State::Reconnecting)
                    log_.add(EventKind::Device,
                             QStringLiteral("device lost (%1): on the virtual clock, retrying")
                                 .arg(QString::fromStdString(device->lastError)));
                else if (device->clock == device::Clock::Device)
                    log_.add(EventKind::Device, QStringLiteral("on the device: %1 / %2")
                                                    .arg(QString::fromStdString(device->hostApi),
                                                         QString::fromStdString(device->device)));
                else
                    log_.add(EventKind::Device, QStringLiteral("on the virtual clock"));
            }
            if (device->xruns > device_->xruns)
                log_.add(EventKind::Device, QStringLiteral("%1 xrun(s), %2 in all")
                                                .arg(device->xruns - device_->xruns)
                                                .arg(device->xruns));
        }
        device_ = device;
    }
}

} // namespace dragoman::console

#include "console/DevicePanel.h"

#include "widgets/Theme.h"

#include <QGridLayout>
#include <QLabel>

namespace dragoman::console {

DevicePanel::DevicePanel(QWidget* parent)
    : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(14);
    grid->setVerticalSpacing(4);
    const QStringList names{
        QStringLiteral("Clock"),      QStringLiteral("State"), QStringLiteral("Host API"),
        QStringLiteral("Device"),     QStringLiteral("Rate"),  QStringLiteral("Block"),
        QStringLiteral("Latency"),    QStringLiteral("CPU"),   QStringLiteral("Xruns"),
        QStringLiteral("Reconnects"), QStringLiteral("Note"),  QStringLiteral("WebRTC")};
    int row = 0;
    for (const auto& name : names) {
        auto* label = new QLabel(name, this);
        label->setProperty("role", "dim");
        auto* value = new QLabel(QStringLiteral("—"), this);
        value->setProperty("role", "value");
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        grid->addWidget(label, row, 0, Qt::AlignTop);
        grid->addWidget(value, row, 1);
        fields_.emplace_back(name, value);
        ++row;
    }
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(row, 1);
}

QLabel* DevicePanel::value(const QString& field) const {
    for (const auto& [name, label] : fields_)
        if (name == field)
            return label;
    return nullptr;
}

QString DevicePanel::text(const QString& field) const {
    const auto* label = value(field);
    return label ? label->text() : QString();
}

void DevicePanel::refresh(const device::DeviceStatus& s, const std::optional<ServiceLine>& webrtc) {
    auto set = [this](const QString& field, const QString& text, const QColor& colour = {}) {
        auto* label = value(field);
        if (label->text() != text)
            label->setText(text);
        const QString style =
            colour.isValid() ? QStringLiteral("color: %1;").arg(colour.name()) : QString();
        if (label->styleSheet() != style)
            label->setStyleSheet(style);
    };
    const bool virtualClock = s.clock == device::Clock::Virtual;
    set(QStringLiteral("Clock"),
        virtualClock ? QStringLiteral("virtual") : QStringLiteral("device"),
        virtualClock ? widgets::colour::warning : widgets::colour::liveA);
    const QColor stateColour = s.state == device::State::Running        ? widgets::colour::liveA
                               : s.state == device::State::Reconnecting ? widgets::colour::alarm
                                                                        : widgets::colour::textDim;
    set(QStringLiteral("State"),
        QString::fromUtf8(device::toString(s.state).data(),
                          static_cast<qsizetype>(device::toString(s.state).size())),
        stateColour);
    set(QStringLiteral("Host API"),
        s.hostApi.empty() ? QStringLiteral("—") : QString::fromStdString(s.hostApi));
    set(QStringLiteral("Device"),
        s.device.empty() ? QStringLiteral("—") : QString::fromStdString(s.device));
    set(QStringLiteral("Rate"), QStringLiteral("%1 Hz").arg(s.sampleRate, 0, 'f', 0));
    set(QStringLiteral("Block"), QStringLiteral("%1 frames").arg(s.blockSize));
    set(QStringLiteral("Latency"), QStringLiteral("in %1 ms · out %2 ms")
                                       .arg(s.inputLatencyMs, 0, 'f', 1)
                                       .arg(s.outputLatencyMs, 0, 'f', 1));
    set(QStringLiteral("CPU"), QStringLiteral("%1 %").arg(s.cpuLoad * 100.0, 0, 'f', 1),
        s.cpuLoad > 0.7 ? widgets::colour::alarm : QColor());
    set(QStringLiteral("Xruns"), QString::number(s.xruns),
        s.xruns > 0 ? widgets::colour::warning : QColor());
    set(QStringLiteral("Reconnects"), QString::number(s.reconnects));
    QString note = QString::fromStdString(s.lastError.empty() ? s.notice : s.lastError);
    set(QStringLiteral("Note"), note.isEmpty() ? QStringLiteral("—") : note,
        s.lastError.empty() ? QColor() : widgets::colour::alarm);
    set(QStringLiteral("WebRTC"), webrtc ? webrtc->text : QStringLiteral("off"),
        webrtc && !webrtc->healthy ? widgets::colour::alarm : QColor());
}

} // namespace dragoman::console

#include "console/StatusSummary.h"

#include "widgets/Theme.h"

#include <QLabel>
#include <QStringList>
#include <QVBoxLayout>

namespace dragoman::console {

namespace {

QString names(const QStringList& list) {
    QStringList shown = list.mid(0, StatusSummary::kNamesShown);
    if (list.size() > StatusSummary::kNamesShown)
        shown << QStringLiteral("+%1").arg(list.size() - StatusSummary::kNamesShown);
    return shown.join(QStringLiteral(", "));
}

QString view(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

StatusSummary::StatusSummary(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("status-summary"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    device_ = new QLabel(QStringLiteral("device —"), this);
    device_->setObjectName(QStringLiteral("device-state"));
    device_->setWordWrap(true);
    alarmsLabel_ = new QLabel(this);
    alarmsLabel_->setObjectName(QStringLiteral("alarms"));
    alarmsLabel_->setWordWrap(true);
    alarmsLabel_->setTextFormat(Qt::RichText);
    layout->addWidget(device_);
    layout->addWidget(alarmsLabel_);
}

QString StatusSummary::deviceText() const {
    return device_->text();
}

QString StatusSummary::alarmsText() const {
    return plainAlarms_;
}

void StatusSummary::refresh(const std::vector<ChannelStrip*>& strips, const BoothMap& booths,
                            const core::MeterBank& meters,
                            const std::optional<device::DeviceStatus>& device) {
    if (device) {
        QString text =
            QStringLiteral("%1 · %2 clock · %3 Hz / %4 · xruns %5")
                .arg(view(device::toString(device->state)), view(device::toString(device->clock)))
                .arg(device->sampleRate, 0, 'f', 0)
                .arg(device->blockSize)
                .arg(device->xruns);
        if (!device->lastError.empty())
            text += QStringLiteral(" · ") + QString::fromStdString(device->lastError);
        const QColor colour =
            device->state == device::State::Running && device->clock == device::Clock::Device
                ? widgets::colour::liveA
            : device->state == device::State::Running ? widgets::colour::warning
                                                      : widgets::colour::alarm;
        if (device_->text() != text) {
            device_->setText(text);
            device_->setStyleSheet(
                QStringLiteral("color: %1; font-weight: bold;").arg(colour.name()));
        }
    }

    QStringList clip;
    QStringList lost;
    for (const auto* strip : strips) {
        const QString code = strip->objectName().mid(6); // "strip-en"
        if (strip->alarms().clip)
            clip << code;
        if (strip->alarms().signalLost)
            lost << code;
    }
    QStringList refused;
    QStringList limiter;
    for (int d = 0; d < booths.deskCount(); ++d) {
        const auto& desk = booths.tile(d)->view();
        const QString id = booths.tile(d)->objectName().mid(5); // "desk-en.1"
        if (desk.look == DeskLook::Engaged)
            refused << id;
        if (meters.limiter(d).warning)
            limiter << id;
    }
    struct Kind {
        const char* name;
        const QStringList& list;
        QColor colour;
    };
    const Kind kinds[] = {{"CLIP", clip, widgets::colour::alarm},
                          {"NO SIGNAL", lost, widgets::colour::alarm},
                          {"REFUSED", refused, widgets::colour::engaged},
                          {"HEADPHONES LOUD", limiter, widgets::colour::warning}};
    QStringList plain;
    QStringList rich;
    int count = 0;
    for (const auto& kind : kinds) {
        if (kind.list.isEmpty())
            continue;
        count += static_cast<int>(kind.list.size());
        const QString line = QStringLiteral("%1 %2: %3")
                                 .arg(QLatin1String(kind.name))
                                 .arg(kind.list.size())
                                 .arg(names(kind.list));
        plain << line;
        rich << QStringLiteral("<span style='color:%1; font-weight:bold'>%2</span>")
                    .arg(kind.colour.name(), line.toHtmlEscaped());
    }
    alarms_ = count;
    const QString text =
        plain.isEmpty() ? QStringLiteral("no alarms") : plain.join(QStringLiteral(" · "));
    if (text != plainAlarms_) {
        plainAlarms_ = text;
        alarmsLabel_->setText(rich.isEmpty()
                                  ? QStringLiteral("<span style='color:#9aa3b0'>no alarms</span>")
                                  : rich.join(QStringLiteral("<br>")));
    }
}

} // namespace dragoman::console

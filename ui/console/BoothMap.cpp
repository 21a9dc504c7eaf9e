#include "console/BoothMap.h"

#include "widgets/Theme.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

namespace dragoman::console {

DeskTile::DeskTile(const QString& id, QWidget* parent)
    : QAbstractButton(parent)
    , id_(id) {
    setObjectName(QStringLiteral("desk-%1").arg(id));
    setCursor(Qt::PointingHandCursor);
    setToolTip(QStringLiteral("Desk %1: click to open its panel").arg(id));
    setMinimumSize(150, 72);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize DeskTile::sizeHint() const {
    return {190, 78};
}

void DeskTile::setView(const View& view) {
    if (view == view_)
        return;
    view_ = view;
    update();
}

void DeskTile::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(rect()).adjusted(1, 1, -1, -1);
    const QColor fill = deskColour(view_.look);
    const bool lit = view_.look != DeskLook::Idle;
    p.setPen(QPen(underMouse() ? widgets::colour::accent : widgets::colour::border, 1.5));
    p.setBrush(lit ? fill.darker(view_.cough ? 220 : 140) : widgets::colour::panelRaised);
    p.drawRoundedRect(r, 7, 7);
    // A bar in the state's colour on the left edge, visible even for idle desks.
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    p.drawRoundedRect(QRectF(r.left(), r.top(), 8, r.height()), 4, 4);

    const QRectF text = r.adjusted(16, 6, -8, -6);
    QFont big = font();
    big.setPointSizeF(14.0);
    big.setBold(true);
    p.setFont(big);
    p.setPen(widgets::colour::text);
    p.drawText(text, Qt::AlignLeft | Qt::AlignTop, id_);

    QFont small = font();
    small.setPointSizeF(9.5);
    small.setBold(true);
    p.setFont(small);
    QString state;
    switch (view_.look) {
    case DeskLook::Idle:
        state = QStringLiteral("idle");
        break;
    case DeskLook::LiveA:
    case DeskLook::LiveRetour:
        state = QStringLiteral("LIVE %1").arg(view_.out);
        if (view_.cough)
            state += QStringLiteral(" · COUGH");
        break;
    case DeskLook::Engaged:
        state = view_.holder.isEmpty() ? QStringLiteral("ENGAGED")
                                       : QStringLiteral("ENGAGED by %1").arg(view_.holder);
        break;
    }
    p.drawText(text, Qt::AlignRight | Qt::AlignTop, state);

    p.setPen(widgets::colour::textDim);
    p.drawText(text.adjusted(0, 26, 0, 0), Qt::AlignLeft | Qt::AlignTop,
               view_.hearing == QStringLiteral("floor")
                   ? QStringLiteral("hears the floor")
                   : QStringLiteral("hears %1  %2%3")
                         .arg(view_.hearing, view_.tag,
                              view_.autoRelay ? QStringLiteral("  (pivot)") : QString()));

    // Hearing protection: gain reduction as a bar, amber; a red lamp for the 1-minute warning.
    const QRectF lim(text.left(), text.bottom() - 12, text.width() - 40, 9);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x0b, 0x0c, 0x0e));
    p.drawRoundedRect(lim, 3, 3);
    const double share = std::min(1.0, static_cast<double>(view_.gainReductionDb) / 12.0);
    if (share > 0.0) {
        p.setBrush(widgets::colour::warning);
        p.drawRoundedRect(QRectF(lim.left(), lim.top(), lim.width() * share, lim.height()), 3, 3);
    }
    p.setFont(small);
    p.setPen(view_.limiterWarning ? widgets::colour::alarm
             : share > 0.0        ? widgets::colour::warning
                                  : QColor(0x4a, 0x51, 0x5c));
    p.drawText(QRectF(lim.right() + 4, lim.center().y() - 8, 36, 16),
               Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("LIM"));
}

BoothMap::BoothMap(control::EngineController& controller, QWidget* parent)
    : QWidget(parent)
    , controller_(controller) {
    const auto& venue = controller.venue();
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(18);
    grid->setVerticalSpacing(8);
    refusals_.resize(static_cast<std::size_t>(venue.deskCount()));
    int flat = 0;
    int index = 0;
    for (const auto& booth : venue.booths) {
        auto* row = new QHBoxLayout;
        row->setSpacing(8);
        auto* name = new QLabel(this);
        name->setText(QStringLiteral("<b style='font-size:14pt'>%1</b><br><span "
                                     "style='color:#9aa3b0'>%2</span>")
                          .arg(QString::fromStdString(booth.code).toUpper(),
                               QString::fromStdString(booth.name)));
        name->setFixedWidth(118);
        name->setWordWrap(true);
        auto* mode = new QLabel(this);
        mode->setProperty("role", "dim");
        boothModes_.push_back(mode);
        auto* names = new QVBoxLayout;
        names->setSpacing(2);
        names->addWidget(name);
        names->addWidget(mode);
        names->addStretch();
        row->addLayout(names);
        for (std::size_t d = 0; d < booth.desks.size(); ++d, ++flat) {
            auto* tile = new DeskTile(QString::fromStdString(venue.deskId(flat)), this);
            connect(tile, &DeskTile::clicked, this, [this, flat] { Q_EMIT deskOpened(flat); });
            tiles_.push_back(tile);
            row->addWidget(tile);
        }
        grid->addLayout(row, index / kBoothsPerRow, index % kBoothsPerRow);
        ++index;
    }
    grid->setRowStretch((index + kBoothsPerRow - 1) / kBoothsPerRow, 1);
    connect(&controller_, &control::EngineController::commandAnswered, this, &BoothMap::onAnswer);
}

void BoothMap::onAnswer(const control::CommandAnswer& answer) {
    if (answer.outcome != control::CommandAnswer::Outcome::Answered || answer.accepted ||
        answer.kind != core::Command::Kind::DeskMic)
        return;
    if (answer.reason != core::Refusal::ChannelEngaged &&
        answer.reason != core::Refusal::BoothEngaged)
        return;
    if (answer.target < 0 || static_cast<std::size_t>(answer.target) >= refusals_.size())
        return;
    auto& refusal = refusals_[static_cast<std::size_t>(answer.target)];
    refusal.holder = answer.holder;
    refusal.active = true;
    refusal.since.restart();
}

void BoothMap::refresh(const core::RoutingState& routing, const core::MeterBank& meters) {
    const auto& venue = controller_.venue();
    for (std::size_t b = 0; b < venue.booths.size() && b < routing.booths.size(); ++b) {
        const auto& booth = routing.booths[b];
        QString mode = booth.interlock == core::InterlockMode::Interlock
                           ? QStringLiteral("interlock")
                           : QStringLiteral("override");
        if (booth.autoRelay)
            mode += QStringLiteral(" · PIVOT");
        if (boothModes_[b]->text() != mode)
            boothModes_[b]->setText(mode);
    }
    for (std::size_t d = 0; d < tiles_.size(); ++d) {
        const auto& desk = routing.desks.at(d);
        DeskTile::View view;
        auto& refusal = refusals_[d];
        if (refusal.active && (desk.mic || refusal.since.elapsed() > kEngagedMs))
            refusal.active = false;
        if (desk.mic) {
            view.look = desk.out == core::Slot::A ? DeskLook::LiveA : DeskLook::LiveRetour;
            const auto channel =
                desk.outChannel >= 0
                    ? venue.channels[static_cast<std::size_t>(desk.outChannel)].code
                    : std::string("?");
            view.out = QStringLiteral("%1 · %2").arg(
                QString::fromStdString(std::string(venue::toString(desk.out))),
                QString::fromStdString(channel));
        } else if (refusal.active) {
            view.look = DeskLook::Engaged;
            if (refusal.holder >= 0)
                view.holder = QString::fromStdString(venue.deskId(refusal.holder));
        }
        view.cough = desk.cough;
        const auto hearing = static_cast<std::size_t>(std::max(0, desk.hearing));
        view.hearing = QString::fromStdString(venue.channels.at(hearing).code);
        view.autoRelay = desk.hearing != desk.in; // the pivot replaces the floor it selected
        view.tag = tagLabel(routing.channels.at(hearing).tag);
        const auto limiter = meters.limiter(static_cast<int>(d));
        view.gainReductionDb = limiter.gainReductionDb < 0.1f ? 0.0f : limiter.gainReductionDb;
        view.limiterWarning = limiter.warning;
        tiles_[d]->setView(view);
    }
}

} // namespace dragoman::console

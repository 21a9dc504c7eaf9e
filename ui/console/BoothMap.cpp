#include "console/BoothMap.h"

#include "widgets/FlowLayout.h"
#include "widgets/Theme.h"

#include <QFontMetricsF>
#include <QFrame>
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
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize DeskTile::sizeHint() const {
    return compact_ ? QSize(kCellWidth, kCellHeight) : QSize(190, 78);
}

QSize DeskTile::minimumSizeHint() const {
    return compact_ ? QSize(kCellWidth, kCellHeight) : QSize(150, 72);
}

void DeskTile::setCompact(bool compact) {
    if (compact == compact_)
        return;
    compact_ = compact;
    setSizePolicy(compact ? QSizePolicy::Fixed : QSizePolicy::Expanding, QSizePolicy::Fixed);
    if (compact)
        setFixedSize(kCellWidth, kCellHeight);
    else {
        setMinimumSize(150, 72);
        setMaximumSize(QWIDGETSIZE_MAX, 78);
    }
    updateToolTip();
    updateGeometry();
    update();
}

QString DeskTile::cellText() const {
    switch (view_.look) {
    case DeskLook::Idle:
        return id_.mid(id_.lastIndexOf(QLatin1Char('.')) + 1);
    case DeskLook::LiveA:
    case DeskLook::LiveRetour:
        return view_.out.left(1); // "A · en" -> "A"
    case DeskLook::Engaged:
        return QStringLiteral("✕");
    }
    return {};
}

void DeskTile::updateToolTip() {
    const QString tablet =
        view_.panels > 0
            ? QStringLiteral("\nbooth tablet connected%1")
                  .arg(view_.panels > 1 ? QStringLiteral(" (%1)").arg(view_.panels) : QString())
            : QString();
    if (!compact_) {
        setToolTip(QStringLiteral("Desk %1: click to open its panel%2").arg(id_, tablet));
        return;
    }
    QString state = deskLookName(view_.look);
    if (view_.look == DeskLook::LiveA || view_.look == DeskLook::LiveRetour)
        state = QStringLiteral("live %1").arg(view_.out);
    if (view_.look == DeskLook::Engaged && !view_.holder.isEmpty())
        state += QStringLiteral(" (held by %1)").arg(view_.holder);
    if (view_.cough)
        state += QStringLiteral(", cough");
    QString tip = QStringLiteral("Desk %1: %2\nhears %3 %4%5")
                      .arg(id_, state, view_.hearing, view_.tag,
                           view_.autoRelay ? QStringLiteral(" (pivot)") : QString());
    if (view_.gainReductionDb > 0.0f || view_.limiterWarning)
        tip += QStringLiteral("\nlimiter %1 dB%2")
                   .arg(static_cast<double>(view_.gainReductionDb), 0, 'f', 1)
                   .arg(view_.limiterWarning ? QStringLiteral(", 1-minute warning") : QString());
    setToolTip(tip + tablet + QStringLiteral("\nclick to open its panel"));
}

void DeskTile::setView(const View& view) {
    if (view == view_)
        return;
    view_ = view;
    updateToolTip();
    update();
}

void DeskTile::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    if (compact_) {
        // The whole cell in the state's colour, its letter in the middle; the limiter as a
        // bar along the bottom and a red corner for its warning.
        const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
        const QColor fill = deskColour(view_.look);
        p.setPen(QPen(underMouse() ? widgets::colour::accent : fill.lighter(130), 1.0));
        p.setBrush(view_.cough ? fill.darker(170) : fill);
        p.drawRoundedRect(r, 4, 4);
        QFont f = font();
        f.setPointSizeF(10.0);
        f.setBold(true);
        p.setFont(f);
        p.setPen(view_.look == DeskLook::Idle ? widgets::colour::textDim
                                              : QColor(0x0b, 0x0c, 0x0e));
        p.drawText(r, Qt::AlignCenter, cellText());
        if (view_.gainReductionDb > 0.0f) {
            const double share = std::min(1.0, static_cast<double>(view_.gainReductionDb) / 12.0);
            p.setPen(Qt::NoPen);
            p.setBrush(widgets::colour::warning);
            p.drawRect(QRectF(r.left() + 3, r.bottom() - 3.5, (r.width() - 6) * share, 2.5));
        }
        if (view_.limiterWarning) {
            p.setPen(Qt::NoPen);
            p.setBrush(widgets::colour::alarm);
            p.drawEllipse(QRectF(r.right() - 8, r.top() + 2, 6, 6));
        }
        if (view_.panels > 0) {
            p.setPen(Qt::NoPen);
            p.setBrush(widgets::colour::accent);
            p.drawEllipse(QRectF(r.left() + 2, r.top() + 2, 6, 6));
        }
        return;
    }
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
    if (view_.panels > 0) { // a tablet, outlined, beside the id
        const qreal x = text.left() + QFontMetricsF(big).horizontalAdvance(id_) + 8;
        const QRectF tablet(x, text.top() + 3, 11, 15);
        p.setPen(QPen(widgets::colour::accent, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(tablet, 2, 2);
        p.setPen(Qt::NoPen);
        p.setBrush(widgets::colour::accent);
        p.drawEllipse(QPointF(tablet.center().x(), tablet.bottom() - 2.5), 1.2, 1.2);
    }

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

// One booth on the map: its code and name, its interlock mode (and PIVOT), its desks; laid out
// as a row (full tiles) or as a header over a row of cells (compact).
class BoothBlock : public QFrame {
public:
    BoothBlock(const venue::Booth& booth, QWidget* parent)
        : QFrame(parent) {
        setObjectName(QStringLiteral("booth-%1").arg(QString::fromStdString(booth.code)));
        code_ = QString::fromStdString(booth.code).toUpper();
        name_ = QString::fromStdString(booth.name);
        title_ = new QLabel(this);
        title_->setWordWrap(true);
        mode_ = new QLabel(this);
        mode_->setProperty("role", "dim");
    }
    void addTile(DeskTile* tile) { tiles_.push_back(tile); }
    QLabel* mode() const { return mode_; }

    void setCompact(bool compact) {
        delete layout();
        for (auto* tile : tiles_)
            tile->setCompact(compact);
        if (!compact) {
            setStyleSheet(QString());
            title_->setText(QStringLiteral("<b style='font-size:14pt'>%1</b><br><span "
                                           "style='color:#9aa3b0'>%2</span>")
                                .arg(code_, name_.toHtmlEscaped()));
            title_->setWordWrap(true);
            mode_->setStyleSheet(QString());
            title_->setMinimumWidth(118);
            title_->setMaximumWidth(118);
            auto* row = new QHBoxLayout(this);
            row->setContentsMargins(0, 0, 0, 0);
            row->setSpacing(8);
            auto* names = new QVBoxLayout;
            names->setSpacing(2);
            names->addWidget(title_);
            names->addWidget(mode_);
            names->addStretch();
            row->addLayout(names);
            for (auto* tile : tiles_)
                row->addWidget(tile);
        } else {
            setStyleSheet(QStringLiteral("BoothBlock { background: #16181c; border: 1px solid "
                                         "#2b3038; border-radius: 5px; }"));
            const int width = static_cast<int>(tiles_.size()) * (DeskTile::kCellWidth + 3) - 3;
            title_->setWordWrap(false);
            title_->setMinimumWidth(0);
            title_->setMaximumWidth(width - 50);
            const QFontMetrics metrics(font());
            title_->setText(
                QStringLiteral("<b>%1</b> <span style='color:#9aa3b0'>%2</span>")
                    .arg(code_, metrics
                                    .elidedText(name_, Qt::ElideRight,
                                                width - 56 - metrics.horizontalAdvance(code_))
                                    .toHtmlEscaped()));
            mode_->setStyleSheet(QStringLiteral("font-size: 8pt;"));
            auto* column = new QVBoxLayout(this);
            column->setContentsMargins(6, 3, 6, 5);
            column->setSpacing(2);
            auto* header = new QHBoxLayout;
            header->setSpacing(4);
            header->addWidget(title_, 1);
            header->addWidget(mode_);
            column->addLayout(header);
            auto* cells = new QHBoxLayout;
            cells->setSpacing(3);
            for (auto* tile : tiles_)
                cells->addWidget(tile);
            cells->addStretch();
            column->addLayout(cells);
        }
        updateGeometry();
    }

private:
    QString code_;
    QString name_;
    QLabel* title_ = nullptr;
    QLabel* mode_ = nullptr;
    std::vector<DeskTile*> tiles_;
};

BoothMap::BoothMap(control::Controller& controller, QWidget* parent)
    : QWidget(parent)
    , controller_(controller) {
    const auto& venue = controller.venue();
    auto* flow = new widgets::FlowLayout(this, 12, 6);
    flow->setUniformColumns(true);
    refusals_.resize(static_cast<std::size_t>(venue.deskCount()));
    int flat = 0;
    for (const auto& booth : venue.booths) {
        auto* block = new BoothBlock(booth, this);
        boothModes_.push_back(block->mode());
        for (std::size_t d = 0; d < booth.desks.size(); ++d, ++flat) {
            auto* tile = new DeskTile(QString::fromStdString(venue.deskId(flat)), block);
            connect(tile, &DeskTile::clicked, this, [this, flat] { Q_EMIT deskOpened(flat); });
            tiles_.push_back(tile);
            block->addTile(tile);
        }
        block->setCompact(false);
        blocks_.push_back(block);
        flow->addWidget(block);
    }
    connect(&controller_, &control::Controller::commandAnswered, this, &BoothMap::onAnswer);
}

QWidget* BoothMap::boothBlock(int booth) const {
    return blocks_.at(static_cast<std::size_t>(booth));
}

void BoothMap::setCompact(bool compact) {
    if (compact == compact_)
        return;
    compact_ = compact;
    for (auto* block : blocks_)
        block->setCompact(compact);
    layout()->invalidate();
    updateGeometry();
}

int BoothMap::heightFor(int width) const {
    return layout()->heightForWidth(width);
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

void BoothMap::refresh(const core::RoutingState& routing, const core::MeterBank& meters,
                       const std::vector<int>& panels) {
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
        view.panels = d < panels.size() ? panels[d] : 0;
        tiles_[d]->setView(view);
    }
}

} // namespace dragoman::console

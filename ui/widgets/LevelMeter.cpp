#include "widgets/LevelMeter.h"

#include "widgets/Theme.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

namespace dragoman::widgets {

namespace {
constexpr float kFallDbPerSecond = 20.0f; // the held peak's fall once the hold is over
constexpr int kClipLamp = 8;              // px
constexpr int kScaleWidth = 26;           // px
} // namespace

LevelMeter::LevelMeter(QWidget* parent)
    : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    heldSince_.start();
    lastFall_.start();
}

QSize LevelMeter::sizeHint() const {
    if (orientation_ == Qt::Horizontal)
        return {160, 12};
    return {scale_ ? 22 + kScaleWidth : 22, 220};
}

QSize LevelMeter::minimumSizeHint() const {
    if (orientation_ == Qt::Horizontal)
        return {60, 8};
    return {scale_ ? 10 + kScaleWidth : 10, 80};
}

void LevelMeter::setScaleVisible(bool visible) {
    scale_ = visible;
    updateGeometry();
    update();
}

void LevelMeter::setOrientation(Qt::Orientation orientation) {
    orientation_ = orientation;
    updateGeometry();
    update();
}

void LevelMeter::setClipped(bool clipped) {
    if (clipped == clipped_)
        return;
    clipped_ = clipped;
    update();
}

void LevelMeter::setLevels(float peakDb, float truePeakDb, float rmsDb) {
    peakDb_ = std::max(peakDb, kFloorDb);
    truePeakDb_ = std::max(truePeakDb, kFloorDb);
    rmsDb_ = std::max(rmsDb, kFloorDb);
    // Peak hold: a new maximum restarts the hold; after holdMs the held value falls.
    if (peakDb_ >= heldDb_) {
        heldDb_ = peakDb_;
        heldSince_.restart();
    } else if (heldSince_.elapsed() > holdMs_) {
        const float fall = kFallDbPerSecond * static_cast<float>(lastFall_.elapsed()) / 1000.0f;
        heldDb_ = std::max(peakDb_, heldDb_ - fall);
    }
    lastFall_.restart();

    // Repaint only when a painted device-pixel row moves.
    const int rows[4] = {deviceRow(rmsDb_), deviceRow(peakDb_), deviceRow(heldDb_),
                         deviceRow(truePeakDb_)};
    if (!std::equal(std::begin(rows), std::end(rows), std::begin(painted_)))
        update();
}

float LevelMeter::fraction(float db) const {
    return std::clamp((db - kFloorDb) / (kTopDb - kFloorDb), 0.0f, 1.0f);
}

double LevelMeter::length() const {
    const int total = orientation_ == Qt::Vertical ? height() : width();
    return std::max(0, total - kClipLamp - 2);
}

double LevelMeter::along(float db) const {
    const double dpr = devicePixelRatioF();
    return std::round(static_cast<double>(fraction(db)) * length() * dpr) / dpr;
}

void LevelMeter::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), colour::panel);
    const bool vertical = orientation_ == Qt::Vertical;
    // The well in "meter space": x across the meter (0..thickness), y along it from the floor
    // end (0..length). A transform maps it onto the widget either way up.
    const double thickness =
        vertical ? width() - (scale_ ? kScaleWidth : 0) : static_cast<double>(height());
    const double len = length();
    p.save();
    if (vertical) {
        p.translate(0, height());
        p.scale(1, -1); // y up from the bottom
    } else {
        p.translate(0, height());
        p.rotate(-90); // x up the widget's height, y to the right
    }
    p.fillRect(QRectF(0, 0, thickness, len), QColor(0x0b, 0x0c, 0x0e));

    // The RMS bar in three zones: green to -18, yellow to -6, red above.
    const double rms = along(rmsDb_);
    const double mid = along(-18.0f);
    const double high = along(-6.0f);
    const double gutter = std::min(6.0, thickness / 3.0); // for the true-peak tick
    const double inner = thickness - 1.0 - gutter;
    auto zone = [&](double from, double to, const QColor& c) {
        const double end = std::min(to, rms);
        if (end > from)
            p.fillRect(QRectF(1.0, from, inner, end - from), c);
    };
    zone(0.0, mid, colour::meterLow);
    zone(mid, high, colour::meterMid);
    zone(high, len, colour::meterHigh);

    // Sample peak: a bright line; the held peak: a thicker mark; the true peak: a tick in the
    // gutter.
    const double hair = 1.0 / devicePixelRatioF();
    if (peakDb_ > kFloorDb)
        p.fillRect(QRectF(1.0, along(peakDb_) - hair, inner, std::max(1.0, 2 * hair)),
                   QColor(0xff, 0xff, 0xff, 200));
    if (heldDb_ > kFloorDb)
        p.fillRect(QRectF(1.0, along(heldDb_) - 1.5, inner, 3.0),
                   heldDb_ > -1.0f ? colour::meterHigh : colour::text);
    if (truePeakDb_ > kFloorDb)
        p.fillRect(QRectF(thickness - gutter + 1.0, along(truePeakDb_) - 1.5, gutter - 1.0, 3.0),
                   truePeakDb_ > -1.0f ? colour::meterHigh : colour::accent);

    // Clip lamp at the top end.
    p.fillRect(QRectF(0, len + 2, thickness, kClipLamp),
               clipped_ ? colour::alarm : QColor(0x3a, 0x1a, 0x1a));
    p.restore();

    if (scale_ && vertical) {
        QFont f = font();
        f.setPointSizeF(7.5);
        p.setFont(f);
        p.setPen(colour::textDim);
        const double right = thickness;
        for (const float db : {0.0f, -6.0f, -12.0f, -18.0f, -24.0f, -36.0f, -48.0f}) {
            const double y = height() - along(db);
            p.drawLine(QPointF(right + 2, y), QPointF(right + 5, y));
            p.drawText(QRectF(right + 6, y - 7, kScaleWidth - 6, 14),
                       Qt::AlignLeft | Qt::AlignVCenter, QString::number(static_cast<int>(db)));
        }
    }
    painted_[0] = deviceRow(rmsDb_);
    painted_[1] = deviceRow(peakDb_);
    painted_[2] = deviceRow(heldDb_);
    painted_[3] = deviceRow(truePeakDb_);
}

} // namespace dragoman::widgets

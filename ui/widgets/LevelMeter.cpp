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
    return {scale_ ? 22 + kScaleWidth : 22, 220};
}

QSize LevelMeter::minimumSizeHint() const {
    return {scale_ ? 10 + kScaleWidth : 10, 80};
}

void LevelMeter::setScaleVisible(bool visible) {
    scale_ = visible;
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

    // Repaint only when a painted row moves.
    const QRect bar = rect();
    const int rows[4] = {yFor(rmsDb_, bar), yFor(peakDb_, bar), yFor(heldDb_, bar),
                         yFor(truePeakDb_, bar)};
    if (!std::equal(std::begin(rows), std::end(rows), std::begin(painted_)))
        update();
}

float LevelMeter::fraction(float db) const {
    return std::clamp((db - kFloorDb) / (kTopDb - kFloorDb), 0.0f, 1.0f);
}

int LevelMeter::yFor(float db, const QRect& bar) const {
    const int top = bar.top() + kClipLamp + 2;
    const int height = bar.height() - kClipLamp - 2;
    return top + height - static_cast<int>(std::lround(fraction(db) * static_cast<float>(height)));
}

void LevelMeter::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), colour::panel);
    QRect all = rect();
    QRect bar = all;
    if (scale_)
        bar.setRight(all.right() - kScaleWidth);
    const int top = bar.top() + kClipLamp + 2;
    const QRect well(bar.left(), top, bar.width(), bar.bottom() - top + 1);
    p.fillRect(well, QColor(0x0b, 0x0c, 0x0e));

    // The RMS bar in three zones: green to -18, yellow to -6, red above.
    const int yRms = yFor(rmsDb_, bar);
    const int yMid = yFor(-18.0f, bar);
    const int yHigh = yFor(-6.0f, bar);
    const int inner = well.width() - 6; // leave a gutter for the true-peak tick
    auto zone = [&](int from, int to, const QColor& c) {
        const int y0 = std::max(from, yRms);
        if (to > y0)
            p.fillRect(QRect(well.left() + 1, y0, inner, to - y0), c);
    };
    zone(yMid, well.bottom() + 1, colour::meterLow);
    zone(yHigh, yMid, colour::meterMid);
    zone(well.top(), yHigh, colour::meterHigh);

    // Sample peak: a bright line; the held peak: a thicker mark.
    const int yPeak = yFor(peakDb_, bar);
    const int yHeld = yFor(heldDb_, bar);
    if (peakDb_ > kFloorDb)
        p.fillRect(QRect(well.left() + 1, yPeak, inner, 1), QColor(0xff, 0xff, 0xff, 200));
    if (heldDb_ > kFloorDb)
        p.fillRect(QRect(well.left() + 1, yHeld - 1, inner, 3),
                   heldDb_ > -1.0f ? colour::meterHigh : colour::text);
    // True peak: a tick in the gutter.
    const int yTrue = yFor(truePeakDb_, bar);
    if (truePeakDb_ > kFloorDb)
        p.fillRect(QRect(well.right() - 4, yTrue - 1, 4, 3),
                   truePeakDb_ > -1.0f ? colour::meterHigh : colour::accent);

    // Clip lamp.
    p.fillRect(QRect(bar.left(), bar.top(), bar.width(), kClipLamp),
               clipped_ ? colour::alarm : QColor(0x3a, 0x1a, 0x1a));

    if (scale_) {
        QFont f = font();
        f.setPointSizeF(7.5);
        p.setFont(f);
        p.setPen(colour::textDim);
        for (const float db : {0.0f, -6.0f, -12.0f, -18.0f, -24.0f, -36.0f, -48.0f}) {
            const int y = yFor(db, bar);
            p.drawLine(bar.right() + 2, y, bar.right() + 5, y);
            p.drawText(QRect(bar.right() + 6, y - 7, kScaleWidth - 6, 14),
                       Qt::AlignLeft | Qt::AlignVCenter, QString::number(static_cast<int>(db)));
        }
    }
    painted_[0] = yRms;
    painted_[1] = yPeak;
    painted_[2] = yHeld;
    painted_[3] = yTrue;
}

} // namespace dragoman::widgets

// A vertical level meter in dBFS: RMS as the bar, the sample peak as a bright line with a peak
// hold that stays for holdMs and then falls, the true peak as a tick beside the bar, a clip
// lamp at the top (vertical), or the same lying down with the lamp at the right end
// (horizontal: the compact channel rows). Painted as vectors in device pixels, so it stays
// sharp at any device pixel ratio. Values come from a poll (the console's 30 Hz timer reading
// core::MeterBank); the meter repaints only when what it shows has moved.
//
// Thread contract: the GUI thread.
#pragma once

#include <QElapsedTimer>
#include <QWidget>

namespace dragoman::widgets {

class LevelMeter : public QWidget {
    Q_OBJECT

public:
    static constexpr float kFloorDb = -60.0f; // the bottom of the scale
    static constexpr float kTopDb = 3.0f;

    explicit LevelMeter(QWidget* parent = nullptr);

    void setLevels(float peakDb, float truePeakDb, float rmsDb);
    void setClipped(bool clipped);
    void setScaleVisible(bool visible); // vertical meters only
    void setOrientation(Qt::Orientation orientation);
    Qt::Orientation orientation() const { return orientation_; }
    void setHoldMs(int ms) { holdMs_ = ms; }

    float peakDb() const { return peakDb_; }
    float truePeakDb() const { return truePeakDb_; }
    float rmsDb() const { return rmsDb_; }
    float heldPeakDb() const { return heldDb_; }
    bool clipped() const { return clipped_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    float fraction(float db) const; // 0 at kFloorDb, 1 at kTopDb
    // Where `db` lies along the meter's well, in logical pixels from its floor end, snapped to
    // device pixels.
    double along(float db) const;
    double length() const; // the well's length in logical pixels
    int deviceRow(float db) const { return static_cast<int>(along(db) * devicePixelRatioF()); }

    float peakDb_ = kFloorDb;
    float truePeakDb_ = kFloorDb;
    float rmsDb_ = kFloorDb;
    float heldDb_ = kFloorDb;
    bool clipped_ = false;
    bool scale_ = false;
    int holdMs_ = 2000;
    Qt::Orientation orientation_ = Qt::Vertical;
    QElapsedTimer heldSince_;
    QElapsedTimer lastFall_;
    int painted_[4] = {-1, -1, -1, -1}; // pixel rows last painted: rms, peak, held, true peak
};

} // namespace dragoman::widgets

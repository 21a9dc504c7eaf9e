// The booth map: every booth with its interlock mode and auto-relay, every desk as a tile
// coloured idle / live on A / live on B-C / refused-engaged, with what it listens to (and that
// channel's quality tag) and its hearing-protection limiter at work. Clicking a desk opens its
// panel.
//
// A refusal is seen through the controller's answers (whoever sent the command: this console,
// the HTTP API, a MIDI surface) and shown on the refused desk for kEngagedMs.
//
// Thread contract: the GUI thread; refresh() from the console's meter timer.
#pragma once

#include "console/Labels.h"
#include "control/EngineController.h"
#include "core/MeterBank.h"
#include "core/RoutingState.h"

#include <QAbstractButton>
#include <QElapsedTimer>
#include <QWidget>
#include <vector>

class QLabel;

namespace dragoman::console {

// One desk on the map.
class DeskTile : public QAbstractButton {
    Q_OBJECT

public:
    DeskTile(const QString& id, QWidget* parent = nullptr);

    struct View {
        DeskLook look = DeskLook::Idle;
        QString out;     // "A · en" when live
        QString hearing; // "floor", "en"
        QString tag;     // the heard channel's tag
        QString holder;  // who holds the channel, when engaged
        float gainReductionDb = 0.0f;
        bool limiterWarning = false;
        bool cough = false;
        bool autoRelay = false; // hears the pivot booth instead of the floor it selected
        bool operator==(const View&) const = default;
    };
    void setView(const View& view);
    const View& view() const { return view_; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString id_;
    View view_;
};

class BoothMap : public QWidget {
    Q_OBJECT

public:
    static constexpr int kEngagedMs = 3000;
    static constexpr int kBoothsPerRow = 2;

    explicit BoothMap(control::EngineController& controller, QWidget* parent = nullptr);

    void refresh(const core::RoutingState& routing, const core::MeterBank& meters);

    DeskTile* tile(int desk) const { return tiles_.at(static_cast<std::size_t>(desk)); }
    int deskCount() const { return static_cast<int>(tiles_.size()); }

Q_SIGNALS:
    void deskOpened(int desk);

private:
    void onAnswer(const control::CommandAnswer& answer);

    control::EngineController& controller_;
    std::vector<DeskTile*> tiles_;
    std::vector<QLabel*> boothModes_;
    struct Refusal {
        int holder = -1;
        QElapsedTimer since;
        bool active = false;
    };
    std::vector<Refusal> refusals_;
};

} // namespace dragoman::console

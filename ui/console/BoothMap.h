// The booth map: every booth with its interlock mode and auto-relay, every desk as a tile
// coloured idle / live on A / live on B-C / refused-engaged, with what it listens to (and that
// channel's quality tag) and its hearing-protection limiter at work. Clicking a desk opens its
// panel. A desk with a booth tablet connected (its desk page) shows a tablet mark.
//
// Two forms, chosen by the technician's view for the space it has: full tiles (the desk's id,
// state, what it hears and its limiter bar) or compact cells (a small square per desk in its
// state's colour with a letter: the desk number when idle, A / B / C when live, ✕ when
// refused; the rest in the tooltip), so that the 186 desks of the largest venue fit on one
// screen. The booths reflow in a grid as wide as the map (widgets::FlowLayout).
//
// A refusal is seen through the controller's answers (whoever sent the command: this console,
// the HTTP API, a MIDI surface) and shown on the refused desk for kEngagedMs.
//
// Thread contract: the GUI thread; refresh() from the console's meter timer.
#pragma once

#include "console/Labels.h"
#include "control/Controller.h"
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
        int panels = 0;         // booth tablets (desk pages) connected to this desk
        bool operator==(const View&) const = default;
    };
    void setView(const View& view);
    const View& view() const { return view_; }
    void setCompact(bool compact);
    bool compact() const { return compact_; }
    // The letter a compact cell shows: "1".."6" idle, "A"/"B"/"C" live, "✕" refused.
    QString cellText() const;

    static constexpr int kCellWidth = 28;
    static constexpr int kCellHeight = 26;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void updateToolTip();
    QString id_;
    View view_;
    bool compact_ = false;
};

class BoothBlock; // one booth: its name, mode and desks (BoothMap.cpp)

class BoothMap : public QWidget {
    Q_OBJECT

public:
    static constexpr int kEngagedMs = 3000;

    explicit BoothMap(control::Controller& controller, QWidget* parent = nullptr);

    // `panels`: booth tablets connected per desk (empty: none).
    void refresh(const core::RoutingState& routing, const core::MeterBank& meters,
                 const std::vector<int>& panels = {});

    void setCompact(bool compact);
    bool compact() const { return compact_; }
    // The height the map needs at `width` in its current form.
    int heightFor(int width) const;
    // The booths' blocks (for tests: where each booth lies on screen).
    QWidget* boothBlock(int booth) const;
    int boothCount() const { return static_cast<int>(blocks_.size()); }

    DeskTile* tile(int desk) const { return tiles_.at(static_cast<std::size_t>(desk)); }
    int deskCount() const { return static_cast<int>(tiles_.size()); }

Q_SIGNALS:
    void deskOpened(int desk);

private:
    void onAnswer(const control::CommandAnswer& answer);

    control::Controller& controller_;
    std::vector<DeskTile*> tiles_;
    std::vector<QLabel*> boothModes_;
    std::vector<BoothBlock*> blocks_;
    bool compact_ = false;
    struct Refusal {
        int holder = -1;
        QElapsedTimer since;
        bool active = false;
    };
    std::vector<Refusal> refusals_;
};

} // namespace dragoman::console

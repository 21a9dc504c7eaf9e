// The console's main window: the technician's view, the desk panels it opens (from the booth
// map, the Desks menu or `dragoman --desk ID`), the 30 Hz refresh that reads the engine's
// lock-free snapshots (meters, the routing state through the controller) and the device
// status, and the settings that persist (window layout, open desk panels) with QSettings.
//
// Nothing here can stall the audio thread: the UI only reads relaxed atomics and the routing
// snapshot, and sends commands through the control::Controller.
//
// Thread contract: the GUI thread.
#pragma once

#include "console/ConsoleSources.h"
#include "console/DeskPanel.h"
#include "console/DoorSign.h"
#include "console/SessionEvents.h"
#include "console/TechnicianView.h"

#include <QMainWindow>
#include <QTimer>
#include <map>

namespace dragoman::console {

class DeskPairingDialog;

class ConsoleWindow : public QMainWindow {
    Q_OBJECT

public:
    static constexpr int kRefreshMs = 30; // about 33 Hz

    explicit ConsoleWindow(ConsoleSources sources, QWidget* parent = nullptr);
    ~ConsoleWindow() override;

    TechnicianView* view() const { return view_; }
    SessionEvents* events() const { return events_; }
    // Opens (or raises) a desk's panel as its own window.
    DeskPanel* openDesk(int desk);
    DeskPanel* deskPanel(int desk) const;

    // One refresh now (the timer calls it every kRefreshMs).
    void refresh();
    int refreshCount() const { return refreshes_; }
    // Stops (true) or restarts the refresh timer: a remote console holds its last picture while
    // its router is out of reach (no alarms from meters that are not coming).
    void setFrozen(bool frozen);

    // Writes the channels' current auto-floor settings into the venue file as its defaults.
    bool saveAutoFloorDefaults(QString* error = nullptr);

    // The dialog that pairs a booth's tablet with `desk` (null without desk pairing).
    DeskPairingDialog* pairTablet(int desk);

    // The door sign of this venue (the Listeners menu saves it as a PDF).
    DoorSign doorSign() const;

    // Keeps the window inside the available area of the screen it is on (a geometry saved on a
    // larger screen is shrunk and moved in). Called after the settings are restored.
    void fitToScreen();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void buildMenus();
    void buildListenersMenu();
    void showListenersPage();
    void restoreSettings();
    void saveSettings() const;

    ConsoleSources sources_;
    TechnicianView* view_ = nullptr;
    SessionEvents* events_ = nullptr;
    std::map<int, DeskPanel*> desks_;
    QTimer timer_;
    int refreshes_ = 0;
};

} // namespace dragoman::console

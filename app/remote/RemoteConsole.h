// `dragoman --router URL [--desk ID]`: the console's own windows (the technician's window, or
// one desk's panel) on another computer, fed by the router's control WebSocket through a
// RemoteController. No engine, no audio device and no server runs here.
//
// The windows are built once the first hello (the venue) and state have arrived. When the link
// drops they grey out at once under a red banner that says so, the meters fall silent, and the
// technician's event log records it; when the router answers again (a try every second) the
// banner goes and the windows show the router's state as it is now.
//
// Thread contract: the GUI thread.
#pragma once

#include "console/ConsoleWindow.h"
#include "remote/RemoteController.h"

#include <QApplication>
#include <QObject>
#include <QString>
#include <memory>
#include <vector>

namespace dragoman::remote {

class LinkBanner;

class RemoteConsole : public QObject {
    Q_OBJECT

public:
    // `settings.panel`: the desk whose panel opens (instead of the technician's window); a desk
    // token's desk opens its panel even when it is not given.
    explicit RemoteConsole(RemoteSettings settings, QObject* parent = nullptr);
    ~RemoteConsole() override;

    // Connects; the windows open with the first state.
    void start();

    RemoteController& controller() { return *controller_; }
    // Null until the first state.
    console::ConsoleWindow* window() const { return window_.get(); }
    // The desk panel this console was opened on (null: the technician's window).
    console::DeskPanel* deskPanel() const { return panel_; }
    // The window is marked disconnected (greyed, under the banner).
    bool showsDown() const { return showsDown_; }
    QString bannerText() const;

Q_SIGNALS:
    void opened();                    // the windows are built and shown
    void refused(const QString& why); // the router will not have this console

private:
    void build();
    void onLink(bool up);
    LinkBanner* bannerFor(QWidget* host);

    RemoteSettings settings_;
    std::unique_ptr<RemoteController> controller_;
    std::unique_ptr<console::ConsoleWindow> window_;
    console::DeskPanel* panel_ = nullptr;
    std::vector<std::pair<QWidget*, LinkBanner*>> banners_;
    bool showsDown_ = false;
};

// What `dragoman --router` was given: the address, the desk (may be empty) and the token file
// (empty: the token comes from DRAGOMAN_TOKEN).
struct RemoteCommandLine {
    QString router;
    QString desk;
    QString tokenFile;
    QString fingerprint; // --fingerprint: the router's certificate, for https://
};

// Runs the remote console until its last window closes; returns the exit status (2 for a bad
// address, no token, or a router that refuses it).
int runRemoteConsole(QApplication& app, const RemoteCommandLine& commandLine);

} // namespace dragoman::remote

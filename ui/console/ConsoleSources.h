// What the console reads and drives: the one control::Controller (every control goes through
// its commands, the same ones the HTTP API and MIDI surfaces use: the router's EngineController
// in `dragoman`, a remote::RemoteController in `dragoman --router URL`), the device's status,
// listener counts, the channels' loudness and the MIDI surfaces. The router (or the remote
// console) provides them; tests provide their own.
//
// Thread contract: the functions are called on the GUI thread; the objects outlive the console.
#pragma once

#include "control/Controller.h"
#include "device/DeviceStatus.h"
#include "loudness/LoudnessMeter.h"

#include <QString>
#include <QUrl>
#include <filesystem>
#include <functional>
#include <vector>

namespace dragoman::midi {
class MidiLearn;
class MidiSurfaces;
} // namespace dragoman::midi

namespace dragoman::console {

// A service beside the engine (the WebRTC server) as one line of the device panel.
struct ServiceLine {
    QString text;        // e.g. "running · Janus 4242 · 3 listeners"
    bool healthy = true; // false: shown as an alarm
};

struct ConsoleSources {
    control::Controller* controller = nullptr;         // required
    std::function<device::DeviceStatus()> device;      // empty: "no device information"
    std::function<int(int channel)> listeners;         // empty: no counts shown
    std::function<ServiceLine()> webrtc;               // empty: WebRTC "off"
    const loudness::LoudnessMeter* loudness = nullptr; // null: no loudness shown
    std::filesystem::path venueFile;                   // where venue edits are saved ("" = none)
    QUrl listenersPage; // the listeners' page on the venue network (empty: no Listeners menu)
    // The desk page's link with a desk's token, and revoking that token (empty: no pairing).
    std::function<QUrl(int desk)> deskPairing;
    std::function<bool(int desk, QString* error)> revokeDesk;
    // Presence: booth tablets (desk pages) connected to each desk, by flat desk index (empty:
    // not shown).
    std::function<std::vector<int>()> panels;
    midi::MidiSurfaces* midi = nullptr;   // null: no MIDI panel
    midi::MidiLearn* midiLearn = nullptr; // null: learn mode off (no learn file)
};

} // namespace dragoman::console

// MIDI control surfaces: every MIDI port a mapping applies to, read and lit on the control
// thread.
//
//   RtMidi input ports (hot-plugged) ─┐                 ┌─► EngineController::submit
//   dragoman-midi:in (JACK) ──────────┴► MidiInbox ─► dispatch (bindings, pick-up, learn)
//   RtMidi output ports ◄─┐                                  │
//   dragoman-midi:out ◄───┴── feedback (LEDs, motor faders) ◄┴ routingChanged, blink timer
//
// Hot-plug: the port lists are scanned every second; a port that appears (is there for two
// scans and is not connected to Dragoman's virtual input) and that a mapping applies to becomes
// a surface (with the
// output port of the same device for feedback, when there is one), a port that disappears is
// released. Which mappings apply to a port (first binding of a control wins): every mapping without
// "ports" and not "fallback" (user and learnt files), then every mapping whose "ports" name the
// port, then, only if none of those did, the fallback mappings (the generic default).
//
// Feedback never loops: a LED or fader is sent a value only when the state's value differs
// from what the device is known to show (last sent or last received), and a motor fader that
// reports the position feedback moved it to changes nothing (counted as an echo). Keys are
// never filtered: a press that looks like the LED message just sent is still a press. A fader
// or knob whose position is not the current
// value does nothing until it reaches (or crosses) it: pick-up, or soft takeover. A fader with
// "feedback" (motorised, or an LED ring) is moved to every change made elsewhere instead.
//
// Thread contract: control thread (the EngineController's); the MIDI threads only touch the
// InboxSources (MidiInbox.h).
#pragma once

#include "control/EngineController.h"
#include "core/Command.h"
#include "midi/Mapping.h"
#include "midi/MidiInbox.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

class RtMidiOut;

namespace dragoman::midi {

struct SurfacesOptions {
    std::string clientName = "dragoman-midi"; // JACK client of the virtual ports; RtMidi's too
    bool alsa = false;                        // RtMidi's ALSA sequencer API instead of JACK
    bool virtualPorts = true;  // open <clientName>:in and <clientName>:out (JACK only)
    int scanIntervalMs = 1000; // hot-plug
    int blinkIntervalMs = 250; // LEDs Dragoman blinks itself (engaged)
    int touchMs = 300;         // a fader moved this recently is not moved by feedback
};

// A connected surface, for the console and GET /api/state.
struct SurfaceInfo {
    std::string input;                 // the port it reads: "nanoKONTROL2:out", "dragoman-midi:in"
    std::string output;                // where its feedback goes, "" = nowhere
    std::vector<std::string> mappings; // names of the mappings in use, first wins
    bool isVirtual = false;            // Dragoman's own JACK ports
    std::uint64_t messages = 0;        // channel messages received
    std::uint64_t commands = 0;        // commands submitted
    std::uint64_t unbound = 0;         // messages no binding takes
    std::uint64_t waitingPickUp = 0;   // fader moves ignored until the fader reaches the value
    std::uint64_t echoes = 0;          // motor faders reporting where feedback moved them
    std::uint64_t dropped = 0;         // bad MIDI (parser) and queue overflows
    std::uint64_t sent = 0;            // feedback messages sent
};

class MidiSurfaces : public QObject {
    Q_OBJECT

public:
    // Called with every control moved while learning; return true to take it (it then does
    // nothing else). `message` is what the control sent.
    using LearnHook = std::function<bool(const Control& control, const MidiMessage& message,
                                         const std::string& surface)>;

    MidiSurfaces(control::EngineController& controller, std::vector<Mapping> mappings,
                 SurfacesOptions options = {}, QObject* parent = nullptr);
    ~MidiSurfaces() override;
    MidiSurfaces(const MidiSurfaces&) = delete;
    MidiSurfaces& operator=(const MidiSurfaces&) = delete;

    // Opens the virtual ports (when asked and JACK runs), scans the ports and starts the
    // timers. Returns the problems met (e.g. "no JACK server yet"); none of them is fatal:
    // without a JACK server, or when it goes away, everything opens again once one runs.
    std::vector<std::string> start();

    // Looks for ports that appeared or disappeared now (the timer does it every second).
    void scan();

    std::vector<SurfaceInfo> surfaces() const;
    const std::vector<Mapping>& mappings() const { return mappings_; }
    // Replaces the mappings (after learning); every surface is rebound and its LEDs refreshed.
    void setMappings(std::vector<Mapping> mappings);
    void setLearnHook(LearnHook hook) { learnHook_ = std::move(hook); }
    const venue::Venue& venue() const { return controller_.venue(); }

    // Ports the port lists show (for a console's list of what could be connected).
    std::vector<std::string> availableInputs();
    std::string virtualInput() const;  // "dragoman-midi:in", "" = not open
    std::string virtualOutput() const; // "dragoman-midi:out"

Q_SIGNALS:
    void surfacesChanged();
    // A MIDI message turned into a command; `receivedNs` is when the message reached
    // Dragoman's MIDI thread (steady clock), for latency figures.
    void commandSubmitted(const dragoman::core::Command& command, qint64 receivedNs);

private:
    struct Surface;

    void drain();
    void handle(Surface& surface, const MidiEvent& event);
    void dispatch(Surface& surface, std::size_t binding, const MidiMessage& message,
                  std::int64_t receivedNs);
    void submit(Surface& surface, std::size_t binding, const core::Command& command,
                std::int64_t receivedNs);
    void feedback();
    void feedback(Surface& surface);
    void send(Surface& surface, const MidiMessage& message);
    void bind(Surface& surface);
    std::unique_ptr<Surface> open(const std::string& input);
    void findOutput(Surface& surface, const std::vector<std::string>& destinations);
    std::vector<std::string> listPorts(bool sources);
    std::vector<std::string> openPorts();
    bool ours(const std::string& port) const;
    void retire(std::unique_ptr<RtMidiOut> out);
    void bury(bool all);

    control::EngineController& controller_;
    std::vector<Mapping> mappings_;
    SurfacesOptions options_;
    Wakeup wakeup_;
    std::unique_ptr<QSocketNotifier> notifier_;
    QTimer scanTimer_;
    QTimer blinkTimer_;
    QTimer drainTimer_; // a slow safety net behind the wake-up descriptor
    QElapsedTimer clock_;
    bool blinkOn_ = false;
    LearnHook learnHook_;
    struct Virtual;
    std::unique_ptr<Virtual> virtual_;
    struct Probes;
    std::unique_ptr<Probes> probes_;
    std::vector<std::unique_ptr<Surface>> surfaces_;
    std::uint64_t lastId_ = 0; // surfaces are told apart by id in answer callbacks
    bool waitingForJack_ = false;
    std::set<std::string> appeared_; // ports seen by the last scan, opened if still there
    // Feedback outputs whose port is closed, deleted a JACK cycle or more later (retire()).
    std::vector<std::pair<qint64, std::unique_ptr<RtMidiOut>>> retired_;
};

} // namespace dragoman::midi

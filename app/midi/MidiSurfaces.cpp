// MidiSurfaces: the timers, the hand-over from the MIDI threads and the surfaces list. Port
// scanning and hot-plug are in SurfacePorts.cpp, binding resolution and dispatch in
// SurfaceBindings.cpp, feedback in SurfaceFeedback.cpp.
#include "midi/MidiSurfaces.h"

#include "midi/Surface.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace dragoman::midi {

MidiSurfaces::MidiSurfaces(control::EngineController& controller, std::vector<Mapping> mappings,
                           SurfacesOptions options, QObject* parent)
    : QObject(parent)
    , controller_(controller)
    , mappings_(std::move(mappings))
    , options_(std::move(options))
    , probes_(std::make_unique<Probes>()) {
    qRegisterMetaType<core::Command>("dragoman::core::Command");
    clock_.start();
    if (wakeup_.valid()) {
        notifier_ = std::make_unique<QSocketNotifier>(wakeup_.fd(), QSocketNotifier::Read);
        connect(notifier_.get(), &QSocketNotifier::activated, this, &MidiSurfaces::drain);
    }
    drainTimer_.setInterval(100);
    connect(&drainTimer_, &QTimer::timeout, this, &MidiSurfaces::drain);
    scanTimer_.setInterval(std::max(50, options_.scanIntervalMs));
    connect(&scanTimer_, &QTimer::timeout, this, &MidiSurfaces::scan);
    blinkTimer_.setInterval(std::max(50, options_.blinkIntervalMs));
    connect(&blinkTimer_, &QTimer::timeout, this, [this] {
        blinkOn_ = !blinkOn_;
        feedback();
    });
    connect(&controller_, &control::EngineController::routingChanged, this, [this] { feedback(); });
}

MidiSurfaces::~MidiSurfaces() {
    // RtMidi clients first, while the inboxes they feed still exist.
    for (auto& s : surfaces_)
        retire(std::move(s->out));
    surfaces_.clear();
    bury(true);
    virtual_.reset();
}

// RtMidi's JACK output (5.0) frees its ring buffer before it closes its JACK client, so a
// process cycle under way while it is destroyed can read freed memory. Its port is closed
// here (a cycle that starts afterwards returns at once) and the object deleted only once a
// cycle has certainly gone by: at a later scan, or after a wait in the destructor.
void MidiSurfaces::retire(std::unique_ptr<RtMidiOut> out) {
    if (!out)
        return;
    out->closePort();
    retired_.emplace_back(clock_.elapsed(), std::move(out));
}

void MidiSurfaces::bury(bool all) {
    constexpr qint64 kCycleMs = 100; // longer than any JACK period (8192 frames at 96 kHz: 85 ms)
    if (all && !retired_.empty()) {
        const qint64 wait = retired_.back().first + kCycleMs - clock_.elapsed();
        if (wait > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    }
    const qint64 before = clock_.elapsed() - kCycleMs;
    retired_.erase(std::remove_if(retired_.begin(), retired_.end(),
                                  [&](const auto& r) { return all || r.first <= before; }),
                   retired_.end());
}

std::vector<std::string> MidiSurfaces::start() {
    auto problems = openPorts();
    scanTimer_.start();
    blinkTimer_.start();
    drainTimer_.start();
    return problems;
}

void MidiSurfaces::setMappings(std::vector<Mapping> mappings) {
    mappings_ = std::move(mappings);
    for (auto& s : surfaces_)
        bind(*s);
    feedback();
    Q_EMIT surfacesChanged();
}

std::vector<SurfaceInfo> MidiSurfaces::surfaces() const {
    std::vector<SurfaceInfo> list;
    for (const auto& s : surfaces_) {
        SurfaceInfo info;
        info.input = s->input;
        info.output = s->output;
        info.mappings = s->mappingNames;
        info.isVirtual = s->isVirtual;
        info.messages = s->messages;
        info.commands = s->commands;
        info.unbound = s->unbound;
        info.waitingPickUp = s->waitingPickUp;
        info.echoes = s->echoes;
        info.sent = s->sent;
        const InboxSource* inbox =
            s->isVirtual && virtual_ ? virtual_->inbox.get() : s->inbox.get();
        if (inbox != nullptr)
            info.dropped = inbox->parserCounters().dropped() + inbox->overflows();
        list.push_back(std::move(info));
    }
    return list;
}

void MidiSurfaces::drain() {
    wakeup_.rearm();
    MidiEvent event;
    for (std::size_t i = 0; i < surfaces_.size(); ++i) {
        Surface* s = surfaces_[i].get();
        InboxSource* inbox = s->isVirtual && virtual_ ? virtual_->inbox.get() : s->inbox.get();
        if (inbox == nullptr)
            continue;
        // Bounded, so a flood on one port cannot starve the event loop.
        for (int budget = 4096; budget > 0 && inbox->next(event); --budget) {
            handle(*s, event);
            if (i >= surfaces_.size() || surfaces_[i].get() != s)
                return; // a learn hook or a callback changed the surfaces
        }
    }
}

} // namespace dragoman::midi

#include "midi/MidiSurfaces.h"

#include "midi/JackVirtualPorts.h"

#include <RtMidi.h>
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <jack/jack.h>
#include <map>
#include <set>
#include <unistd.h>

namespace dragoman::midi {

namespace {

// Controller value <-> dB for levels: linear in dB from min (0) to max (127).
float levelDb(const Action& action, int value) {
    return action.minDb + (action.maxDb - action.minDb) * static_cast<float>(value) / 127.0f;
}

int levelValue(const Action& action, float db) {
    const float x = (db - action.minDb) / (action.maxDb - action.minDb) * 127.0f;
    return std::clamp(static_cast<int>(std::lround(x)), 0, 127);
}

// A port name without the words that only say its direction, for pairing a device's input
// with its output: "a2j:nanoKONTROL2 [20] (capture): nanoKONTROL2 MIDI 1" and its "(playback)"
// twin, "ctl:out" and "ctl:in".
std::vector<std::string> deviceWords(std::string port) {
    // JACK renames a client whose name is taken to "name-01": the same device.
    if (const auto colon = port.find(':');
        colon != std::string::npos && colon >= 3 && port[colon - 3] == '-' &&
        std::isdigit(static_cast<unsigned char>(port[colon - 2])) &&
        std::isdigit(static_cast<unsigned char>(port[colon - 1])))
        port.erase(colon - 3, 3);
    static const std::set<std::string> kDirection{"capture", "playback", "in",     "out",
                                                  "input",   "output",   "inputs", "outputs"};
    std::vector<std::string> words;
    std::string word;
    const auto flush = [&] {
        if (!word.empty() && kDirection.count(word) == 0)
            words.push_back(word);
        word.clear();
    };
    for (const char c : port) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0)
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else
            flush();
    }
    flush();
    return words;
}

void countError(RtMidiError::Type, const std::string&, void* counter) {
    static_cast<std::atomic<std::uint64_t>*>(counter)->fetch_add(1, std::memory_order_relaxed);
}

// RtMidi's input callback, on RtMidi's thread (JACK's process thread): hand the bytes over.
void onMidiInput(double, std::vector<unsigned char>* message, void* inbox) {
    if (message != nullptr && !message->empty())
        static_cast<InboxSource*>(inbox)->feed(message->data(), message->size());
}

// Whether a JACK server takes clients. Its socket is looked for first, so that asking every
// second while there is none does not fill the log with libjack's complaints.
bool jackRunning() {
    const char* server = std::getenv("JACK_DEFAULT_SERVER");
    const std::string socket = "/dev/shm/jack_" + std::string(server ? server : "default") + "_" +
                               std::to_string(::getuid()) + "_0";
    std::error_code error;
    if (!std::filesystem::exists(socket, error))
        return false;
    jack_status_t status{};
    // A name of this process's own: JACK client names collide across servers on one machine.
    const std::string name = "dragoman-probe-" + std::to_string(::getpid());
    jack_client_t* client = jack_client_open(name.c_str(), JackNoStartServer, &status);
    if (client == nullptr)
        return false;
    jack_client_close(client);
    return true;
}

} // namespace

struct MidiSurfaces::Surface {
    struct State {
        int devicePos = -1; // where the fader or knob is known to be (received or sent)
        bool pickedUp = false;
        int pending = 0;             // commands from this control not yet answered
        qint64 touchedMs = -1000000; // last moved by hand
        int led = -1;                // the LED value last sent
        bool moved = false;          // devicePos is where feedback moved it
    };

    std::uint64_t id = 0;
    std::string input;
    std::string output;
    bool isVirtual = false;
    std::unique_ptr<InboxSource> inbox; // declared before `in`: destroyed after it
    std::unique_ptr<RtMidiIn> in;
    std::unique_ptr<RtMidiOut> out;

    std::vector<std::string> mappingNames;
    std::vector<Binding> bindings;
    std::vector<LedValues> leds;
    std::map<int, std::vector<int>> preselect;
    std::map<Control, std::size_t> index;
    std::vector<State> state;

    std::uint64_t messages = 0;
    std::uint64_t commands = 0;
    std::uint64_t unbound = 0;
    std::uint64_t waitingPickUp = 0;
    std::uint64_t echoes = 0;
    std::uint64_t sent = 0;
};

struct MidiSurfaces::Virtual {
    std::unique_ptr<InboxSource> inbox;
    std::unique_ptr<JackVirtualPorts> ports;
};

struct MidiSurfaces::Probes {
    std::atomic<std::uint64_t> errors{0};
    std::unique_ptr<RtMidiIn> sources;
    std::unique_ptr<RtMidiOut> destinations;
};

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
    surfaces_.clear(); // RtMidi clients first, while the inboxes they feed still exist
    virtual_.reset();
}

std::vector<std::string> MidiSurfaces::start() {
    auto problems = openPorts();
    scanTimer_.start();
    blinkTimer_.start();
    drainTimer_.start();
    return problems;
}

std::vector<std::string> MidiSurfaces::openPorts() {
    std::vector<std::string> problems;
    if (!options_.alsa && !jackRunning()) {
        // Nothing to open until a JACK server runs; scan() looks for one every second.
        waitingForJack_ = true;
        problems.push_back("no JACK server yet: MIDI surfaces start when one runs");
        return problems;
    }
    if (options_.virtualPorts && !options_.alsa) {
        auto v = std::make_unique<Virtual>();
        v->inbox = std::make_unique<InboxSource>(wakeup_);
        try {
            v->ports = std::make_unique<JackVirtualPorts>(options_.clientName, *v->inbox);
            virtual_ = std::move(v);
            auto surface = std::make_unique<Surface>();
            surface->id = ++lastId_;
            surface->input = virtual_->ports->inName();
            surface->output = virtual_->ports->outName();
            surface->isVirtual = true;
            bind(*surface);
            surfaces_.push_back(std::move(surface));
        } catch (const std::exception& e) {
            problems.push_back(std::string("virtual MIDI ports: ") + e.what());
        }
    }
    try {
        const auto api = options_.alsa ? RtMidi::LINUX_ALSA : RtMidi::UNIX_JACK;
        probes_->sources = std::make_unique<RtMidiIn>(api, options_.clientName + "-port");
        probes_->sources->setErrorCallback(countError, &probes_->errors);
        probes_->destinations = std::make_unique<RtMidiOut>(api, options_.clientName + "-port");
        probes_->destinations->setErrorCallback(countError, &probes_->errors);
    } catch (const RtMidiError& e) {
        problems.push_back("MIDI ports: " + e.getMessage());
        probes_->sources.reset();
        probes_->destinations.reset();
    }
    scan();
    feedback();
    return problems;
}

bool MidiSurfaces::ours(const std::string& port) const {
    const auto client = port.substr(0, port.find(':'));
    return client == options_.clientName || client.rfind(options_.clientName + "-", 0) == 0;
}

std::vector<std::string> MidiSurfaces::listPorts(bool sources) {
    std::vector<std::string> names;
    try {
        if (sources && probes_->sources) {
            const unsigned count = probes_->sources->getPortCount();
            for (unsigned i = 0; i < count; ++i)
                names.push_back(probes_->sources->getPortName(i));
        } else if (!sources && probes_->destinations) {
            const unsigned count = probes_->destinations->getPortCount();
            for (unsigned i = 0; i < count; ++i)
                names.push_back(probes_->destinations->getPortName(i));
        }
    } catch (const RtMidiError&) {
        probes_->errors.fetch_add(1, std::memory_order_relaxed);
    }
    names.erase(std::remove_if(names.begin(), names.end(),
                               [&](const std::string& n) { return n.empty() || ours(n); }),
                names.end());
    return names;
}

std::vector<std::string> MidiSurfaces::availableInputs() {
    return listPorts(true);
}

std::string MidiSurfaces::virtualInput() const {
    return virtual_ ? virtual_->ports->inName() : std::string();
}

std::string MidiSurfaces::virtualOutput() const {
    return virtual_ ? virtual_->ports->outName() : std::string();
}

void MidiSurfaces::bind(Surface& surface) {
    std::vector<const Mapping*> chosen;
    for (const auto& m : mappings_)
        if (!m.fallback && m.ports.empty())
            chosen.push_back(&m);
    bool specific = false;
    for (const auto& m : mappings_)
        if (!m.ports.empty() && m.matchesPort(surface.input)) {
            chosen.push_back(&m);
            specific = true;
        }
    if (!specific)
        for (const auto& m : mappings_)
            if (m.fallback && m.matchesPort(surface.input))
                chosen.push_back(&m);

    surface.mappingNames.clear();
    surface.bindings.clear();
    surface.leds.clear();
    surface.preselect.clear();
    surface.index.clear();
    for (const Mapping* m : chosen) {
        surface.mappingNames.push_back(m->name);
        for (const auto& b : m->bindings) {
            if (surface.index.count(b.control) != 0)
                continue; // an earlier mapping binds this control
            surface.index[b.control] = surface.bindings.size();
            surface.bindings.push_back(b);
            surface.leds.push_back(m->leds);
        }
        for (const auto& [desk, channels] : m->preselect)
            surface.preselect.emplace(desk, channels);
    }
    surface.state.assign(surface.bindings.size(), Surface::State{});
}

std::unique_ptr<MidiSurfaces::Surface> MidiSurfaces::open(const std::string& input) {
    auto surface = std::make_unique<Surface>();
    surface->id = ++lastId_;
    surface->input = input;
    bind(*surface);
    if (surface->bindings.empty())
        return nullptr;
    surface->inbox = std::make_unique<InboxSource>(wakeup_);
    try {
        const auto api = options_.alsa ? RtMidi::LINUX_ALSA : RtMidi::UNIX_JACK;
        surface->in = std::make_unique<RtMidiIn>(api, options_.clientName + "-port");
        surface->in->setErrorCallback(countError, &probes_->errors);
        surface->in->ignoreTypes(false, false, false); // the parser judges every byte
        surface->in->setCallback(onMidiInput, surface->inbox.get());
        const unsigned count = surface->in->getPortCount();
        for (unsigned i = 0; i < count; ++i)
            if (surface->in->getPortName(i) == input) {
                surface->in->openPort(i, "in");
                break;
            }
        if (!surface->in->isPortOpen())
            return nullptr;
    } catch (const RtMidiError&) {
        probes_->errors.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    }
    return surface;
}

void MidiSurfaces::findOutput(Surface& surface, const std::vector<std::string>& destinations) {
    if (surface.isVirtual || surface.out)
        return;
    const auto words = deviceWords(surface.input);
    for (const auto& name : destinations) {
        if (deviceWords(name) != words)
            continue;
        try {
            const auto api = options_.alsa ? RtMidi::LINUX_ALSA : RtMidi::UNIX_JACK;
            auto out = std::make_unique<RtMidiOut>(api, options_.clientName + "-port");
            out->setErrorCallback(countError, &probes_->errors);
            const unsigned count = out->getPortCount();
            for (unsigned i = 0; i < count; ++i)
                if (out->getPortName(i) == name) {
                    out->openPort(i, "out");
                    break;
                }
            if (!out->isPortOpen())
                continue;
            surface.out = std::move(out);
            surface.output = name;
            for (auto& s : surface.state) { // a new output shows nothing yet: refresh it all
                s.led = -1;
                s.devicePos = -1;
            }
            return;
        } catch (const RtMidiError&) {
            probes_->errors.fetch_add(1, std::memory_order_relaxed);
        }
    }
}

void MidiSurfaces::scan() {
    if (virtual_ && virtual_->ports->lost()) {
        // The JACK server went away: every JACK client of ours is dead. Let them all go, and
        // open everything again once a server runs.
        surfaces_.clear();
        virtual_.reset();
        probes_->sources.reset();
        probes_->destinations.reset();
        waitingForJack_ = true;
        Q_EMIT surfacesChanged();
    }
    if (waitingForJack_) {
        if (!jackRunning())
            return;
        waitingForJack_ = false;
        openPorts();
        Q_EMIT surfacesChanged();
        return;
    }
    auto sources = listPorts(true);
    if (virtual_) { // a port connected to our virtual input is read through it already
        const auto connected = virtual_->ports->inConnections();
        sources.erase(std::remove_if(sources.begin(), sources.end(),
                                     [&](const std::string& n) {
                                         return std::find(connected.begin(), connected.end(), n) !=
                                                connected.end();
                                     }),
                      sources.end());
    }
    const auto destinations = listPorts(false);
    bool changed = false;
    const auto listed = [](const std::vector<std::string>& list, const std::string& name) {
        return std::find(list.begin(), list.end(), name) != list.end();
    };
    // Released: ports that disappeared.
    for (auto it = surfaces_.begin(); it != surfaces_.end();) {
        Surface& s = **it;
        if (!s.isVirtual && !listed(sources, s.input)) {
            drain(); // what it sent before it went
            it = surfaces_.erase(it);
            changed = true;
            continue;
        }
        if (!s.isVirtual && s.out && !listed(destinations, s.output)) {
            s.out.reset();
            s.output.clear();
            changed = true;
        }
        ++it;
    }
    // Picked up: ports that appeared, once they have been there for a whole scan (a program
    // that registers a port and then connects it to our virtual input is not opened twice).
    std::set<std::string> appeared;
    for (const auto& name : sources) {
        const bool known = std::any_of(surfaces_.begin(), surfaces_.end(),
                                       [&](const auto& s) { return s->input == name; });
        if (known)
            continue;
        if (appeared_.count(name) == 0) {
            appeared.insert(name);
            continue;
        }
        if (auto surface = open(name)) {
            surfaces_.push_back(std::move(surface));
            changed = true;
        }
    }
    appeared_ = std::move(appeared);
    for (auto& s : surfaces_) {
        const bool had = static_cast<bool>(s->out);
        findOutput(*s, destinations);
        changed = changed || had != static_cast<bool>(s->out);
    }
    if (changed) {
        feedback();
        Q_EMIT surfacesChanged();
    }
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

void MidiSurfaces::handle(Surface& surface, const MidiEvent& event) {
    const MidiMessage& m = event.message;
    ++surface.messages;
    Control control;
    if (m.type() == MidiMessage::Type::NoteOn || m.type() == MidiMessage::Type::NoteOff)
        control.type = Control::Type::Note;
    else if (m.isControlChange())
        control.type = Control::Type::Cc;
    else {
        ++surface.unbound;
        return;
    }
    control.channel = m.channel();
    control.number = m.data1;
    const bool press = control.type == Control::Type::Note ? m.isNoteOn() : m.data2 >= 64;
    if (learnHook_ && (press || control.type == Control::Type::Cc) &&
        learnHook_(control, m, surface.input))
        return;
    const auto found = surface.index.find(control);
    if (found == surface.index.end()) {
        ++surface.unbound;
        return;
    }
    dispatch(surface, found->second, m, event.receivedNs);
}

void MidiSurfaces::dispatch(Surface& surface, std::size_t i, const MidiMessage& m,
                            std::int64_t received) {
    const Binding& binding = surface.bindings[i];
    const Action& a = binding.action;
    auto& st = surface.state[i];
    const auto& routing = controller_.routing();
    const bool note = binding.control.type == Control::Type::Note;
    const bool press = note ? m.isNoteOn() : m.data2 >= 64;
    const bool release = note ? m.isNoteOff() : m.data2 < 64;
    const int value = m.data2;
    const auto desk = [&](int d) -> const core::DeskStatus& {
        return routing.desks[static_cast<std::size_t>(d)];
    };
    // A key control repeats its state on CC buttons that send 127 while held: act on changes.
    if (!a.continuous() && !note) {
        const bool held = value >= 64;
        if (st.devicePos >= 0 && (st.devicePos >= 64) == held)
            return;
        st.devicePos = value;
    }

    switch (a.kind) {
    case ActionKind::Slow:
    case ActionKind::Help:
        if (press)
            submit(surface, i,
                   core::Command::deskCall(a.desk, a.kind == ActionKind::Slow
                                                       ? core::DeskCall::Slow
                                                       : core::DeskCall::Help),
                   received);
        return;
    case ActionKind::Mic:
    case ActionKind::Cough: {
        const bool mic = a.kind == ActionKind::Mic;
        const bool current = mic ? desk(a.desk).mic : desk(a.desk).cough;
        bool target = current;
        if (a.mode == KeyMode::Toggle) {
            if (!press)
                return;
            target = !current;
        } else if (press) {
            target = true;
        } else if (release) {
            target = false;
        }
        submit(surface, i,
               mic ? core::Command::deskMic(a.desk, target)
                   : core::Command::deskCough(a.desk, target),
               received);
        return;
    }
    case ActionKind::Out: {
        if (!press)
            return;
        int slot = a.slot;
        if (slot < 0) { // the next slot the booth has, after the current one
            const auto& booth =
                venue().booths[static_cast<std::size_t>(venue().deskAddress(a.desk).booth)];
            const int current = static_cast<int>(desk(a.desk).out);
            for (int k = 1; k <= venue::kSlotCount; ++k) {
                const int candidate = (current + k) % venue::kSlotCount;
                if (booth.outgoing[static_cast<std::size_t>(candidate)] >= 0) {
                    slot = candidate;
                    break;
                }
            }
        }
        submit(surface, i, core::Command::deskOut(a.desk, static_cast<venue::Slot>(slot)),
               received);
        return;
    }
    case ActionKind::In: {
        int channel = a.channel;
        if (channel < 0) { // a knob: the channels share its travel
            const int count = static_cast<int>(venue().channels.size());
            channel = std::min(count - 1, value * count / 128);
            if (channel == desk(a.desk).in)
                return;
        } else if (!press) {
            return;
        }
        submit(surface, i, core::Command::deskIn(a.desk, channel), received);
        return;
    }
    case ActionKind::Preselect: {
        if (!press)
            return;
        const auto keys = surface.preselect.find(a.desk);
        if (keys == surface.preselect.end() || a.key >= static_cast<int>(keys->second.size())) {
            ++surface.unbound; // no channel stored for this key
            return;
        }
        submit(surface, i,
               core::Command::deskIn(a.desk, keys->second[static_cast<std::size_t>(a.key)]),
               received);
        return;
    }
    case ActionKind::AutoFloor:
        if (!press)
            return;
        submit(surface, i,
               core::Command::channelAutoFloor(
                   a.channel, !routing.channels[static_cast<std::size_t>(a.channel)].autoFloor),
               received);
        return;
    case ActionKind::Pfl:
        if (!press)
            return;
        submit(surface, i, core::Command::monitorSource(a.monitor, a.monitorIndex), received);
        return;
    case ActionKind::Volume:
    case ActionKind::ChannelTrim:
    case ActionKind::InputTrim: {
        const float currentDb = a.kind == ActionKind::Volume ? desk(a.desk).volumeDb
                                : a.kind == ActionKind::ChannelTrim
                                    ? routing.channels[static_cast<std::size_t>(a.channel)].trimDb
                                    : routing.inputTrimDb[static_cast<std::size_t>(a.input)];
        const int target = levelValue(a, currentDb);
        if (st.moved && value == st.devicePos) {
            ++surface.echoes; // a motor fader reporting where feedback just moved it
            return;
        }
        if (!st.pickedUp) {
            const bool near = std::abs(value - target) <= 1;
            const bool crossed = st.devicePos >= 0 && ((st.devicePos < target && value >= target) ||
                                                       (st.devicePos > target && value <= target));
            st.pickedUp = near || crossed;
        }
        st.devicePos = value;
        st.moved = false;
        st.touchedMs = clock_.elapsed();
        if (!st.pickedUp) {
            ++surface.waitingPickUp;
            return;
        }
        const float db = levelDb(a, value);
        if (db == currentDb && st.pending == 0)
            return;
        submit(surface, i,
               a.kind == ActionKind::Volume        ? core::Command::deskVolume(a.desk, db)
               : a.kind == ActionKind::ChannelTrim ? core::Command::channelTrim(a.channel, db)
                                                   : core::Command::inputTrim(a.input, db),
               received);
        return;
    }
    }
}

void MidiSurfaces::submit(Surface& surface, std::size_t binding, const core::Command& command,
                          std::int64_t receivedNs) {
    ++surface.state[binding].pending;
    ++surface.commands;
    const auto id = surface.id;
    controller_.submit(command, [this, id, binding](const control::CommandAnswer&) {
        for (auto& s : surfaces_)
            if (s->id == id && binding < s->state.size()) {
                s->state[binding].pending = std::max(0, s->state[binding].pending - 1);
                feedback(*s); // a refused key shows the state it did not change
            }
    });
    Q_EMIT commandSubmitted(command, static_cast<qint64>(receivedNs));
}

void MidiSurfaces::feedback() {
    for (auto& s : surfaces_)
        feedback(*s);
}

void MidiSurfaces::feedback(Surface& surface) {
    const bool canSend =
        surface.isVirtual ? static_cast<bool>(virtual_) : static_cast<bool>(surface.out);
    const auto& routing = controller_.routing();
    const qint64 now = clock_.elapsed();
    for (std::size_t i = 0; i < surface.bindings.size(); ++i) {
        const Binding& b = surface.bindings[i];
        const Action& a = b.action;
        auto& st = surface.state[i];
        const auto desk = [&](int d) -> const core::DeskStatus& {
            return routing.desks[static_cast<std::size_t>(d)];
        };
        if (a.continuous()) {
            if (a.kind == ActionKind::In)
                continue; // a channel knob has no position to show
            const float db = a.kind == ActionKind::Volume ? desk(a.desk).volumeDb
                             : a.kind == ActionKind::ChannelTrim
                                 ? routing.channels[static_cast<std::size_t>(a.channel)].trimDb
                                 : routing.inputTrimDb[static_cast<std::size_t>(a.input)];
            const int target = levelValue(a, db);
            if (st.pending > 0 || target == st.devicePos)
                continue;
            if (b.feedback && canSend) {
                if (now - st.touchedMs < options_.touchMs)
                    continue; // the hand is on it; move it once it lets go
                send(surface,
                     MidiMessage::controlChange(b.control.channel, b.control.number, target));
                st.devicePos = target;
                st.moved = true;
                st.pickedUp = true;
            } else if (st.devicePos >= 0) {
                st.pickedUp = false; // changed elsewhere: wait until the fader gets there
            }
            continue;
        }
        if (!b.feedback || !canSend)
            continue;
        // 1 = on, 0 = off, 2 = blink (engaged).
        int shown = 0;
        switch (a.kind) {
        case ActionKind::Mic: {
            const auto& d = desk(a.desk);
            if (d.mic)
                shown = 1;
            else if (d.outChannel >= 0) {
                const int holder =
                    routing.channels[static_cast<std::size_t>(d.outChannel)].sourceDesk;
                shown = holder >= 0 && holder != a.desk ? 2 : 0;
            }
            break;
        }
        case ActionKind::Cough:
            shown = desk(a.desk).cough ? 1 : 0;
            break;
        case ActionKind::Out:
            shown = a.slot < 0 ? (desk(a.desk).out != venue::Slot::A ? 1 : 0)
                               : (static_cast<int>(desk(a.desk).out) == a.slot ? 1 : 0);
            break;
        case ActionKind::In:
            shown = desk(a.desk).in == a.channel ? 1 : 0;
            break;
        case ActionKind::Preselect: {
            const auto keys = surface.preselect.find(a.desk);
            shown = keys != surface.preselect.end() &&
                            a.key < static_cast<int>(keys->second.size()) &&
                            keys->second[static_cast<std::size_t>(a.key)] == desk(a.desk).in
                        ? 1
                        : 0;
            break;
        }
        case ActionKind::AutoFloor:
            shown = routing.channels[static_cast<std::size_t>(a.channel)].autoFloor ? 1 : 0;
            break;
        case ActionKind::Pfl:
            shown = routing.monitor == a.monitor && routing.monitorIndex == a.monitorIndex ? 1 : 0;
            break;
        default:
            break;
        }
        const LedValues& leds = surface.leds[i];
        int value = shown == 1 ? leds.on : leds.off;
        if (shown == 2)
            value = leds.blink >= 0 ? leds.blink : (blinkOn_ ? leds.on : leds.off);
        if (value == st.led)
            continue;
        st.led = value;
        const int number = b.led >= 0 ? b.led : b.control.number;
        send(surface, b.control.type == Control::Type::Note
                          ? MidiMessage::noteOn(b.control.channel, number, value)
                          : MidiMessage::controlChange(b.control.channel, number, value));
    }
}

void MidiSurfaces::send(Surface& surface, const MidiMessage& message) {
    bool sent = false;
    if (surface.isVirtual) {
        sent = virtual_ && virtual_->ports->send(message);
    } else if (surface.out) {
        const unsigned char bytes[3] = {message.status, message.data1, message.data2};
        try {
            surface.out->sendMessage(bytes, static_cast<std::size_t>(message.size()));
            sent = true;
        } catch (const RtMidiError&) {
            probes_->errors.fetch_add(1, std::memory_order_relaxed);
        }
    }
    if (sent)
        ++surface.sent;
}

} // namespace dragoman::midi

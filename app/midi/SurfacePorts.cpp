// MidiSurfaces's ports: opening Dragoman's own JACK ports and RtMidi's probes, listing the
// ports, and hot-plug (scan(): surfaces for ports that appeared, released for ports that went,
// feedback outputs paired with their inputs by device name).
#include "midi/MidiSurfaces.h"
#include "midi/Surface.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <jack/jack.h>
#include <set>
#include <unistd.h>

namespace dragoman::midi {

namespace {

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
    bury(false);
    if (virtual_ && virtual_->ports->lost()) {
        // The JACK server went away: every JACK client of ours is dead. Let them all go, and
        // open everything again once a server runs.
        for (auto& surface : surfaces_)
            retire(std::move(surface->out));
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
            retire(std::move(s.out));
            it = surfaces_.erase(it);
            changed = true;
            continue;
        }
        if (!s.isVirtual && s.out && !listed(destinations, s.output)) {
            retire(std::move(s.out));
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

} // namespace dragoman::midi

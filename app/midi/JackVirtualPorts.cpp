#include "midi/JackVirtualPorts.h"

#include <jack/jack.h>
#include <jack/midiport.h>
#include <stdexcept>

namespace dragoman::midi {

JackVirtualPorts::JackVirtualPorts(const std::string& clientName, InboxSource& inbox)
    : inbox_(inbox)
    , outgoing_(1024) {
    jack_status_t status{};
    client_ = jack_client_open(clientName.c_str(),
                               static_cast<jack_options_t>(JackNoStartServer | JackUseExactName),
                               &status);
    if (client_ == nullptr)
        throw std::runtime_error((status & JackNameNotUnique) != 0
                                     ? "JACK client name " + clientName + " is taken"
                                     : "no JACK server to open " + clientName + " on");
    in_ = jack_port_register(client_, "in", JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
    out_ = jack_port_register(client_, "out", JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
    if (in_ == nullptr || out_ == nullptr ||
        jack_set_process_callback(client_, process, this) != 0) {
        jack_client_close(client_);
        throw std::runtime_error("cannot register the MIDI ports of " + clientName);
    }
    jack_on_shutdown(client_, shutdown, this);
    if (jack_activate(client_) != 0) {
        jack_client_close(client_);
        throw std::runtime_error("cannot activate JACK client " + clientName);
    }
}

JackVirtualPorts::~JackVirtualPorts() {
    if (client_ != nullptr) {
        if (!lost())
            jack_deactivate(client_);
        jack_client_close(client_);
    }
}

std::vector<std::string> JackVirtualPorts::inConnections() const {
    std::vector<std::string> names;
    if (lost())
        return names;
    if (const char** ports = jack_port_get_all_connections(client_, in_)) {
        for (const char** p = ports; *p != nullptr; ++p)
            names.emplace_back(*p);
        jack_free(ports);
    }
    return names;
}

std::string JackVirtualPorts::inName() const {
    return jack_port_name(in_);
}

std::string JackVirtualPorts::outName() const {
    return jack_port_name(out_);
}

bool JackVirtualPorts::send(const MidiMessage& message) {
    if (outgoing_.try_enqueue(message))
        return true;
    sendDropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
}

int JackVirtualPorts::process(std::uint32_t frames, void* self) {
    auto& ports = *static_cast<JackVirtualPorts*>(self);
    void* in = jack_port_get_buffer(ports.in_, frames);
    const std::uint32_t count = jack_midi_get_event_count(in);
    for (std::uint32_t i = 0; i < count; ++i) {
        jack_midi_event_t event;
        if (jack_midi_event_get(&event, in, i) == 0)
            ports.inbox_.feed(event.buffer, event.size);
    }
    void* out = jack_port_get_buffer(ports.out_, frames);
    jack_midi_clear_buffer(out);
    MidiMessage message;
    while (ports.outgoing_.peek() != nullptr) {
        message = *ports.outgoing_.peek();
        const std::uint8_t bytes[3] = {message.status, message.data1, message.data2};
        if (jack_midi_event_write(out, 0, bytes, static_cast<std::size_t>(message.size())) != 0)
            break; // the buffer is full: the rest goes in the next cycle
        ports.outgoing_.pop();
    }
    return 0;
}

void JackVirtualPorts::shutdown(void* self) {
    static_cast<JackVirtualPorts*>(self)->lost_.store(true, std::memory_order_relaxed);
}

} // namespace dragoman::midi

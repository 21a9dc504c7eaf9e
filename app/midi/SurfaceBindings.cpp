// MidiSurfaces's bindings: which mappings apply to a surface (first binding of a control
// wins), and what a message from a bound control does (keys, faders with pick-up, learn).
#include "midi/MidiSurfaces.h"
#include "midi/Surface.h"

#include <algorithm>
#include <cstdlib>

namespace dragoman::midi {

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

} // namespace dragoman::midi

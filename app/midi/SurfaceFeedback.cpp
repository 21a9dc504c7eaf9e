// MidiSurfaces's feedback: LEDs and motor faders showing the routing, sent only where the
// device does not show the value already (so feedback never loops), and blinking "engaged".
#include "midi/MidiSurfaces.h"
#include "midi/Surface.h"

namespace dragoman::midi {

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

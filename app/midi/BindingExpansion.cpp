// The binding expansion: one binding object of a mapping file becomes one Binding per copy
// ("repeat": a count, "desks" or "channels"), its numbered targets counting up, each copy
// checked against what its action needs and against the controls bound before it.
#include "core/Command.h"
#include "midi/MappingReader.h"

#include <algorithm>

namespace dragoman::midi {

namespace {

using Json = nlohmann::ordered_json;

constexpr float kVolumeMinDb = core::kVolumeMinDb;
constexpr float kVolumeMaxDb = core::kVolumeMaxDb;
constexpr float kTrimMinDb = core::kTrimMinDb;
constexpr float kTrimMaxDb = core::kTrimMaxDb;

std::string quote(std::string_view text) {
    return venue::quoteJson(text);
}

std::string describe(const Json& value) {
    return venue::describeJson(value);
}

} // namespace

// How many copies "repeat" asks for, given where the first one starts.
int MappingReader::repeatCount(const Json& binding, const std::string& path, int number,
                               int firstDesk, int firstChannel) const {
    if (!binding.contains("repeat"))
        return 1;
    const auto& repeat = binding["repeat"];
    const auto at = member(path, "repeat");
    if (repeat.is_string()) {
        const auto& what = repeat.get_ref<const std::string&>();
        // As many as the venue has, as far as controller numbers go.
        const int room = 128 - number;
        if (what == "desks")
            return std::min(room, std::max(0, venue_.deskCount() - std::max(0, firstDesk)));
        if (what == "channels")
            return std::min(room, std::max(0, static_cast<int>(venue_.channels.size()) -
                                                  std::max(0, firstChannel)));
        fail(at, "expected a count, \"desks\" or \"channels\", got " + describe(repeat));
    }
    return static_cast<int>(integer(repeat, at, 1, 128));
}

void MappingReader::readBinding(const Json& binding, const std::string& path, Mapping& mapping,
                                std::map<Control, std::string>& seen) const {
    if (!binding.is_object())
        fail(path, "expected an object, got " + describe(binding));
    onlyKeys(binding, path,
             {"note", "cc", "midiChannel", "action", "repeat", "desk", "channel", "input", "mic",
              "floorMic", "mode", "slot", "key", "min", "max", "feedback", "led"});
    const bool note = binding.contains("note");
    const bool cc = binding.contains("cc");
    if (note == cc)
        fail(path, "a binding needs exactly one of \"note\" and \"cc\"");
    Control control;
    control.type = note ? Control::Type::Note : Control::Type::Cc;
    const auto numberPath = member(path, note ? "note" : "cc");
    control.number = static_cast<int>(integer(binding[note ? "note" : "cc"], numberPath, 0, 127));
    control.channel = binding.contains("midiChannel")
                          ? static_cast<int>(integer(binding["midiChannel"],
                                                     member(path, "midiChannel"), 1, 16)) -
                                1
                          : defaultChannel_;
    if (!binding.contains("action"))
        fail(path, "missing key \"action\"");
    const auto& actionName = text(binding["action"], member(path, "action"));
    const auto kind = actionKindFromString(actionName);
    if (!kind)
        fail(member(path, "action"),
             "unknown action " + quote(actionName) +
                 " (mic, cough, out, in, preselect, volume, autofloor, pfl, channelTrim, "
                 "inputTrim)");

    const auto need = [&](std::string_view key) -> const Json& {
        if (!binding.contains(key))
            fail(path, "action " + quote(actionName) + " needs \"" + std::string(key) + "\"");
        return binding[std::string(key)];
    };
    const auto forbid = [&](std::initializer_list<std::string_view> keys) {
        for (auto key : keys)
            if (binding.contains(key))
                fail(member(path, key), "not used by action " + quote(actionName));
    };
    const auto numbered = [&](std::string_view key) {
        return binding.contains(key) && binding[std::string(key)].is_number();
    };

    // Where the first copy starts, for "repeat".
    const int firstDesk = binding.contains("desk") && binding["desk"].is_number_integer()
                              ? binding["desk"].get<int>() - 1
                              : 0;
    const int firstChannel = binding.contains("channel") && binding["channel"].is_number_integer()
                                 ? binding["channel"].get<int>()
                                 : 0;
    const int copies = repeatCount(binding, path, control.number, firstDesk, firstChannel);
    int led = -1;
    if (binding.contains("led")) {
        led = static_cast<int>(integer(binding["led"], member(path, "led"), 0, 127));
        if (led + copies - 1 > 127)
            fail(member(path, "led"),
                 "the LEDs of " + std::to_string(copies) + " copies go past number 127");
    }
    if (copies > 1 && control.number + copies - 1 > 127)
        fail(member(path, "repeat"), std::to_string(copies) + " copies from " +
                                         std::to_string(control.number) +
                                         " go past controller number 127");
    if (copies > 1 && !numbered("desk") && !numbered("channel") && !numbered("input") &&
        !numbered("floorMic") && !numbered("mic"))
        fail(member(path, "repeat"),
             "repeat needs a numbered target (\"desk\": 1, \"channel\": 1, ...) to count up");

    bool feedback = true;
    if (binding.contains("feedback"))
        feedback = boolean(binding["feedback"], member(path, "feedback"));
    else if (control.type == Control::Type::Cc && *kind != ActionKind::Mic &&
             *kind != ActionKind::Cough && *kind != ActionKind::Out &&
             *kind != ActionKind::Preselect && *kind != ActionKind::AutoFloor &&
             *kind != ActionKind::Pfl && !(*kind == ActionKind::In && binding.contains("channel")))
        feedback = false; // faders and knobs move by themselves only where a file says so

    for (int copy = 0; copy < copies; ++copy) {
        Binding b;
        b.control = control;
        b.control.number = control.number + copy;
        b.feedback = feedback;
        b.led = led >= 0 ? led + copy : -1;
        Action& a = b.action;
        a.kind = *kind;
        const auto offsetIf = [&](std::string_view key) { return numbered(key) ? copy : 0; };
        bool active = true;
        const auto readDesk = [&] {
            a.desk = desk(need("desk"), member(path, "desk"), offsetIf("desk"));
            active = active && a.desk >= 0;
        };
        switch (*kind) {
        case ActionKind::Slow:
        case ActionKind::Help:
            forbid({"channel", "input", "mic", "floorMic", "slot", "key", "min", "max", "mode"});
            readDesk();
            break;
        case ActionKind::Mic:
        case ActionKind::Cough: {
            forbid({"channel", "input", "mic", "floorMic", "slot", "key", "min", "max"});
            readDesk();
            a.mode = *kind == ActionKind::Mic ? KeyMode::Toggle : KeyMode::Momentary;
            if (binding.contains("mode")) {
                const auto& mode = text(binding["mode"], member(path, "mode"));
                if (mode == "toggle")
                    a.mode = KeyMode::Toggle;
                else if (mode == "momentary")
                    a.mode = KeyMode::Momentary;
                else
                    fail(member(path, "mode"),
                         "expected \"toggle\" or \"momentary\", got " + quote(mode));
            }
            break;
        }
        case ActionKind::Out: {
            forbid({"channel", "input", "mic", "floorMic", "mode", "key", "min", "max"});
            readDesk();
            const auto& slot = text(need("slot"), member(path, "slot"));
            if (slot == "next")
                a.slot = -1;
            else if (const auto s = venue::slotFromString(slot))
                a.slot = static_cast<int>(*s);
            else
                fail(member(path, "slot"),
                     "expected \"A\", \"B\", \"C\" or \"next\", got " + quote(slot));
            break;
        }
        case ActionKind::In:
            forbid({"input", "mic", "floorMic", "mode", "slot", "key", "min", "max"});
            readDesk();
            if (binding.contains("channel")) {
                a.channel =
                    channel(binding["channel"], member(path, "channel"), offsetIf("channel"));
                active = active && a.channel >= 0;
            } else if (control.type != Control::Type::Cc) {
                fail(path, "action \"in\" on a key needs \"channel\" (a knob or fader "
                           "without one picks any channel)");
            }
            break;
        case ActionKind::Preselect: {
            forbid({"channel", "input", "mic", "floorMic", "mode", "slot", "min", "max"});
            readDesk();
            a.key = static_cast<int>(integer(need("key"), member(path, "key"), 1, 16)) - 1;
            break;
        }
        case ActionKind::Volume:
        case ActionKind::ChannelTrim:
        case ActionKind::InputTrim: {
            forbid({"mic", "floorMic", "mode", "slot", "key"});
            if (control.type != Control::Type::Cc)
                fail(numberPath, "action " + quote(actionName) +
                                     " is a level: it needs a fader or knob (\"cc\")");
            const bool volume = *kind == ActionKind::Volume;
            const float low = volume ? kVolumeMinDb : kTrimMinDb;
            const float high = volume ? kVolumeMaxDb : kTrimMaxDb;
            a.minDb =
                binding.contains("min")
                    ? static_cast<float>(number(binding["min"], member(path, "min"), low, high))
                    : low;
            a.maxDb =
                binding.contains("max")
                    ? static_cast<float>(number(binding["max"], member(path, "max"), low, high))
                    : high;
            if (!(a.maxDb > a.minDb))
                fail(member(path, "max"), "must be above \"min\"");
            if (volume) {
                forbid({"channel", "input"});
                readDesk();
            } else if (*kind == ActionKind::ChannelTrim) {
                forbid({"desk", "input"});
                a.channel = channel(need("channel"), member(path, "channel"), offsetIf("channel"));
                active = a.channel >= 0;
            } else {
                forbid({"desk", "channel"});
                a.input =
                    static_cast<int>(integer(need("input"), member(path, "input"), 0, 100000)) +
                    offsetIf("input");
                active = a.input < venue_.deviceInputs;
            }
            break;
        }
        case ActionKind::AutoFloor:
            forbid({"desk", "input", "mic", "floorMic", "mode", "slot", "key", "min", "max"});
            a.channel = channel(need("channel"), member(path, "channel"), offsetIf("channel"));
            if (a.channel == 0)
                fail(member(path, "channel"), "the floor always carries the floor");
            active = a.channel > 0;
            break;
        case ActionKind::Pfl: {
            forbid({"input", "mode", "slot", "key", "min", "max"});
            const int given = static_cast<int>(binding.contains("channel")) +
                              static_cast<int>(binding.contains("desk")) +
                              static_cast<int>(binding.contains("mic")) +
                              static_cast<int>(binding.contains("floorMic"));
            if (given != 1)
                fail(path, "action \"pfl\" needs exactly one of \"channel\", \"desk\" (its "
                           "feed), \"mic\" (a desk's mic) and \"floorMic\"");
            if (binding.contains("channel")) {
                a.monitor = core::MonitorSource::Channel;
                a.monitorIndex =
                    channel(binding["channel"], member(path, "channel"), offsetIf("channel"));
            } else if (binding.contains("desk")) {
                a.monitor = core::MonitorSource::DeskFeed;
                a.monitorIndex = desk(binding["desk"], member(path, "desk"), offsetIf("desk"));
            } else if (binding.contains("mic")) {
                a.monitor = core::MonitorSource::DeskMic;
                a.monitorIndex = desk(binding["mic"], member(path, "mic"), offsetIf("mic"));
            } else {
                a.monitor = core::MonitorSource::FloorMic;
                const long m = integer(binding["floorMic"], member(path, "floorMic"), 0, 1000) +
                               offsetIf("floorMic");
                a.monitorIndex =
                    m < static_cast<long>(venue_.floorMics.size()) ? static_cast<int>(m) : -1;
            }
            active = a.monitorIndex >= 0;
            break;
        }
        }
        if (!active) {
            ++mapping.inactive;
            continue;
        }
        const auto where = copies > 1 ? path + " (copy " + std::to_string(copy + 1) + ")" : path;
        if (const auto [it, fresh] = seen.emplace(b.control, where); !fresh)
            fail(where, describe(b.control) + " is already bound by " + it->second);
        mapping.bindings.push_back(b);
    }
}

} // namespace dragoman::midi

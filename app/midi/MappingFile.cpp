#include "midi/MappingFile.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <system_error>
#include <unistd.h>
#include <utility>

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

// Walks one document, naming the JSON path of every problem.
class Reader {
public:
    Reader(std::string file, const venue::Venue& venue)
        : file_(std::move(file))
        , venue_(venue) {}

    [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
        throw MappingError(file_, path, problem);
    }

    static std::string member(const std::string& path, std::string_view key) {
        return path + "." + std::string(key);
    }
    static std::string element(const std::string& path, std::size_t i) {
        return path + "[" + std::to_string(i) + "]";
    }

    void onlyKeys(const Json& object, const std::string& path,
                  std::initializer_list<std::string_view> allowed) const {
        for (const auto& [key, value] : object.items())
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
                fail(member(path, key), "unknown key " + quote(key));
    }

    long integer(const Json& value, const std::string& path, long low, long high) const {
        if (!value.is_number_integer() && !value.is_number_unsigned())
            fail(path, "expected an integer, got " + describe(value));
        const auto n = value.get<long long>();
        if (n < low || n > high)
            fail(path, "expected an integer from " + std::to_string(low) + " to " +
                           std::to_string(high) + ", got " + std::to_string(n));
        return static_cast<long>(n);
    }

    double number(const Json& value, const std::string& path, double low, double high) const {
        if (!value.is_number())
            fail(path, "expected a number, got " + describe(value));
        const double x = value.get<double>();
        if (!(x >= low && x <= high)) {
            std::ostringstream range;
            range << "expected a number from " << low << " to " << high << ", got " << x;
            fail(path, range.str());
        }
        return x;
    }

    const std::string& text(const Json& value, const std::string& path) const {
        if (!value.is_string())
            fail(path, "expected a string, got " + describe(value));
        return value.get_ref<const std::string&>();
    }

    bool boolean(const Json& value, const std::string& path) const {
        if (!value.is_boolean())
            fail(path, "expected true or false, got " + describe(value));
        return value.get<bool>();
    }

    // A desk: its id ("en.1") or its position in venue order (1 = the first desk). A position
    // past the venue's desks resolves to -1 (an inactive binding); an unknown id is an error.
    int desk(const Json& value, const std::string& path, int offset = 0) const {
        if (value.is_string()) {
            const auto& id = value.get_ref<const std::string&>();
            const auto index = venue_.deskIndex(id);
            if (!index)
                fail(path, "no desk " + quote(id) + " in this venue");
            return *index;
        }
        const long position = integer(value, path, 1, 100000) + offset;
        return position <= venue_.deskCount() ? static_cast<int>(position - 1) : -1;
    }

    // A channel: its code ("en", "floor") or its index (0 = the floor).
    int channel(const Json& value, const std::string& path, int offset = 0) const {
        if (value.is_string()) {
            const auto& code = value.get_ref<const std::string&>();
            const auto index = venue_.channelIndex(code);
            if (!index)
                fail(path, "no channel " + quote(code) + " in this venue");
            return *index;
        }
        const long index = integer(value, path, 0, 100000) + offset;
        return index < static_cast<long>(venue_.channels.size()) ? static_cast<int>(index) : -1;
    }

    Mapping read(const Json& root) {
        const std::string path = "$";
        if (!root.is_object())
            fail(path, "expected an object, got " + describe(root));
        onlyKeys(root, path,
                 {"name", "ports", "fallback", "midiChannel", "leds", "preselect", "bindings"});
        Mapping mapping;
        if (!root.contains("name"))
            fail(path, "missing key \"name\"");
        mapping.name = text(root["name"], member(path, "name"));
        if (root.contains("ports")) {
            const auto& ports = root["ports"];
            const auto at = member(path, "ports");
            if (!ports.is_array())
                fail(at, "expected an array of port name fragments, got " + describe(ports));
            for (std::size_t i = 0; i < ports.size(); ++i) {
                const auto& fragment = text(ports[i], element(at, i));
                if (fragment.empty())
                    fail(element(at, i), "a port name fragment cannot be empty");
                mapping.ports.push_back(fragment);
            }
        }
        if (root.contains("fallback"))
            mapping.fallback = boolean(root["fallback"], member(path, "fallback"));
        if (root.contains("midiChannel"))
            defaultChannel_ =
                static_cast<int>(integer(root["midiChannel"], member(path, "midiChannel"), 1, 16)) -
                1;
        if (root.contains("leds")) {
            const auto& leds = root["leds"];
            const auto at = member(path, "leds");
            if (!leds.is_object())
                fail(at, "expected an object, got " + describe(leds));
            onlyKeys(leds, at, {"on", "off", "blink"});
            if (leds.contains("on"))
                mapping.leds.on = static_cast<int>(integer(leds["on"], member(at, "on"), 0, 127));
            if (leds.contains("off"))
                mapping.leds.off =
                    static_cast<int>(integer(leds["off"], member(at, "off"), 0, 127));
            if (leds.contains("blink") && !leds["blink"].is_null())
                mapping.leds.blink =
                    static_cast<int>(integer(leds["blink"], member(at, "blink"), 0, 127));
        }
        if (root.contains("preselect"))
            readPreselect(root["preselect"], member(path, "preselect"), mapping);
        if (!root.contains("bindings"))
            fail(path, "missing key \"bindings\"");
        const auto& bindings = root["bindings"];
        const auto at = member(path, "bindings");
        if (!bindings.is_array())
            fail(at, "expected an array, got " + describe(bindings));
        std::map<Control, std::string> seen;
        for (std::size_t i = 0; i < bindings.size(); ++i)
            readBinding(bindings[i], element(at, i), mapping, seen);
        return mapping;
    }

private:
    void readPreselect(const Json& value, const std::string& path, Mapping& mapping) const {
        if (!value.is_object())
            fail(path, "expected an object of desk ids, got " + describe(value));
        for (const auto& [key, channels] : value.items()) {
            const auto at = path + "[" + quote(key) + "]";
            const auto index = venue_.deskIndex(key);
            if (!index)
                fail(at, "no desk " + quote(key) + " in this venue");
            if (!channels.is_array() || channels.empty())
                fail(at, "expected an array of channels, got " + describe(channels));
            std::vector<int> list;
            for (std::size_t i = 0; i < channels.size(); ++i) {
                const int c = channel(channels[i], element(at, i));
                if (c < 0)
                    fail(element(at, i), "no channel " + channels[i].dump() + " in this venue");
                list.push_back(c);
            }
            mapping.preselect[*index] = std::move(list);
        }
    }

    // How many copies "repeat" asks for, given where the first one starts.
    int repeatCount(const Json& binding, const std::string& path, int number, int firstDesk,
                    int firstChannel) const {
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

    void readBinding(const Json& binding, const std::string& path, Mapping& mapping,
                     std::map<Control, std::string>& seen) const {
        if (!binding.is_object())
            fail(path, "expected an object, got " + describe(binding));
        onlyKeys(binding, path,
                 {"note", "cc", "midiChannel", "action", "repeat", "desk", "channel", "input",
                  "mic", "floorMic", "mode", "slot", "key", "min", "max", "feedback", "led"});
        const bool note = binding.contains("note");
        const bool cc = binding.contains("cc");
        if (note == cc)
            fail(path, "a binding needs exactly one of \"note\" and \"cc\"");
        Control control;
        control.type = note ? Control::Type::Note : Control::Type::Cc;
        const auto numberPath = member(path, note ? "note" : "cc");
        control.number =
            static_cast<int>(integer(binding[note ? "note" : "cc"], numberPath, 0, 127));
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
        const int firstChannel =
            binding.contains("channel") && binding["channel"].is_number_integer()
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
                 *kind != ActionKind::Pfl &&
                 !(*kind == ActionKind::In && binding.contains("channel")))
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
                forbid(
                    {"channel", "input", "mic", "floorMic", "slot", "key", "min", "max", "mode"});
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
                    a.channel =
                        channel(need("channel"), member(path, "channel"), offsetIf("channel"));
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
            const auto where =
                copies > 1 ? path + " (copy " + std::to_string(copy + 1) + ")" : path;
            if (const auto [it, fresh] = seen.emplace(b.control, where); !fresh)
                fail(where, describe(b.control) + " is already bound by " + it->second);
            mapping.bindings.push_back(b);
        }
    }

    std::string file_;
    const venue::Venue& venue_;
    int defaultChannel_ = 0;
};

std::string readWholeFile(const std::filesystem::path& file, const std::string& name) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw MappingError(name, "$", "cannot read: " + std::generic_category().message(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Json parseJson(std::string_view text, const std::string& name) {
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& e) {
        std::string message = e.what();
        if (const auto bracket = message.find("] ");
            !message.empty() && message.front() == '[' && bracket != std::string::npos)
            message.erase(0, bracket + 2);
        throw MappingError(name, "$",
                           "invalid JSON at byte " + std::to_string(e.byte) + ": " + message);
    }
}

Json bindingJson(const Binding& binding, const venue::Venue& venue) {
    Json j;
    j[binding.control.type == Control::Type::Note ? "note" : "cc"] = binding.control.number;
    j["midiChannel"] = binding.control.channel + 1;
    const auto& a = binding.action;
    j["action"] = std::string(toString(a.kind));
    const auto deskId = [&](int d) { return venue.deskId(d); };
    const auto code = [&](int c) { return venue.channels[static_cast<std::size_t>(c)].code; };
    switch (a.kind) {
    case ActionKind::Mic:
    case ActionKind::Cough:
        j["desk"] = deskId(a.desk);
        j["mode"] = a.mode == KeyMode::Toggle ? "toggle" : "momentary";
        break;
    case ActionKind::Out:
        j["desk"] = deskId(a.desk);
        j["slot"] = a.slot < 0 ? std::string("next")
                               : std::string(venue::toString(static_cast<venue::Slot>(a.slot)));
        break;
    case ActionKind::In:
        j["desk"] = deskId(a.desk);
        if (a.channel >= 0)
            j["channel"] = code(a.channel);
        break;
    case ActionKind::Preselect:
        j["desk"] = deskId(a.desk);
        j["key"] = a.key + 1;
        break;
    case ActionKind::Volume:
    case ActionKind::Slow:
    case ActionKind::Help:
        j["desk"] = deskId(a.desk);
        break;
    case ActionKind::ChannelTrim:
    case ActionKind::AutoFloor:
        j["channel"] = code(a.channel);
        break;
    case ActionKind::InputTrim:
        j["input"] = a.input;
        break;
    case ActionKind::Pfl:
        switch (a.monitor) {
        case core::MonitorSource::Channel:
            j["channel"] = code(a.monitorIndex);
            break;
        case core::MonitorSource::DeskFeed:
            j["desk"] = deskId(a.monitorIndex);
            break;
        case core::MonitorSource::DeskMic:
            j["mic"] = deskId(a.monitorIndex);
            break;
        case core::MonitorSource::FloorMic:
            j["floorMic"] = a.monitorIndex;
            break;
        }
        break;
    }
    if (a.continuous()) {
        j["min"] = a.minDb;
        j["max"] = a.maxDb;
    }
    j["feedback"] = binding.feedback;
    if (binding.led >= 0)
        j["led"] = binding.led;
    return j;
}

// Writes `text` beside `file`, flushes it to disk and renames it over `file`.
void writeAtomically(const std::filesystem::path& file, const std::string& text) {
    const auto name = file.string();
    const auto temporary = file.parent_path() /
                           ("." + file.filename().string() + ".part-" + std::to_string(::getpid()));
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw MappingError(name, "$", "cannot save: " + std::generic_category().message(errno));
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int error = errno;
            ::close(fd);
            ::unlink(temporary.c_str());
            throw MappingError(name, "$", "cannot save: " + std::generic_category().message(error));
        }
        done += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced || ::rename(temporary.c_str(), file.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw MappingError(name, "$", "cannot save: " + std::generic_category().message(error));
    }
}

} // namespace

Mapping parseMapping(std::string_view text, const std::string& fileName,
                     const venue::Venue& venue) {
    Reader reader(fileName, venue);
    return reader.read(parseJson(text, fileName));
}

Mapping loadMapping(const std::filesystem::path& file, const venue::Venue& venue) {
    const auto name = file.filename().string();
    auto mapping = parseMapping(readWholeFile(file, name), name, venue);
    mapping.file = file;
    return mapping;
}

void storeBinding(const std::filesystem::path& file, const Binding& binding,
                  const venue::Venue& venue) {
    const auto name = file.filename().string();
    Json document;
    std::error_code error;
    if (std::filesystem::exists(file, error)) {
        document = parseJson(readWholeFile(file, name), name);
        parseMapping(document.dump(), name, venue); // refuse to add to a file that is bad already
    } else {
        document = Json::object();
        document["name"] = "Learnt bindings";
        document["bindings"] = Json::array();
    }
    Json kept = Json::array();
    for (const auto& existing : document["bindings"]) {
        Json probe = Json::object();
        probe["name"] = "probe";
        probe["bindings"] = Json::array({existing});
        if (document.contains("midiChannel"))
            probe["midiChannel"] = document["midiChannel"];
        if (document.contains("preselect"))
            probe["preselect"] = document["preselect"];
        const auto parsed = parseMapping(probe.dump(), name, venue);
        const bool same =
            std::any_of(parsed.bindings.begin(), parsed.bindings.end(),
                        [&](const Binding& b) { return b.control == binding.control; });
        if (!same)
            kept.push_back(existing);
    }
    kept.push_back(bindingJson(binding, venue));
    document["bindings"] = std::move(kept);
    writeAtomically(file, document.dump(2) + "\n");
}

Action parseAction(std::string_view json, const venue::Venue& venue) {
    const std::string name = "action";
    Json action = parseJson(json, name);
    if (!action.is_object())
        throw MappingError(name, "$", "expected an object, got " + describe(action));
    for (const char* key : {"note", "cc", "midiChannel", "repeat"})
        if (action.contains(key))
            throw MappingError(name, std::string("$.") + key, "not part of an action");
    // A level, or a channel knob, is learnt from a fader or knob; anything else from a key.
    std::string kind;
    if (action.contains("action") && action["action"].is_string())
        kind = action["action"].get<std::string>();
    const bool level = kind == "volume" || kind == "channelTrim" || kind == "inputTrim" ||
                       (kind == "in" && !action.contains("channel"));
    action[level ? "cc" : "note"] = 0;
    Json mapping = Json::object();
    mapping["name"] = name;
    mapping["bindings"] = Json::array({action});
    try {
        auto parsed = Reader(name, venue).read(mapping);
        if (parsed.bindings.empty())
            throw MappingError(name, "$", "no such desk, channel or input in this venue");
        return parsed.bindings.front().action;
    } catch (const MappingError& e) {
        auto path = e.jsonPath();
        const std::string prefix = "$.bindings[0]";
        if (path.rfind(prefix, 0) == 0)
            path = "$" + path.substr(prefix.size());
        throw MappingError(name, path, e.problem());
    }
}

std::string bindingText(const Binding& binding, const venue::Venue& venue) {
    return bindingJson(binding, venue).dump();
}

} // namespace dragoman::midi

// Mapping files as files: reading, parsing (the document walk is MappingReader, the binding
// expansion BindingExpansion.cpp), learnt bindings written back atomically, and actions in a
// console's words.
#include "midi/MappingFile.h"

#include "midi/MappingReader.h"
#include "venue/TextFile.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace dragoman::midi {

namespace {

using Json = nlohmann::ordered_json;

std::string describe(const Json& value) {
    return venue::describeJson(value);
}

std::string readWholeFile(const std::filesystem::path& file, const std::string& name) {
    try {
        return venue::readTextFile(file, kMappingFileLimits.maxBytes);
    } catch (const venue::TextFileError& e) {
        throw MappingError(name, "$", e.what());
    }
}

Json parseJson(std::string_view text, const std::string& name) {
    auto parsed = venue::parseStrictJson(text, kMappingFileLimits);
    if (parsed.refusal)
        throw MappingError(name, std::move(parsed.refusal->path),
                           std::move(parsed.refusal->problem));
    return std::move(parsed.document);
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
    // A level's range (an "in" knob is continuous too, but has none: parseMapping refuses it).
    if (a.kind == ActionKind::Volume || a.kind == ActionKind::ChannelTrim ||
        a.kind == ActionKind::InputTrim) {
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
    MappingReader reader(fileName, venue);
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
        auto parsed = MappingReader(name, venue).read(mapping);
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

// MappingReader: the document walk (name, ports, LEDs, pre-select keys, the bindings list) and
// the value readers every key goes through. The binding expansion is in BindingExpansion.cpp.
#include "midi/MappingReader.h"

#include "venue/Utf8.h"
#include "venue/VenueRules.h"

#include <algorithm>
#include <sstream>
#include <utility>

namespace dragoman::midi {

namespace {

using Json = nlohmann::ordered_json;

std::string quote(std::string_view text) {
    return venue::quoteJson(text);
}

std::string describe(const Json& value) {
    return venue::describeJson(value);
}

} // namespace

MappingReader::MappingReader(std::string file, const venue::Venue& venue)
    : file_(std::move(file))
    , venue_(venue) {
}

void MappingReader::fail(const std::string& path, const std::string& problem) const {
    throw MappingError(file_, path, problem);
}

std::string MappingReader::member(const std::string& path, std::string_view key) {
    return path + "." + std::string(key);
}
std::string MappingReader::element(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

void MappingReader::onlyKeys(const Json& object, const std::string& path,
                             std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, value] : object.items())
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            fail(member(path, key), "unknown key " + quote(key));
}

long MappingReader::integer(const Json& value, const std::string& path, long low, long high) const {
    if (!value.is_number_integer() && !value.is_number_unsigned())
        fail(path, "expected an integer, got " + describe(value));
    const auto n = value.get<long long>();
    if (n < low || n > high)
        fail(path, "expected an integer from " + std::to_string(low) + " to " +
                       std::to_string(high) + ", got " + std::to_string(n));
    return static_cast<long>(n);
}

double MappingReader::number(const Json& value, const std::string& path, double low,
                             double high) const {
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

const std::string& MappingReader::text(const Json& value, const std::string& path) const {
    if (!value.is_string())
        fail(path, "expected a string, got " + describe(value));
    return value.get_ref<const std::string&>();
}

const std::string& MappingReader::name(const Json& value, const std::string& path) const {
    const auto& result = text(value, path);
    if (const auto length = venue::utf8Length(result); length > venue::kMaxNameLength)
        fail(path, "a name of " + std::to_string(length) + " characters; a name holds at most " +
                       std::to_string(venue::kMaxNameLength));
    return result;
}

bool MappingReader::boolean(const Json& value, const std::string& path) const {
    if (!value.is_boolean())
        fail(path, "expected true or false, got " + describe(value));
    return value.get<bool>();
}

// A desk: its id ("en.1") or its position in venue order (1 = the first desk). A position
// past the venue's desks resolves to -1 (an inactive binding); an unknown id is an error.
int MappingReader::desk(const Json& value, const std::string& path, int offset) const {
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
int MappingReader::channel(const Json& value, const std::string& path, int offset) const {
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

Mapping MappingReader::read(const Json& root) {
    const std::string path = "$";
    if (!root.is_object())
        fail(path, "expected an object, got " + describe(root));
    onlyKeys(root, path,
             {"name", "ports", "fallback", "midiChannel", "leds", "preselect", "bindings"});
    Mapping mapping;
    if (!root.contains("name"))
        fail(path, "missing key \"name\"");
    mapping.name = name(root["name"], member(path, "name"));
    if (root.contains("ports")) {
        const auto& ports = root["ports"];
        const auto at = member(path, "ports");
        if (!ports.is_array())
            fail(at, "expected an array of port name fragments, got " + describe(ports));
        for (std::size_t i = 0; i < ports.size(); ++i) {
            const auto& fragment = name(ports[i], element(at, i));
            if (fragment.empty())
                fail(element(at, i), "a port name fragment cannot be empty");
            mapping.ports.push_back(fragment);
        }
    }
    if (root.contains("fallback"))
        mapping.fallback = boolean(root["fallback"], member(path, "fallback"));
    if (root.contains("midiChannel"))
        defaultChannel_ =
            static_cast<int>(integer(root["midiChannel"], member(path, "midiChannel"), 1, 16)) - 1;
    if (root.contains("leds")) {
        const auto& leds = root["leds"];
        const auto at = member(path, "leds");
        if (!leds.is_object())
            fail(at, "expected an object, got " + describe(leds));
        onlyKeys(leds, at, {"on", "off", "blink"});
        if (leds.contains("on"))
            mapping.leds.on = static_cast<int>(integer(leds["on"], member(at, "on"), 0, 127));
        if (leds.contains("off"))
            mapping.leds.off = static_cast<int>(integer(leds["off"], member(at, "off"), 0, 127));
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

void MappingReader::readPreselect(const Json& value, const std::string& path,
                                  Mapping& mapping) const {
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

} // namespace dragoman::midi

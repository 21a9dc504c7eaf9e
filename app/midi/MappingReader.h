// Reading a mapping file's document (after the JSON parse): MappingReader walks it, naming the
// JSON path of every problem, and resolves desks and channels against the venue. Its
// readBinding() is the binding expansion (BindingExpansion.cpp): one binding object of the file
// becomes one Binding per copy ("repeat"), each checked against the action's needs.
// Private to the mapping file's code (MappingFile.cpp); the public API is MappingFile.h.
//
// Thread contract: control thread; allocates; throws MappingError.
#pragma once

#include "midi/Mapping.h"
#include "midi/MappingFile.h"
#include "venue/Venue.h"

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace dragoman::midi {

class MappingReader {
public:
    using Json = nlohmann::ordered_json;

    MappingReader(std::string file, const venue::Venue& venue);

    // The whole document: {"name": ..., "bindings": [...], ...}.
    Mapping read(const Json& root);

    [[noreturn]] void fail(const std::string& path, const std::string& problem) const;

    static std::string member(const std::string& path, std::string_view key);
    static std::string element(const std::string& path, std::size_t i);

    void onlyKeys(const Json& object, const std::string& path,
                  std::initializer_list<std::string_view> allowed) const;
    long integer(const Json& value, const std::string& path, long low, long high) const;
    double number(const Json& value, const std::string& path, double low, double high) const;
    const std::string& text(const Json& value, const std::string& path) const;
    // A string of at most venue::kMaxNameLength characters.
    const std::string& name(const Json& value, const std::string& path) const;
    bool boolean(const Json& value, const std::string& path) const;

    // A desk: its id ("en.1") or its position in venue order (1 = the first desk). A position
    // past the venue's desks resolves to -1 (an inactive binding); an unknown id is an error.
    int desk(const Json& value, const std::string& path, int offset = 0) const;

    // A channel: its code ("en", "floor") or its index (0 = the floor).
    int channel(const Json& value, const std::string& path, int offset = 0) const;

private:
    void readPreselect(const Json& value, const std::string& path, Mapping& mapping) const;

    // BindingExpansion.cpp: one binding object -> its copies in `mapping.bindings` (inactive
    // copies are counted in `mapping.inactive`); `seen` holds the controls bound so far.
    void readBinding(const Json& binding, const std::string& path, Mapping& mapping,
                     std::map<Control, std::string>& seen) const;
    // How many copies "repeat" asks for, given where the first one starts.
    int repeatCount(const Json& binding, const std::string& path, int number, int firstDesk,
                    int firstChannel) const;

    std::string file_;
    const venue::Venue& venue_;
    int defaultChannel_ = 0;
};

} // namespace dragoman::midi

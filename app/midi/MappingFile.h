// Mapping files: JSON <-> Mapping. A bad file is refused with the file, the JSON path and the
// problem ("nano.json: $.bindings[3].desk: no desk \"fr.1\" in this venue"), like venue files.
// Learnt bindings are written back atomically (a temporary file renamed over the old one).
// The format is described in docs/session.md ("MIDI mapping files").
//
// Bounded like venue files: at most kMappingFileLimits (1 MiB, 16 levels of nesting, strings of
// 4096 bytes, keys of 200), parsed strictly (no duplicate keys); names and port name fragments
// hold at most venue::kMaxNameLength characters.
//
// Thread contract: control thread; allocates; throws MappingError.
#pragma once

#include "midi/Mapping.h"
#include "venue/JsonFileError.h"
#include "venue/StrictJson.h"
#include "venue/Venue.h"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dragoman::midi {

class MappingError : public venue::JsonFileError {
public:
    using JsonFileError::JsonFileError;
};

// What a mapping file may hold (and an action a console names).
inline constexpr venue::JsonLimits kMappingFileLimits{};

// Reads a mapping file and resolves it against `venue`.
Mapping loadMapping(const std::filesystem::path& file, const venue::Venue& venue);

// The same from text; `fileName` is only used in messages.
Mapping parseMapping(std::string_view text, const std::string& fileName, const venue::Venue& venue);

// Adds `binding` to the mapping file (created, as {"name": ..., "bindings": [...]}, if it does
// not exist), replacing any binding of the same control, and saves it atomically.
void storeBinding(const std::filesystem::path& file, const Binding& binding,
                  const venue::Venue& venue);

// An action as a console names it, in the words of a binding without its control:
// {"action": "mic", "desk": "en.1", "mode": "toggle"}, {"action": "volume", "desk": 3}
// (what MidiLearn::arm takes). Throws MappingError with the JSON path inside `json`.
Action parseAction(std::string_view json, const venue::Venue& venue);

// The binding as it is written in a file ({"note": 36, "action": "mic", "desk": "en.1"}).
std::string bindingText(const Binding& binding, const venue::Venue& venue);

} // namespace dragoman::midi

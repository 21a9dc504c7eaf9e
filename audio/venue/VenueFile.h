// Reading and writing venue files (JSON). The format is documented in README.md ("Venue
// files"); resources/venues/tirana.json is the reference example.
//
// Thread contract: control thread; may allocate, may throw VenueError.
#pragma once

#include "venue/JsonFileError.h"
#include "venue/Venue.h"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dragoman::venue {

// A refused venue: which file, where in it (a JSON path such as "$.booths[2].desks[0].mic")
// and what is wrong. what() reads "FILE: PATH: PROBLEM".
class VenueError : public JsonFileError {
public:
    using JsonFileError::JsonFileError;
};

// Reads and validates a venue file. Throws VenueError naming the file, the JSON path and the
// problem; never writes anything.
Venue load(const std::filesystem::path& file);

// Parses and validates venue JSON text; `file` is only used in error messages.
Venue parse(std::string_view json, const std::string& file);

// Checks the rules a venue must keep (ids unique, device channels in range and used once,
// booth slots naming real channels, ...). Venues built in code go through it too.
void validate(const Venue& venue, const std::string& file);

// The venue as JSON text in the same format load() reads.
std::string toJson(const Venue& venue);

// Writes the venue atomically: a temporary file beside the target, flushed, then renamed over
// it, so a crash or a full disk never leaves a half-written venue behind.
void save(const Venue& venue, const std::filesystem::path& file);

} // namespace dragoman::venue

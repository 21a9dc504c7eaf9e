// Reading and writing venue files (JSON). The format is documented in docs/venue-format.md;
// resources/venues/tirana.json is the reference example.
//
// Reading happens in three steps, each in a file of its own and each refusing with a
// VenueError that names the file, the JSON path and the problem:
//   1. syntax (StrictJson.h): a strict JSON parse (no comments, no trailing commas, no
//      duplicate keys);
//   2. shape (VenueReader.h): unknown keys, missing required keys, values of the wrong type;
//   3. meaning (VenueRules.h): validate(), the rules that a venue built in code must keep too.
// Writing (VenueWriter.h): toJson() and atomic save(). This header brings all of it.
//
// Bounded: a venue file holds at most kVenueFileLimits (1 MiB, 16 levels of nesting, strings
// of 4096 bytes, keys of 200); a larger or deeper file is refused before it costs more memory
// than its own size, and names and codes hold at most kMaxNameLength characters (VenueRules.h).
//
// Thread contract: control thread; may allocate, may throw VenueError.
#pragma once

#include "venue/JsonFileError.h"
#include "venue/StrictJson.h"
#include "venue/Venue.h"
#include "venue/VenueError.h"
#include "venue/VenueRules.h"
#include "venue/VenueWriter.h"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dragoman::venue {

// What a venue file may hold. The largest venue this format describes (LargeVenue.h's
// "dcn-max": 31 booths of 6 desks, 32 channels) is 24 KB, five levels deep ($.booths[0].desks[0]).
inline constexpr JsonLimits kVenueFileLimits{};

// A venue file's text, within kVenueFileLimits.maxBytes; VenueError at "$" when it cannot be read.
std::string readVenueText(const std::filesystem::path& file);

// Reads and validates a venue file. Throws VenueError naming the file, the JSON path and the
// problem; never writes anything.
Venue load(const std::filesystem::path& file);

// Parses and validates venue JSON text; `file` is only used in error messages.
Venue parse(std::string_view json, const std::string& file);

} // namespace dragoman::venue

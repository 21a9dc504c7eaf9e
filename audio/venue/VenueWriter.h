// Writing venue files: a venue as JSON text in the format load() reads (keys in the documented
// order, defaults left out where the format has them), and atomic saving.
//
// Thread contract: control thread; allocates; save() throws VenueError.
#pragma once

#include "venue/Venue.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace dragoman::venue {

// The venue as JSON text in the same format load() reads.
std::string toJson(const Venue& venue);

// Validates the venue, then writes it atomically: a temporary file beside the target, flushed,
// then renamed over it, so a crash or a full disk never leaves a half-written venue behind.
void save(const Venue& venue, const std::filesystem::path& file);

// A number as the writer writes it: integral values as JSON integers ("110", not "110.0"),
// others in their shortest exact form ("2.5").
nlohmann::ordered_json numberJson(double value);

} // namespace dragoman::venue

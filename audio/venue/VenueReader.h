// Step 2 of reading a venue file: the shape. readVenue() walks the document that the strict
// JSON parse (StrictJson.h) accepted, refusing unknown keys (with a "did you mean" for near
// misses), missing required keys and values of the wrong type, and resolves booth slot codes
// to channel indices. It does not judge the values: validate() (VenueRules.h) does.
//
// Thread contract: control thread; allocates; throws VenueError naming the JSON path.
#pragma once

#include "venue/Venue.h"

#include <nlohmann/json.hpp>
#include <string>

namespace dragoman::venue {

// The venue the document describes; `file` is only used in error messages.
Venue readVenue(const nlohmann::ordered_json& root, const std::string& file);

} // namespace dragoman::venue

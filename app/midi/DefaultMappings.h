// The mappings Dragoman starts with, in the order they apply: the user's mapping files (the
// first of them is also where learn mode stores bindings; it may not exist yet), then the
// shipped defaults in resources/midi (the two controllers, then the generic fallback).
//
// Thread contract: control thread; allocates; throws MappingError for a bad file.
#pragma once

#include "midi/Mapping.h"
#include "venue/Venue.h"

#include <filesystem>
#include <vector>

namespace dragoman::midi {

std::vector<Mapping> loadMappings(const std::vector<std::filesystem::path>& userFiles,
                                  const std::filesystem::path& defaultsFolder,
                                  const venue::Venue& venue);

} // namespace dragoman::midi

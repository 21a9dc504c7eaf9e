// Venue edits made from the console (the channels' auto-floor defaults), saved so that a bad
// edit never destroys the file: the edited venue is validated first (a refused edit throws and
// leaves the file as it was), then written atomically (a temporary file renamed over the old
// one, venue::save).
//
// Thread contract: the GUI (control) thread; may throw venue::VenueError or
// std::system_error.
#pragma once

#include "core/RoutingState.h"
#include "venue/Venue.h"

#include <filesystem>

namespace dragoman::console {

// The venue with each channel's auto-floor default taken from the live routing.
venue::Venue withAutoFloorDefaults(venue::Venue venue, const core::RoutingState& routing);

// Validates `edited` and writes it over `file` atomically; throws (and writes nothing) when the
// edit is refused.
void saveVenue(const venue::Venue& edited, const std::filesystem::path& file);

} // namespace dragoman::console

#include "console/VenueEdits.h"

#include "venue/VenueFile.h"

namespace dragoman::console {

venue::Venue withAutoFloorDefaults(venue::Venue venue, const core::RoutingState& routing) {
    for (std::size_t c = 1; c < venue.channels.size() && c < routing.channels.size(); ++c)
        venue.channels[c].autoFloor = routing.channels[c].autoFloor;
    return venue;
}

void saveVenue(const venue::Venue& edited, const std::filesystem::path& file) {
    venue::validate(edited, file.string());
    venue::save(edited, file);
}

} // namespace dragoman::console

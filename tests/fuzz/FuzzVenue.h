// The venue the fuzz targets resolve names against: the Tirana roundtable's, as shipped.
// Thread contract: any thread; loaded once, on first use.
#pragma once

#include "venue/VenueFile.h"

#include <string>

namespace dragoman::fuzz {

inline const venue::Venue& tirana() {
    static const venue::Venue venue =
        venue::load(std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/tirana.json");
    return venue;
}

} // namespace dragoman::fuzz

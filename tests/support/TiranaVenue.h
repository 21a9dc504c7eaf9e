// The venue most tests run on: the Tirana roundtable's, as shipped in resources/venues.
#pragma once

#include "venue/VenueFile.h"

#include <string>

namespace dragoman::test {

inline venue::Venue tiranaVenue() {
    return venue::load(std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/tirana.json");
}

} // namespace dragoman::test

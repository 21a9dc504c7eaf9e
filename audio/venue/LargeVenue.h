// Venues generated in code for benchmarks and stress tests, such as the largest Bosch DCN
// system ("dcn-max": 31 booths x 6 desks, 32 channels with the floor, 8 floor mics).
//
// Thread contract: control thread; allocates.
#pragma once

#include "venue/Venue.h"

namespace dragoman::venue {

// `booths` booths of `desksPerBooth` desks, one channel per booth (booth i has A = channel
// i + 1 and B = the next booth's channel), `floorMics` floor mics, and a device with exactly
// the inputs and outputs the venue maps (line-outs, headphones, monitor L/R).
Venue makeLargeVenue(int booths, int desksPerBooth, int floorMics);

inline Venue makeDcnMax() {
    return makeLargeVenue(31, 6, 8);
}

} // namespace dragoman::venue

// Words of the venue file format that its reader, its rules and its writer share.
//
// Thread contract: constants; any thread.
#pragma once

#include "venue/Venue.h"

#include <array>
#include <string_view>

namespace dragoman::venue {

// The floor's channel code; a file holds the floor under "floor", never under "channels".
inline constexpr std::string_view kFloorCode = "floor";

// A booth's outgoing slots as a file names them: "a", "b", "c".
inline constexpr std::array<std::string_view, kSlotCount> kSlotKeys{"a", "b", "c"};

} // namespace dragoman::venue

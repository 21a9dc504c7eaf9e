// Step 3 of reading a venue file, and the check every venue built in code goes through too:
// the rules a venue must keep (ids unique, device channels in range and used once, booth
// slots naming real channels, Opus and RTP settings that work, ...). A refusal names the path
// the value has (or would have) in a venue file, so a venue built in code is reported in the
// same words as a file.
//
// Thread contract: control thread; allocates; throws VenueError.
#pragma once

#include "venue/Venue.h"

#include <cstddef>
#include <string>

namespace dragoman::venue {

// The longest name or code (venue, channel, booth, microphone), in characters.
inline constexpr std::size_t kMaxNameLength = 200;

// Throws VenueError naming `file`, the JSON path and the broken rule.
void validate(const Venue& venue, const std::string& file);

} // namespace dragoman::venue

// A refused venue: which file, where in it (a JSON path such as "$.booths[2].desks[0].mic")
// and what is wrong. what() reads "FILE: PATH: PROBLEM".
//
// Thread contract: any thread; allocates.
#pragma once

#include "venue/JsonFileError.h"

namespace dragoman::venue {

class VenueError : public JsonFileError {
public:
    using JsonFileError::JsonFileError;
};

} // namespace dragoman::venue

// Fuzz target: arbitrary text as a venue file. A refusal must be a VenueError (naming the
// file, the JSON path and the problem); any other exception, a crash or undefined behaviour is
// a finding. A venue that loads must survive a save and a reload unchanged.
#include "venue/VenueFile.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dragoman;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    venue::Venue loaded;
    try {
        loaded = venue::parse(text, "fuzz.json");
    } catch (const venue::VenueError&) {
        return 0;
    }
    const auto again = venue::parse(venue::toJson(loaded), "fuzz.json"); // must not throw
    if (!(again == loaded))
        __builtin_trap();
    return 0;
}

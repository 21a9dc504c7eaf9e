// The shipped large venue (resources/venues/dcn-max.json): the largest Bosch DCN system, read by
// the real venue loader, with exactly the shape of the bench's generated dcn-max venue
// (venue/LargeVenue.h) — booths, desks, channels, slots and every device channel.
#include "venue/LargeVenue.h"
#include "venue/VenueFile.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <string>

using namespace dragoman::venue;
namespace fs = std::filesystem;

TEST_CASE("dcn-max.json loads and has the shape of the bench's dcn-max venue") {
    const fs::path file = fs::path(DRAGOMAN_SOURCE_DIR) / "resources" / "venues" / "dcn-max.json";
    const Venue loaded = load(file);
    const Venue generated = makeDcnMax();

    CHECK(loaded.booths.size() == generated.booths.size());
    CHECK(loaded.deskCount() == generated.deskCount());
    CHECK(loaded.channels.size() == generated.channels.size());
    CHECK(loaded.floorMics.size() == generated.floorMics.size());
    CHECK(loaded.deviceInputs == generated.deviceInputs);
    CHECK(loaded.deviceOutputs == generated.deviceOutputs);
    CHECK(loaded.monitor == generated.monitor);
    for (std::size_t m = 0; m < generated.floorMics.size(); ++m)
        CHECK(loaded.floorMics[m].input == generated.floorMics[m].input);
    for (std::size_t c = 0; c < generated.channels.size(); ++c) {
        INFO("channel " << c);
        CHECK(loaded.channels[c].lineOut == generated.channels[c].lineOut);
        CHECK(loaded.channels[c].autoFloor == generated.channels[c].autoFloor);
    }
    for (std::size_t b = 0; b < generated.booths.size(); ++b) {
        INFO("booth " << b);
        const auto& booth = loaded.booths[b];
        CHECK(booth.outgoing == generated.booths[b].outgoing);
        CHECK(booth.interlock == generated.booths[b].interlock);
        CHECK(booth.desks == generated.booths[b].desks);
        // The booth interprets into its own channel, as in a real venue.
        CHECK(loaded.channels[static_cast<std::size_t>(booth.outgoing[0])].code == booth.code);
    }
    // Real languages, each with its name in its own script, and desk ids a technician can type.
    std::set<std::string> natives;
    for (std::size_t c = 1; c < loaded.channels.size(); ++c)
        natives.insert(loaded.channels[c].nativeName);
    CHECK(natives.size() == loaded.channels.size() - 1);
    CHECK(loaded.deskIndex("ar.6") == loaded.deskCount() - 1);
}

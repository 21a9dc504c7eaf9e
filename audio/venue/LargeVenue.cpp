#include "venue/LargeVenue.h"

#include <string>
#include <string_view>

namespace dragoman::venue {

namespace {

// `prefix` followed by `n`, built by appending: GCC 12 at -O3 reports a false -Wrestrict
// inside an inlined `"literal" + std::string` (its own libstdc++ code).
std::string numbered(std::string_view prefix, int n) {
    std::string text(prefix);
    text += std::to_string(n);
    return text;
}

} // namespace

Venue makeLargeVenue(int booths, int desksPerBooth, int floorMics) {
    Venue v;
    v.name = numbered("generated: ", booths);
    v.name += numbered(" booths x ", desksPerBooth);
    v.name += " desks";
    int input = 0;
    int output = 0;
    for (int m = 0; m < floorMics; ++m)
        v.floorMics.push_back({numbered("floor ", m + 1), input++});
    v.channels.push_back({"floor", "Floor", "Floor", output++, true});
    for (int b = 0; b < booths; ++b) {
        const std::string code = numbered("l", b + 1);
        v.channels.push_back({code, numbered("Language ", b + 1), code, output++, true});
    }
    for (int b = 0; b < booths; ++b) {
        Booth booth;
        booth.code = v.channels[static_cast<std::size_t>(b + 1)].code;
        booth.name = v.channels[static_cast<std::size_t>(b + 1)].name;
        booth.outgoing = {b + 1, booths > 1 ? (b + 1) % booths + 1 : -1, -1};
        booth.interlock = InterlockMode::Override;
        for (int d = 0; d < desksPerBooth; ++d)
            booth.desks.push_back({input++, output++});
        v.booths.push_back(booth);
    }
    v.monitor = {output, output + 1};
    output += 2;
    v.deviceInputs = input;
    v.deviceOutputs = output;
    return v;
}

} // namespace dragoman::venue

#include "core/Topology.h"

namespace dragoman::core {

Topology::Topology(const venue::Venue& venue)
    : channels(static_cast<int>(venue.channels.size()))
    , desks(venue.deskCount())
    , monitorLeft(venue.monitor.left)
    , monitorRight(venue.monitor.right) {
    for (const auto& mic : venue.floorMics)
        floorMicInput.push_back(mic.input);
    for (const auto& channel : venue.channels)
        channelLineOut.push_back(channel.lineOut);
    int first = 0;
    for (std::size_t b = 0; b < venue.booths.size(); ++b) {
        const auto& booth = venue.booths[b];
        BoothInfo info;
        info.outgoing = booth.outgoing;
        info.firstDesk = first;
        info.deskCount = static_cast<int>(booth.desks.size());
        booths.push_back(info);
        for (const auto& desk : booth.desks) {
            deskBooth.push_back(static_cast<int>(b));
            deskMicInput.push_back(desk.mic);
            deskHeadphones.push_back(desk.headphones);
        }
        first += info.deskCount;
    }
}

} // namespace dragoman::core

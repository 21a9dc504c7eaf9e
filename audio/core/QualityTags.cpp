#include "core/QualityTags.h"

namespace dragoman::core {

void deriveRouting(const Topology& topology, RoutingState& state) noexcept {
    for (auto& booth : state.booths)
        booth.liveDesk = -1;
    for (auto& channel : state.channels)
        channel.sourceDesk = -1;

    for (int d = 0; d < topology.desks; ++d) {
        auto& desk = state.desks[static_cast<std::size_t>(d)];
        desk.outChannel = topology.slotChannel(d, desk.out);
        if (desk.mic && desk.outChannel >= 0) {
            state.channels[static_cast<std::size_t>(desk.outChannel)].sourceDesk = d;
            state.booths[static_cast<std::size_t>(topology.deskBooth[static_cast<std::size_t>(d)])]
                .liveDesk = d;
        }
    }

    state.pivotChannel = -1;
    int pivotBooth = -1;
    for (std::size_t b = 0; b < state.booths.size(); ++b) {
        const auto& booth = state.booths[b];
        if (booth.autoRelay && booth.liveDesk >= 0) {
            state.pivotChannel = state.desks[static_cast<std::size_t>(booth.liveDesk)].outChannel;
            pivotBooth = static_cast<int>(b);
            break;
        }
    }

    for (int d = 0; d < topology.desks; ++d) {
        auto& desk = state.desks[static_cast<std::size_t>(d)];
        const bool follows = desk.in == 0 && state.pivotChannel >= 0 &&
                             topology.deskBooth[static_cast<std::size_t>(d)] != pivotBooth &&
                             desk.outChannel != state.pivotChannel;
        desk.hearing = follows ? state.pivotChannel : desk.in;
    }

    state.channels[0].tag = QualityTag::Floor;
    for (std::size_t c = 1; c < state.channels.size(); ++c) {
        auto& channel = state.channels[c];
        if (channel.sourceDesk < 0) {
            channel.tag = channel.autoFloor ? QualityTag::Floor : QualityTag::Silent;
            continue;
        }
        const int heard = state.desks[static_cast<std::size_t>(channel.sourceDesk)].hearing;
        const auto& source = state.channels[static_cast<std::size_t>(heard)];
        const bool heardFloor = heard == 0 || (source.sourceDesk < 0 && source.autoFloor);
        channel.tag = heardFloor ? QualityTag::Plus : QualityTag::Minus;
    }
}

} // namespace dragoman::core

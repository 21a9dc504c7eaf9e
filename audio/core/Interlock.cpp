#include "core/Interlock.h"

namespace dragoman::core {

InterlockDecision arbitrate(const Topology& topology, const RoutingState& state, int desk,
                            int channel) noexcept {
    InterlockDecision decision;
    const int booth = topology.deskBooth[static_cast<std::size_t>(desk)];
    const auto& boothState = state.booths[static_cast<std::size_t>(booth)];

    const int mate = boothState.liveDesk;
    if (mate >= 0 && mate != desk) {
        if (boothState.interlock == InterlockMode::Interlock) {
            decision.refusal = Refusal::BoothEngaged;
            decision.holder = mate;
            return decision;
        }
        decision.handover = mate;
    }

    const int holder = state.channels[static_cast<std::size_t>(channel)].sourceDesk;
    if (holder >= 0 && holder != desk && holder != mate) {
        const int holderBooth = topology.deskBooth[static_cast<std::size_t>(holder)];
        if (state.booths[static_cast<std::size_t>(holderBooth)].interlock ==
            InterlockMode::Interlock) {
            return InterlockDecision{Refusal::ChannelEngaged, holder, -1, -1};
        }
        decision.displaced = holder;
    }
    return decision;
}

} // namespace dragoman::core

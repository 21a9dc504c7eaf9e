// The routing state machine: applies one command to the routing state and answers accepted
// or refused, keeping the rules of an interpretation central unit (Interlock.h) and the
// derived routing (QualityTags.h) consistent after every change.
//
// Thread contract: construction on the control thread (allocates the state once); apply()
// on the audio thread (wait-free, no allocation, no exception).
#pragma once

#include "core/Command.h"
#include "core/RoutingState.h"
#include "core/Topology.h"

namespace dragoman::core {

class Routing {
public:
    Routing(const venue::Venue& venue, const Topology& topology);

    CommandResult apply(const Command& command) noexcept;

    const RoutingState& state() const noexcept { return state_; }

private:
    CommandResult applyDesk(const Command& command, CommandResult result) noexcept;
    CommandResult goLive(int desk, int channel, CommandResult result) noexcept;

    const Topology& topology_;
    RoutingState state_;
};

} // namespace dragoman::core

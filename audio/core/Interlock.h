// The interlock rule: may a desk go live on a channel, and whom does it switch off?
//
//  - Inside a booth only one desk is live at a time. Under the booth's `override` mode the
//    newcomer takes over (a handover: the other desk goes off); under `interlock` it is
//    refused with "booth engaged".
//  - Between booths, a channel has at most one live desk. The holding booth's mode decides:
//    `override` lets the newcomer take the channel (the holder goes off); `interlock` refuses
//    it with "channel engaged" and names the holder.
//
// Thread contract: pure function; audio thread safe (no allocation).
#pragma once

#include "core/Command.h"
#include "core/RoutingState.h"
#include "core/Topology.h"

namespace dragoman::core {

struct InterlockDecision {
    Refusal refusal = Refusal::None; // None: the desk may go live
    int holder = -1;                 // who holds what was refused
    int handover = -1;               // the booth-mate to switch off
    int displaced = -1;              // the other booth's desk to switch off
};

InterlockDecision arbitrate(const Topology& topology, const RoutingState& state, int desk,
                            int channel) noexcept;

} // namespace dragoman::core

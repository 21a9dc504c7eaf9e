// Derived routing: what each desk actually hears (its incoming select, unless auto-relay
// replaces the floor) and each channel's source and quality tag:
//  - no live desk: `floor` with auto-floor on, silent with it off;
//  - a live desk hearing the floor, or a channel that is itself carrying the floor: `+`;
//  - a live desk hearing an interpreted channel (relay, however deep): `−`.
// Auto-relay: the first pivot booth (venue order) with a live desk replaces the floor for
// every desk of the other booths that listens to the floor, unless that desk feeds the pivot
// channel itself.
//
// Thread contract: pure function over pre-sized state; audio thread safe (no allocation).
#pragma once

#include "core/RoutingState.h"
#include "core/Topology.h"

namespace dragoman::core {

// Recomputes liveDesk, sourceDesk, outChannel, hearing, pivotChannel and tags from the
// primary state (mic keys, slots, incoming selects, auto-floor, auto-relay).
void deriveRouting(const Topology& topology, RoutingState& state) noexcept;

} // namespace dragoman::core

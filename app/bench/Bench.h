// dragoman-bench's cases. Each prints one JSON object per line to stdout; none is a test: run
// them on the machine you care about, quiet.
//
// Thread contract: the bench's main thread (each case starts what threads it needs).
#pragma once

#include "venue/Venue.h"

#include <cstddef>
#include <filesystem>
#include <string>

namespace dragoman::bench {

struct EngineCase {
    std::string name;
    venue::Venue venue;
};

// Engine::process() per block: ns_per_block (median), p99_ns, period_ns, load.
void runEngine(const EngineCase& c, std::size_t frames, std::size_t blocks);

// Opus encoding of `speech` (48 kHz mono) for each application mode: CPU time per second of
// audio for one channel.
void runEncode(const std::vector<float>& speech);

// RTP fan-out: 2,000 unicast subscribers on loopback across 5 channels, from one sender thread:
// packets and datagrams per second, and the CPU the sender thread takes. `seconds` per mode.
void runFanout(double seconds);

// The control API's WebSocket on loopback (needs a QCoreApplication): `presses` mic presses,
// each timed from the command sent to the state frame that shows it (median, p99); then
// `subscribers` sockets taking meters at 30 Hz for `seconds`, and the CPU the router's thread
// (this one) takes for them.
void runWebSocket(const venue::Venue& venue, int presses, int subscribers, double seconds);

} // namespace dragoman::bench

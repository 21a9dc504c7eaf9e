// What a render did, for people and for tests: every event with the engine's answer, the
// routing after every change, the final meters and the channel taps' counters. Written as
// log.json beside the rendered outputs.
//
// Thread contract: plain values; toJson()/writeLog() on the control thread (may allocate,
// writeLog throws std::runtime_error).
#pragma once

#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "venue/Venue.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dragoman::render {

struct EventRecord {
    double time = 0.0; // seconds, as written in the script
    std::uint64_t frame = 0;
    int line = 0;
    std::string text;
    bool applied = false;  // false: the event lies at or after the end of the render
    bool accepted = false; // the engine's answer
    std::string reason;    // why it was refused or not applied; empty when accepted
    int holder = -1;       // flat desk holding the channel or booth (refusals), -1 = none
    int handover = -1;     // the booth-mate switched off by a handover, -1 = none
    int displaced = -1;    // another booth's desk switched off by an override, -1 = none
};

// The routing as the engine published it after the events at `frame` were applied.
struct RoutingRecord {
    double time = 0.0;
    std::uint64_t frame = 0;
    std::vector<int> lines; // the script lines applied at this time (none for the start)
    core::RoutingState state;
};

struct MeterRecords {
    std::vector<core::MeterReading> floorMics;  // venue.floorMics order
    std::vector<core::MeterReading> deskMics;   // flat desk index
    std::vector<core::MeterReading> channels;   // [0] = floor
    std::vector<core::MeterReading> deskFeeds;  // flat desk index
    std::vector<core::LimiterReading> limiters; // flat desk index
};

struct TapRecord {
    std::uint64_t pushed = 0;
    std::uint64_t overruns = 0;
};

struct RenderLog {
    int sampleRate = 0;
    std::uint64_t frames = 0;
    std::size_t blockSize = 0;
    std::vector<EventRecord> events; // in the order they were applied
    std::vector<RoutingRecord> routing;
    MeterRecords meters;
    std::vector<TapRecord> taps; // per channel
};

// The log as JSON text (desk ids, channel codes and booth names taken from `venue`).
// Deterministic: the same log gives the same text.
std::string toJson(const RenderLog& log, const venue::Venue& venue);

// Writes toJson() to `file` atomically (temporary file beside it, then rename).
void writeLog(const RenderLog& log, const venue::Venue& venue, const std::filesystem::path& file);

} // namespace dragoman::render

// The offline renderer's core: runs the engine over whole input signals, applying each
// scripted event at its exact sample (blocks are split at event times), and reports what
// happened. No files here: the caller supplies the signals and receives the outputs.
//
// Thread contract: control thread; the engine's audio and control sides both run on the
// calling thread, one after the other. May allocate; throws std::invalid_argument for
// settings the venue cannot run.
#pragma once

#include "render/EventScript.h"
#include "render/RenderLog.h"
#include "venue/Venue.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <vector>

namespace dragoman::render {

struct RenderSettings {
    std::uint64_t frames = 0;  // how long to render, at the venue rate
    std::size_t blockSize = 0; // frames per engine call between events; 0 = the venue's
};

inline constexpr std::size_t kMinBlock = 16;
inline constexpr std::size_t kMaxBlock = 1024;

// Device input → its signal at the venue rate. Inputs not in the map are silent; signals
// shorter than the render are followed by silence.
using InputSignals = std::map<int, std::vector<float>>;

// Receives every device output's samples, block by block, in order (output index, samples).
using OutputSink = std::function<void(int output, std::span<const float> samples)>;

// Renders `settings.frames` frames. `events` must be in time order (parseEventScript's
// order); events at or after the end are reported as not applied.
RenderLog render(const venue::Venue& venue, const InputSignals& inputs,
                 std::span<const Event> events, const RenderSettings& settings,
                 const OutputSink& sink);

} // namespace dragoman::render

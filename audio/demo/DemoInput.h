// The live demo's audio callback: the device's inputs plus the demo's speech, through the
// engine. Each block it copies the device inputs into pre-allocated scratch buffers, adds the
// speech for the engine's current frames (DemoSpeech: floor clips on the floor mics, booth
// clips on the desk mics; every other input passes through unchanged) and calls
// engine.process(). The speech follows the engine's frame count, the same clock DemoSession
// uses for the script, so what is said and the routing changes stay aligned.
//
// Thread contract: construction and destruction on the control thread (allocates; throws
// DemoClipError for a missing or corrupt clip, std::invalid_argument as DemoSpeech does);
// process() on the audio thread only (wait-free: no allocation, lock or system call). The
// engine must outlive the DemoInput; the DemoSession is only read during construction (keep
// calling its due() on the control thread).
#pragma once

#include "core/Engine.h"
#include "demo/DemoClips.h"
#include "demo/DemoSession.h"
#include "demo/DemoSpeech.h"
#include "device/AudioCallback.h"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <vector>

namespace dragoman::demo {

class DemoInput final : public device::AudioCallback {
public:
    // Decodes the clips the session needs (session.clipNames()) from `clipsFolder` and keeps
    // them. `venue` must be the engine's venue. `maxBlock`: frames per engine call; longer
    // device blocks are processed in pieces.
    DemoInput(core::Engine& engine, const venue::Venue& venue, const DemoSession& session,
              const std::filesystem::path& clipsFolder, std::size_t maxBlock = 1024);
    // Reads already decoded clips in place: `clips` must outlive the DemoInput.
    DemoInput(core::Engine& engine, const DemoSession& session, const DemoClips& clips,
              std::size_t maxBlock = 1024);

    // Audio thread; wait-free. `inputs` and `outputs` hold the venue's deviceInputs and
    // deviceOutputs channels (configure the device with those counts); a null input reads as
    // silence, a null output is skipped.
    void process(const float* const* inputs, float* const* outputs,
                 std::size_t frames) noexcept override;

private:
    DemoInput(core::Engine& engine, const DemoSession& session,
              std::unique_ptr<const DemoClips> owned, const DemoClips* clips, std::size_t maxBlock);

    core::Engine& engine_;
    std::unique_ptr<const DemoClips> ownedClips_; // when constructed from a folder
    DemoSpeech speech_;
    std::size_t maxBlock_;
    std::vector<float> scratch_;       // deviceInputs x maxBlock
    std::vector<float*> scratchInput_; // into scratch_
    std::vector<float*> output_;       // the device outputs at the current piece
};

} // namespace dragoman::demo

#include "demo/DemoInput.h"

#include <algorithm>
#include <stdexcept>

namespace dragoman::demo {

DemoInput::DemoInput(core::Engine& engine, const venue::Venue& venue, const DemoSession& session,
                     const std::filesystem::path& clipsFolder, std::size_t maxBlock)
    : DemoInput(engine, session,
                std::make_unique<const DemoClips>(clipsFolder, session.clipNames()), nullptr,
                maxBlock) {
    if (!(venue == engine.venue()))
        throw std::invalid_argument("DemoInput: the venue is not the engine's venue");
}

DemoInput::DemoInput(core::Engine& engine, const DemoSession& session, const DemoClips& clips,
                     std::size_t maxBlock)
    : DemoInput(engine, session, nullptr, &clips, maxBlock) {
}

DemoInput::DemoInput(core::Engine& engine, const DemoSession& session,
                     std::unique_ptr<const DemoClips> owned, const DemoClips* clips,
                     std::size_t maxBlock)
    : engine_(engine)
    , ownedClips_(std::move(owned))
    , speech_(engine.venue(), session, ownedClips_ ? *ownedClips_ : *clips)
    , maxBlock_(maxBlock)
    , scratch_(static_cast<std::size_t>(engine.venue().deviceInputs) * maxBlock)
    , scratchInput_(static_cast<std::size_t>(engine.venue().deviceInputs))
    , output_(static_cast<std::size_t>(engine.venue().deviceOutputs)) {
    if (maxBlock == 0)
        throw std::invalid_argument("DemoInput: maxBlock must be at least 1");
    for (std::size_t i = 0; i < scratchInput_.size(); ++i)
        scratchInput_[i] = scratch_.data() + i * maxBlock_;
}

void DemoInput::process(const float* const* inputs, float* const* outputs,
                        std::size_t frames) noexcept {
    std::size_t done = 0;
    while (done < frames) {
        const std::size_t n = std::min(frames - done, maxBlock_);
        for (std::size_t i = 0; i < scratchInput_.size(); ++i) {
            const float* in = inputs ? inputs[i] : nullptr;
            if (in)
                std::copy_n(in + done, n, scratchInput_[i]);
            else
                std::fill_n(scratchInput_[i], n, 0.0f);
        }
        speech_.addTo(scratchInput_.data(), engine_.stats().frames, n);
        for (std::size_t o = 0; o < output_.size(); ++o)
            output_[o] = outputs && outputs[o] ? outputs[o] + done : nullptr;
        engine_.process(scratchInput_.data(), output_.data(), n);
        done += n;
    }
}

} // namespace dragoman::demo

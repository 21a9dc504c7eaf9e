// The engine as the device layer's callback, with nothing in between.
//
// Thread contract: process() on the audio thread (wait-free).
#pragma once

#include "core/Engine.h"
#include "device/AudioCallback.h"

namespace dragoman::router {

class EngineAudio final : public device::AudioCallback {
public:
    explicit EngineAudio(core::Engine& engine)
        : engine_(engine) {}

    void process(const float* const* inputs, float* const* outputs,
                 std::size_t frames) noexcept override {
        engine_.process(inputs, outputs, frames);
    }

private:
    core::Engine& engine_;
};

} // namespace dragoman::router

// What a device (or the virtual clock) drives: one call per block of audio.
//
// Thread contract: process() runs on the audio thread only, one call at a time (the device
// layer guarantees that a device stream and the virtual clock never run together); it must
// be wait-free: no allocation, lock, wait, log, throw or system call.
#pragma once

#include <cstddef>

namespace dragoman::device {

class AudioCallback {
public:
    virtual ~AudioCallback() = default;

    // `inputs`: the configured number of input channels, each `frames` samples, never null;
    // `outputs`: likewise for the output channels; the callee writes every output sample.
    virtual void process(const float* const* inputs, float* const* outputs,
                         std::size_t frames) noexcept = 0;
};

} // namespace dragoman::device

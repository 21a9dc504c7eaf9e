#include "loudness/LoudnessMeter.h"

#include <cmath>
#include <ebur128.h>
#include <stdexcept>

namespace dragoman::loudness {

namespace {

float toLufs(double value) {
    if (!std::isfinite(value) || value < kSilenceLufs)
        return kSilenceLufs;
    return static_cast<float>(value);
}

} // namespace

struct LoudnessMeter::State {
    ebur128_state* ebur128 = nullptr;
};

void LoudnessMeter::StateDeleter::operator()(State* state) const noexcept {
    ebur128_destroy(&state->ebur128);
    delete state;
}

LoudnessMeter::LoudnessMeter(int channels, int sampleRate)
    : channels_(static_cast<std::size_t>(channels))
    , updateFrames_(static_cast<std::uint64_t>(sampleRate / 10)) {
    for (auto& channel : channels_) {
        channel.state.reset(
            new State{ebur128_init(1, static_cast<unsigned long>(sampleRate), EBUR128_MODE_S)});
        if (!channel.state->ebur128)
            throw std::runtime_error("libebur128 could not create a loudness meter at " +
                                     std::to_string(sampleRate) + " Hz");
    }
}

LoudnessMeter::~LoudnessMeter() = default;

void LoudnessMeter::onPcm(int channel, const core::TapChunk& chunk) noexcept {
    if (channel < 0 || static_cast<std::size_t>(channel) >= channels_.size() || chunk.frames == 0)
        return;
    auto& c = channels_[static_cast<std::size_t>(channel)];
    if (ebur128_add_frames_float(c.state->ebur128, chunk.samples, chunk.frames) != EBUR128_SUCCESS)
        return;
    c.frames.fetch_add(chunk.frames, std::memory_order_relaxed);
    c.sinceUpdate += chunk.frames;
    if (c.sinceUpdate < updateFrames_)
        return;
    c.sinceUpdate = 0;
    double value = 0.0;
    if (ebur128_loudness_momentary(c.state->ebur128, &value) == EBUR128_SUCCESS)
        c.momentary.store(toLufs(value), std::memory_order_relaxed);
    if (ebur128_loudness_shortterm(c.state->ebur128, &value) == EBUR128_SUCCESS)
        c.shortTerm.store(toLufs(value), std::memory_order_relaxed);
}

LoudnessReading LoudnessMeter::read(int channel) const noexcept {
    if (channel < 0 || static_cast<std::size_t>(channel) >= channels_.size())
        return {};
    const auto& c = channels_[static_cast<std::size_t>(channel)];
    return {c.momentary.load(std::memory_order_relaxed),
            c.shortTerm.load(std::memory_order_relaxed), c.frames.load(std::memory_order_relaxed)};
}

} // namespace dragoman::loudness

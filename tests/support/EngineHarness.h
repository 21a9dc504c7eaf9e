// Runs an Engine over whole signals, as a device would, and collects every output.
#pragma once

#include "core/Engine.h"
#include "venue/VenueFile.h"

#include <map>
#include <string>
#include <vector>

namespace dragoman::test {

inline venue::Venue tirana() {
    return venue::load(std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/tirana.json");
}

class EngineHarness {
public:
    explicit EngineHarness(const venue::Venue& v, core::EngineOptions options = {})
        : engine(v, options)
        , inputs(static_cast<std::size_t>(v.deviceInputs))
        , outputs(static_cast<std::size_t>(v.deviceOutputs)) {}

    // Sets a device input's whole signal (shorter signals are padded with silence).
    void feed(int input, std::vector<float> signal) {
        inputs[static_cast<std::size_t>(input)] = std::move(signal);
    }

    // Renders `frames` more frames in blocks of `block`, appending to outputs.
    void run(std::size_t frames, std::size_t block = 128) {
        std::vector<const float*> in(inputs.size());
        std::vector<float*> out(outputs.size());
        std::vector<std::vector<float>> padded(inputs.size());
        for (std::size_t done = 0; done < frames;) {
            const std::size_t n = std::min(block, frames - done);
            for (std::size_t i = 0; i < inputs.size(); ++i) {
                padded[i].assign(n, 0.0f);
                for (std::size_t k = 0; k < n; ++k) {
                    const std::size_t at = position + k;
                    if (at < inputs[i].size())
                        padded[i][k] = inputs[i][at];
                }
                in[i] = padded[i].data();
            }
            for (std::size_t o = 0; o < outputs.size(); ++o) {
                outputs[o].resize(position + n);
                out[o] = outputs[o].data() + position;
            }
            engine.process(in.data(), out.data(), n);
            position += n;
            done += n;
        }
    }

    // Posts a command and returns the engine's answer after the next block.
    core::CommandResult command(const core::Command& c, std::size_t block = 128) {
        engine.post(c);
        run(block, block);
        core::CommandResult result;
        core::CommandResult last;
        while (engine.nextResult(result))
            last = result;
        return last;
    }

    const std::vector<float>& output(int device) const {
        return outputs[static_cast<std::size_t>(device)];
    }

    core::Engine engine;
    std::vector<std::vector<float>> inputs;
    std::vector<std::vector<float>> outputs;
    std::size_t position = 0;
};

} // namespace dragoman::test

// Input and output buffers for calling process() directly, as a device would: one vector per
// device channel plus the pointer arrays process() takes.
#pragma once

#include <cstddef>
#include <vector>

namespace dragoman::test {

struct DeviceBuffers {
    DeviceBuffers(int inputs, int outputs, std::size_t frames, float inputValue = 0.0f,
                  float outputValue = 0.0f)
        : in(static_cast<std::size_t>(inputs), std::vector<float>(frames, inputValue))
        , out(static_cast<std::size_t>(outputs), std::vector<float>(frames, outputValue)) {
        for (auto& c : in)
            inPtr.push_back(c.data());
        for (auto& c : out)
            outPtr.push_back(c.data());
    }

    std::vector<std::vector<float>> in;
    std::vector<std::vector<float>> out;
    std::vector<const float*> inPtr;
    std::vector<float*> outPtr;
};

} // namespace dragoman::test

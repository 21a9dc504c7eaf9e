#include "device/BlockRunner.h"

#include "rt/AllocationProbe.h"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace dragoman::device {

namespace {
constexpr double kLoadSmoothing = 0.1; // weight of the newest block, as PortAudio does

std::size_t size(int n) {
    return static_cast<std::size_t>(std::max(n, 0));
}
} // namespace

BlockRunner::BlockRunner(AudioCallback& callback, int inputs, int outputs, int maxBlock)
    : callback_(callback)
    , inputs_(std::max(inputs, 0))
    , outputs_(std::max(outputs, 0))
    , maxBlock_(std::max(maxBlock, 1))
    , silence_(size(maxBlock_), 0.0f)
    , scratch_(size(outputs_) * size(maxBlock_), 0.0f)
    , inPtrs_(size(inputs_), nullptr)
    , outPtrs_(size(outputs_), nullptr) {
}

void BlockRunner::run(const float* const* deviceInputs, int inputCount, float* const* deviceOutputs,
                      int outputCount, std::size_t frames, double sampleRate) noexcept {
    rt::AudioThreadScope audioThread;
    const auto begin = std::chrono::steady_clock::now();

    const std::size_t chunkMax = size(maxBlock_);
    for (std::size_t done = 0; done < frames;) {
        const std::size_t n = std::min(chunkMax, frames - done);
        for (int i = 0; i < inputs_; ++i) {
            const float* device =
                (deviceInputs != nullptr && i < inputCount) ? deviceInputs[i] : nullptr;
            inPtrs_[size(i)] = device != nullptr ? device + done : silence_.data();
        }
        for (int o = 0; o < outputs_; ++o) {
            float* device =
                (deviceOutputs != nullptr && o < outputCount) ? deviceOutputs[o] : nullptr;
            outPtrs_[size(o)] =
                device != nullptr ? device + done : scratch_.data() + size(o) * chunkMax;
        }
        callback_.process(inPtrs_.data(), outPtrs_.data(), n);
        done += n;
    }
    // Device outputs beyond the configured channels carry silence.
    if (deviceOutputs != nullptr)
        for (int o = outputs_; o < outputCount; ++o)
            if (deviceOutputs[o] != nullptr)
                std::memset(deviceOutputs[o], 0, frames * sizeof(float));

    const double busy =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    const double period = sampleRate > 0.0 ? static_cast<double>(frames) / sampleRate : 0.0;
    if (period > 0.0) {
        const double previous = load_.load(std::memory_order_relaxed);
        load_.store(previous + kLoadSmoothing * (busy / period - previous),
                    std::memory_order_relaxed);
        cycles_.record(busy / period);
    }
    lastBlock_.store(static_cast<int>(frames), std::memory_order_relaxed);
    callbacks_.fetch_add(1, std::memory_order_relaxed);
}

} // namespace dragoman::device

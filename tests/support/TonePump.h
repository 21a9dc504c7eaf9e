// The audio thread of the tests that drive an engine without a device: engine.process() on
// 128-frame blocks at a steady pace (real time by default), with sines on chosen inputs.
//
//   test::TonePump pump(engine, {{.input = 2, .hz = 1000, .peakDb = -20}});
//
// Thread contract: construct, stop() and destroy on the test's thread; the pump's own thread
// calls engine.process() until stop().
#pragma once

#include "core/Engine.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <thread>
#include <vector>

namespace dragoman::test {

// A sine on one device input: frequency (Hz), peak level (dBFS), and an optional slow
// amplitude wobble (0..1) so that meters move like speech.
struct Tone {
    int input = 0;
    double hz = 1000.0;
    double peakDb = -20.0;
    double wobble = 0.0;
};

class TonePump {
public:
    static constexpr std::size_t kBlock = 128;

    // `period`: the time between blocks; zero: real time at the venue's rate.
    TonePump(core::Engine& engine, std::vector<Tone> tones,
             std::chrono::microseconds period = std::chrono::microseconds(0))
        : engine_(engine)
        , tones_(std::move(tones)) {
        const auto& venue = engine.venue();
        buffers_.assign(tones_.size(), std::vector<float>(kBlock, 0.0f));
        silence_.assign(kBlock, 0.0f);
        inputs_.assign(static_cast<std::size_t>(venue.deviceInputs), silence_.data());
        for (std::size_t t = 0; t < tones_.size(); ++t)
            inputs_[static_cast<std::size_t>(tones_[t].input)] = buffers_[t].data();
        outputBuffers_.assign(static_cast<std::size_t>(venue.deviceOutputs),
                              std::vector<float>(kBlock, 0.0f));
        for (auto& buffer : outputBuffers_)
            outputs_.push_back(buffer.data());
        if (period.count() == 0)
            period = std::chrono::microseconds(kBlock * 1'000'000 /
                                               static_cast<unsigned>(venue.sampleRate));
        thread_ = std::thread([this, rate = venue.sampleRate, period] { run(rate, period); });
    }
    ~TonePump() { stop(); }
    TonePump(const TonePump&) = delete;
    TonePump& operator=(const TonePump&) = delete;

    void stop() {
        running_.store(false);
        if (thread_.joinable())
            thread_.join();
    }

private:
    void run(int rate, std::chrono::microseconds period) {
        constexpr double kTwoPi = 6.283185307179586;
        std::uint64_t frame = 0;
        auto next = std::chrono::steady_clock::now();
        while (running_.load()) {
            for (std::size_t t = 0; t < tones_.size(); ++t) {
                const auto& tone = tones_[t];
                const double amplitude = std::pow(10.0, tone.peakDb / 20.0);
                for (std::size_t k = 0; k < kBlock; ++k) {
                    const double time = static_cast<double>(frame + k) / rate;
                    const double envelope =
                        1.0 -
                        tone.wobble * 0.5 *
                            (1.0 + std::sin(kTwoPi * (0.7 + 0.37 * static_cast<double>(t)) * time));
                    buffers_[t][k] = static_cast<float>(amplitude * envelope *
                                                        std::sin(kTwoPi * tone.hz * time));
                }
            }
            engine_.process(inputs_.data(), outputs_.data(), kBlock);
            frame += kBlock;
            next += period;
            std::this_thread::sleep_until(next);
        }
    }

    core::Engine& engine_;
    std::vector<Tone> tones_;
    std::vector<std::vector<float>> buffers_;
    std::vector<float> silence_;
    std::vector<const float*> inputs_;
    std::vector<std::vector<float>> outputBuffers_;
    std::vector<float*> outputs_;
    std::atomic<bool> running_{true};
    std::thread thread_;
};

} // namespace dragoman::test

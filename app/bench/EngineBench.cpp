// The engine's case: how long Engine::process() takes per block at a busy moment.
#include "bench/Bench.h"
#include "core/Engine.h"
#include "device/AudioCallback.h"
#include "device/BlockRunner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

namespace dragoman::bench {

namespace {

// A realistic busy moment: every booth has one live desk (half of them on relay), desks
// listen to a mix of floor and relays, tone controls on, speech-like noise on every input.
void busySession(core::Engine& engine, const venue::Venue& v) {
    int desk = 0;
    const int channels = static_cast<int>(v.channels.size());
    for (std::size_t b = 0; b < v.booths.size(); ++b) {
        engine.post(core::Command::deskMic(desk, true));
        engine.post(core::Command::deskIn(desk, b % 2 ? 1 : 0));
        desk += static_cast<int>(v.booths[b].desks.size());
    }
    for (int d = 0; d < v.deskCount(); ++d) {
        engine.post(core::Command::deskBass(d, 3.0f));
        engine.post(core::Command::deskVolume(d, -3.0f));
        if (d % 3 == 1)
            engine.post(core::Command::deskIn(d, d % channels));
    }
}

} // namespace

void runEngine(const EngineCase& c, std::size_t frames, std::size_t blocks) {
    core::Engine engine(c.venue);
    busySession(engine, c.venue);
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 0.05f);
    std::vector<std::vector<float>> in(static_cast<std::size_t>(c.venue.deviceInputs),
                                       std::vector<float>(frames * 16));
    for (auto& channel : in)
        for (auto& s : channel)
            s = noise(rng);
    std::vector<std::vector<float>> out(static_cast<std::size_t>(c.venue.deviceOutputs),
                                        std::vector<float>(frames));
    std::vector<const float*> inPtr(in.size());
    std::vector<float*> outPtr;
    for (auto& o : out)
        outPtr.push_back(o.data());
    core::TapChunk chunk;
    // The blocks go through the device layer's BlockRunner, as on a device, so its cycle
    // histogram (what /api/state's device.cycle shows) is measured too.
    struct Callback final : device::AudioCallback {
        core::Engine& engine;
        explicit Callback(core::Engine& e)
            : engine(e) {}
        void process(const float* const* inputs, float* const* outputs,
                     std::size_t n) noexcept override {
            engine.process(inputs, outputs, n);
        }
    } callback(engine);
    device::BlockRunner runner(callback, c.venue.deviceInputs, c.venue.deviceOutputs,
                               static_cast<int>(frames));

    std::vector<double> ns;
    ns.reserve(blocks);
    const std::size_t warmup = blocks / 10 + 10;
    for (std::size_t b = 0; b < blocks + warmup; ++b) {
        for (std::size_t i = 0; i < in.size(); ++i)
            inPtr[i] = in[i].data() + (b % 16) * frames;
        const auto t0 = std::chrono::steady_clock::now();
        runner.run(inPtr.data(), static_cast<int>(inPtr.size()), outPtr.data(),
                   static_cast<int>(outPtr.size()), frames, c.venue.sampleRate);
        const auto t1 = std::chrono::steady_clock::now();
        if (b >= warmup)
            ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
        for (int ch = 0; ch < static_cast<int>(c.venue.channels.size()); ++ch)
            while (engine.tap(ch).pop(chunk)) {
            }
        core::CommandResult r;
        while (engine.nextResult(r)) {
        }
    }
    std::sort(ns.begin(), ns.end());
    const double median = ns[ns.size() / 2];
    const double p99 = ns[ns.size() * 99 / 100];
    const double period = 1e9 * static_cast<double>(frames) / c.venue.sampleRate;
    const auto cycles = runner.cycles(); // warm-up included
    std::printf("{\"case\":\"%s\",\"frames\":%zu,\"desks\":%d,\"channels\":%zu,\"blocks\":%zu,"
                "\"ns_per_block\":%.0f,\"p99_ns\":%.0f,\"period_ns\":%.0f,\"load\":%.4f,"
                "\"cycle_p50\":%.4f,\"cycle_p99\":%.4f,\"cycle_max\":%.4f}\n",
                c.name.c_str(), frames, c.venue.deskCount(), c.venue.channels.size(), ns.size(),
                median, p99, period, median / period, cycles.percentile(0.5),
                cycles.percentile(0.99), cycles.max);
    std::fflush(stdout);
}

} // namespace dragoman::bench

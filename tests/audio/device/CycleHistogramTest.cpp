// The callback's cycle-time histogram: percentiles from the buckets, the exact worst cycle,
// and the device layer filling it for every block it runs (on the virtual clock).
#include "device/CycleHistogram.h"

#include "device/AudioRunner.h"
#include "device/BlockRunner.h"
#include "rt/AllocationProbe.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

using namespace dragoman;

TEST_CASE("Cycle histogram: percentiles are the upper edge of the bucket that holds them",
          "[device][cycle]") {
    struct Case {
        std::vector<double> shares;
        double p50, p99, max;
    };
    const std::vector<Case> cases = {
        {{}, 0.0, 0.0, 0.0},
        {{0.0101}, 0.0101, 0.0101, 0.0101}, // one cycle: the exact max caps its bucket's edge
        {{0.01, 0.01, 0.01, 0.5}, 0.011, 0.5, 0.5},
        {std::vector<double>(99, 0.02), 0.02, 0.02, 0.02}, // the bucket's edge, capped by max
        {{0.02, 0.03, 1.7}, 0.031, 1.7, 1.7}, // a late cycle lands in the overflow bucket
        {{-1.0, 0.0}, 0.0, 0.0, 0.0},         // nothing below zero
    };
    for (const auto& c : cases) {
        device::CycleHistogram h;
        for (double s : c.shares)
            h.record(s);
        const auto snap = h.snapshot();
        INFO(c.shares.size() << " cycles");
        CHECK(snap.cycles == c.shares.size());
        CHECK(snap.max == Approx(c.max));
        CHECK(snap.percentile(0.5) == Approx(c.p50));
        CHECK(snap.percentile(0.99) == Approx(c.p99));
    }
}

TEST_CASE("Cycle histogram: recording allocates nothing", "[device][cycle]") {
    device::CycleHistogram h;
    const auto before = rt::audioThreadAllocations();
    {
        rt::AudioThreadScope audio;
        for (int i = 0; i < 10000; ++i)
            h.record(i * 1e-4);
    }
    CHECK(rt::audioThreadAllocations() == before);
    CHECK(h.snapshot().cycles == 10000);
}

TEST_CASE("The device layer measures every cycle, and its status reports the percentiles",
          "[device][cycle]") {
    struct Busy final : device::AudioCallback {
        void process(const float* const*, float* const* outputs,
                     std::size_t frames) noexcept override {
            // About a quarter of a 128-frame period at 48 kHz (2.67 ms): 0.67 ms of spinning.
            const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(667);
            while (std::chrono::steady_clock::now() < until) {
            }
            for (std::size_t f = 0; f < frames; ++f)
                outputs[0][f] = 0.0f;
        }
    } busy;
    device::AudioSettings settings;
    settings.audio = "virtual";
    settings.inputs = 1;
    settings.outputs = 1;
    device::AudioRunner runner(busy, settings);
    runner.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto status = runner.status();
    runner.stop();
    REQUIRE(status.cycles > 50);
    CHECK(status.cycles <= status.callbacks);
    CHECK(status.cycleP50 >= 0.25);
    CHECK(status.cycleP50 <= status.cycleP99);
    CHECK(status.cycleP99 <= status.cycleMax + 1e-9);
    CHECK_FALSE(status.cycleBuckets.empty());
    std::uint64_t counted = 0;
    for (const auto& [bucket, count] : status.cycleBuckets)
        counted += count;
    CHECK(counted == status.cycles);
}

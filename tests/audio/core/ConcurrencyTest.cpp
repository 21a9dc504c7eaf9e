// The engine's thread contracts under real concurrency (run it under the tsan preset): an
// audio thread, a control thread posting commands and reading the routing, a meter reader and
// an encoder thread draining a tap, all at once.
#include "support/EngineHarness.h"
#include "support/Signals.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

using namespace dragoman;
using core::Command;

TEST_CASE("Audio, control, meter and tap threads run together without losing anything") {
    const auto v = test::tirana();
    core::Engine engine(v);
    const auto tone = test::sine(1000, -20, 128);
    std::vector<const float*> in(static_cast<std::size_t>(v.deviceInputs), tone.data());
    std::vector<std::vector<float>> outBuffers(static_cast<std::size_t>(v.deviceOutputs),
                                               std::vector<float>(128));
    std::vector<float*> out;
    for (auto& b : outBuffers)
        out.push_back(b.data());

    std::atomic<bool> stop{false};
    std::atomic<bool> encoderStop{false};
    std::atomic<std::uint64_t> blocks{0};
    std::thread audio([&] {
        while (!stop.load(std::memory_order_relaxed)) {
            engine.process(in.data(), out.data(), 128);
            blocks.fetch_add(1);
            std::this_thread::sleep_for(std::chrono::microseconds(200)); // a fast "device"
        }
    });
    std::atomic<float> loudest{-200.0f};
    std::thread meterReader([&] {
        while (!stop.load(std::memory_order_relaxed)) {
            for (int c = 0; c < 5; ++c)
                loudest = std::max(loudest.load(),
                                   engine.meters().read(core::MeterPoint::Channel, c).peakDb);
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    std::uint64_t tapFrames = 0;
    bool tapContiguous = true;
    std::thread encoder([&] {
        core::TapChunk chunk;
        for (;;) {
            const bool last = encoderStop.load(); // the audio thread has stopped: one final drain
            while (engine.tap(1).pop(chunk)) {
                tapContiguous = tapContiguous && chunk.frame == tapFrames;
                tapFrames += chunk.frames;
            }
            if (last)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });

    // The control thread: toggle desks, collect every answer, watch the routing.
    std::uint32_t posted = 0;
    std::uint32_t answered = 0;
    for (int round = 0; round < 200; ++round) {
        const int desk = round % 8;
        if (engine.post(Command::deskMic(desk, round % 3 != 2).withId(posted)))
            ++posted;
        core::CommandResult result;
        while (engine.nextResult(result)) {
            CHECK(result.id == answered);
            ++answered;
        }
        const auto& routing = engine.routing();
        int live = 0;
        for (const auto& d : routing.desks)
            live += d.mic ? 1 : 0;
        CHECK(live <= 4); // at most one per booth, in whatever version we see
        std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
    while (answered < posted) {
        core::CommandResult result;
        if (engine.nextResult(result))
            ++answered;
        std::this_thread::yield();
    }
    stop = true;
    audio.join();
    meterReader.join();
    encoderStop = true;
    encoder.join();

    CHECK(answered == posted);
    CHECK(blocks.load() > 0);
    CHECK(loudest.load() > -21.0f);
    CHECK(tapContiguous);
    CHECK(tapFrames == engine.stats().frames);
    CHECK(engine.tap(1).overruns() == 0);
}

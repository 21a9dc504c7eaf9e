// The audio thread is sacred: DemoInput::process() never allocates, while the session's
// commands arrive. This binary links the allocation hooks (audio/rt), which count every
// allocation made inside an rt::AudioThreadScope.
#include "DemoFixture.h"
#include "core/Engine.h"
#include "demo/DemoInput.h"
#include "rt/AllocationProbe.h"
#include "support/DeviceBuffers.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

using namespace dragoman;

TEST_CASE("The allocation counter sees an allocation on the audio thread (the test can fail)") {
    REQUIRE(rt::hooksInstalled());
    const auto before = rt::audioThreadAllocations();
    {
        rt::AudioThreadScope audioThread;
        static void* volatile kept;
        kept = ::operator new(64); // a call, not a new-expression: never elided
        ::operator delete(kept);
    }
    CHECK(rt::audioThreadAllocations() >= before + 2);
}

TEST_CASE("DemoInput::process() makes no heap allocation while the session runs") {
    const auto& venue = test::demoVenue();
    auto session = test::demoSession(); // a copy: due() changes it
    core::Engine engine(venue);
    demo::DemoInput input(engine, session, test::demoClips());

    test::DeviceBuffers buffers(venue.deviceInputs, venue.deviceOutputs, 4096, 0.01f);
    auto& inPtr = buffers.inPtr;
    auto& outPtr = buffers.outPtr;

    // The audio thread runs 100 s of session (more than a loop) in blocks of many sizes, some
    // larger than DemoInput's 1024-frame pieces; the control thread posts what is due.
    const auto end = static_cast<std::uint64_t>(100.0 * venue.sampleRate);
    std::atomic<bool> done{false};
    std::atomic<std::uint64_t> allocations{0};
    std::thread audio([&] {
        const auto before = rt::audioThreadAllocations();
        {
            rt::AudioThreadScope audioThread;
            const std::size_t sizes[] = {128, 64, 256, 4096, 100, 37, 1024, 1025, 1};
            for (std::size_t block = 0; engine.stats().frames < end; ++block)
                input.process(inPtr.data(), outPtr.data(), sizes[block % std::size(sizes)]);
        }
        allocations = rt::audioThreadAllocations() - before;
        done = true;
    });
    std::size_t posted = 0;
    while (!done.load()) {
        for (const auto& c : session.due(engine.stats().frames))
            posted += engine.post(c) ? 1 : 0;
        core::CommandResult result;
        while (engine.nextResult(result)) {
        }
        std::this_thread::yield();
    }
    audio.join();
    CHECK(allocations.load() == 0u);
    CHECK(posted > session.events().size()); // the script ran, past a loop start
}

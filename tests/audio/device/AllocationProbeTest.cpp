// The probe counts what it should: allocations inside an AudioThreadScope, and nothing else.
#include "rt/AllocationProbe.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

using namespace dragoman;

namespace {
// Keeps the optimiser from removing an allocation/free pair.
void* volatile sink = nullptr;
} // namespace

TEST_CASE("the allocation hooks count allocations on the audio thread only", "[rt]") {
    REQUIRE(rt::hooksInstalled());

    const auto before = rt::audioThreadAllocations();
    { // off the audio thread: not counted
        auto v = std::make_unique<std::vector<int>>(1000);
        sink = v.get();
    }
    CHECK(rt::audioThreadAllocations() == before);

    std::thread audio([] {
        rt::AudioThreadScope scope;
        CHECK(rt::inAudioThread());
        auto* p = new int[16]; // new + delete: counted
        sink = p;
        delete[] p;
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
        void* m = std::malloc(32); // the C allocator too, where no sanitizer owns it
        sink = m;
        std::free(m);
#endif
    });
    audio.join();
    CHECK_FALSE(rt::inAudioThread());
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    CHECK(rt::audioThreadAllocations() - before >= 4);
#else
    CHECK(rt::audioThreadAllocations() - before >= 2);
#endif
}

TEST_CASE("an audio thread scope nests and restores the flag", "[rt]") {
    CHECK_FALSE(rt::inAudioThread());
    {
        rt::AudioThreadScope outer;
        {
            rt::AudioThreadScope inner;
            CHECK(rt::inAudioThread());
        }
        CHECK(rt::inAudioThread());
    }
    CHECK_FALSE(rt::inAudioThread());
}

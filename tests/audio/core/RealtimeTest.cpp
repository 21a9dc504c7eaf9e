// The audio thread is sacred: process() never allocates, whatever commands arrive.
// This binary replaces the global allocation functions and counts every allocation made on
// the thread that runs process().
#include "core/Engine.h"
#include "support/DeviceBuffers.h"
#include "support/EngineHarness.h"
#include "venue/LargeVenue.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>
#include <thread>

// The replacements below pair malloc with free on purpose; GCC cannot see that through inlining.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
thread_local bool tlAudioThread = false;
std::atomic<long> audioAllocations{0};

void note() {
    if (tlAudioThread)
        audioAllocations.fetch_add(1, std::memory_order_relaxed);
}

void* allocate(std::size_t n) {
    note();
    if (void* p = std::malloc(n == 0 ? 1 : n))
        return p;
    throw std::bad_alloc();
}

void* allocateAligned(std::size_t n, std::align_val_t a) {
    note();
    const auto alignment = static_cast<std::size_t>(a);
    if (void* p = std::aligned_alloc(alignment, (n + alignment - 1) / alignment * alignment))
        return p;
    throw std::bad_alloc();
}
} // namespace

void* operator new(std::size_t n) {
    return allocate(n);
}
void* operator new[](std::size_t n) {
    return allocate(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    note();
    return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    note();
    return std::malloc(n == 0 ? 1 : n);
}
void* operator new(std::size_t n, std::align_val_t a) {
    return allocateAligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a) {
    return allocateAligned(n, a);
}
void operator delete(void* p) noexcept {
    note();
    std::free(p);
}
void operator delete[](void* p) noexcept {
    note();
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    note();
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    note();
    std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    note();
    std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    note();
    std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    note();
    std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    note();
    std::free(p);
}

// The C allocator too, where no sanitizer owns it.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void __libc_free(void*);
void* malloc(std::size_t n) {
    note();
    return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t s) {
    note();
    return __libc_calloc(n, s);
}
void* realloc(void* p, std::size_t n) {
    note();
    return __libc_realloc(p, n);
}
void free(void* p) {
    if (p)
        note();
    __libc_free(p);
}
}
#define DRAGOMAN_COUNTS_MALLOC 1
#endif

using namespace dragoman;
using core::Command;
using core::MonitorSource;

namespace {

// Every kind of command, accepted and refused, on a venue with `desks` desks.
std::vector<Command> everyCommand(const venue::Venue& v) {
    const int desks = v.deskCount();
    const int channels = static_cast<int>(v.channels.size());
    const int booths = static_cast<int>(v.booths.size());
    std::vector<Command> all;
    for (int d = 0; d < desks; ++d) {
        all.push_back(Command::deskMic(d, true));
        all.push_back(Command::deskCough(d, true));
        all.push_back(Command::deskCough(d, false));
        all.push_back(Command::deskOut(d, venue::Slot::B));
        all.push_back(Command::deskOut(d, venue::Slot::C)); // refused: no C
        all.push_back(Command::deskIn(d, (d + 1) % channels));
        all.push_back(Command::deskVolume(d, -6.0f));
        all.push_back(Command::deskVolume(d, 40.0f)); // refused
        all.push_back(Command::deskBass(d, 6.0f));
        all.push_back(Command::deskTreble(d, -6.0f));
        all.push_back(Command::deskOut(d, venue::Slot::A));
        all.push_back(Command::deskMic(d, false));
    }
    for (int b = 0; b < booths; ++b) {
        all.push_back(Command::boothInterlock(b, venue::InterlockMode::Interlock));
        all.push_back(Command::boothAutoRelay(b, b == 0));
    }
    for (int d = 0; d < desks; ++d)
        all.push_back(Command::deskMic(d, true)); // many refusals under interlock
    for (int c = 0; c < channels; ++c)
        all.push_back(Command::channelAutoFloor(c, c % 2 == 0)); // channel 0: refused
    for (auto source : {MonitorSource::Channel, MonitorSource::FloorMic, MonitorSource::DeskMic,
                        MonitorSource::DeskFeed})
        all.push_back(Command::monitorSource(source, 1));
    all.push_back(Command::deskMic(desks + 5, true)); // unknown desk
    return all;
}

void runAudioThreadWhileCommanding(const venue::Venue& v) {
    core::EngineOptions options;
    options.commandCapacity = 4096;
    core::Engine engine(v, options);
    test::DeviceBuffers buffers(v.deviceInputs, v.deviceOutputs, 4096);
    for (auto& channel : buffers.in) // loud: the limiters work too
        for (std::size_t i = 0; i < channel.size(); ++i)
            channel[i] = static_cast<float>(std::sin(0.05 * static_cast<double>(i))) * 2.0f;
    auto& inPtr = buffers.inPtr;
    auto& outPtr = buffers.outPtr;

    const auto commands = everyCommand(v);
    std::atomic<bool> done{false};
    std::thread audio([&] {
        tlAudioThread = true;
        const std::size_t sizes[] = {16, 64, 128, 256, 1024, 4096, 100, 37};
        for (std::size_t block = 0; !done.load() || block < 64; ++block)
            engine.process(inPtr.data(), outPtr.data(), sizes[block % std::size(sizes)]);
        tlAudioThread = false;
    });
    std::size_t answered = 0;
    for (const auto& c : commands) {
        while (!engine.post(c))
            std::this_thread::yield();
        core::CommandResult result;
        while (engine.nextResult(result))
            ++answered;
    }
    while (answered < commands.size()) {
        core::CommandResult result;
        if (engine.nextResult(result))
            ++answered;
        else
            std::this_thread::yield();
    }
    done = true;
    audio.join();
    CHECK(answered == commands.size());
    CHECK(engine.stats().resultsDropped == 0);
}

} // namespace

TEST_CASE("The allocation counter sees an allocation on the audio thread (the test can fail)") {
    audioAllocations = 0;
    tlAudioThread = true;
    static int* volatile sink = nullptr; // keeps the compiler from eliding the pair
    sink = new int(42);
    delete sink;
    tlAudioThread = false;
    CHECK(audioAllocations.load() >= 2); // (new may count its malloc too)
#ifdef DRAGOMAN_COUNTS_MALLOC
    audioAllocations = 0;
    tlAudioThread = true;
    void* raw = std::malloc(64);
    std::free(raw);
    tlAudioThread = false;
    CHECK(audioAllocations.load() >= 2); // (new may count its malloc too)
#endif
}

TEST_CASE("process() makes no heap allocation across every command (tirana)") {
    audioAllocations = 0;
    runAudioThreadWhileCommanding(test::tirana());
    CHECK(audioAllocations.load() == 0);
}

TEST_CASE("process() makes no heap allocation across every command (dcn-max)") {
    audioAllocations = 0;
    runAudioThreadWhileCommanding(venue::makeDcnMax());
    CHECK(audioAllocations.load() == 0);
}

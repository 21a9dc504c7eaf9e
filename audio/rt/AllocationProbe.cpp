#include "rt/AllocationProbe.h"

#include <atomic>

namespace dragoman::rt {

namespace {

// initial-exec: reading the flag never calls into the dynamic loader (which may allocate),
// so the allocation hooks can read it from inside malloc.
__attribute__((tls_model("initial-exec"))) thread_local bool tlAudioThread = false;

std::atomic<std::uint64_t> allocations{0};
std::atomic<bool> installed{false};

static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

} // namespace

AudioThreadScope::AudioThreadScope() noexcept
    : previous_(tlAudioThread) {
    tlAudioThread = true;
}

AudioThreadScope::~AudioThreadScope() {
    tlAudioThread = previous_;
}

std::uint64_t audioThreadAllocations() noexcept {
    return allocations.load(std::memory_order_relaxed);
}

bool hooksInstalled() noexcept {
    return installed.load(std::memory_order_relaxed);
}

bool inAudioThread() noexcept {
    return tlAudioThread;
}

void noteAudioThreadAllocation() noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
}

void markHooksInstalled() noexcept {
    installed.store(true, std::memory_order_relaxed);
}

} // namespace dragoman::rt

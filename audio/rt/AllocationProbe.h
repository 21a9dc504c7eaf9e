// Counts heap allocations made on the audio thread of a running program, so a soak run can
// prove the real-time rule holds outside the test suite too.
//
// The device layer marks its callback with an AudioThreadScope (a thread-local flag: no
// system call). The counting itself comes from replacing the global allocation functions,
// which only an executable may do: link the `dragoman_allocation_hooks` object library into
// it. Without the hooks, allocations() stays 0 and hooksInstalled() says false.
//
// Thread contract: AudioThreadScope on the audio thread (wait-free); the readers anywhere.
#pragma once

#include <cstdint>

namespace dragoman::rt {

class AudioThreadScope {
public:
    AudioThreadScope() noexcept;
    ~AudioThreadScope();
    AudioThreadScope(const AudioThreadScope&) = delete;
    AudioThreadScope& operator=(const AudioThreadScope&) = delete;

private:
    bool previous_;
};

// Allocations (and frees) seen inside an AudioThreadScope since the program started.
std::uint64_t audioThreadAllocations() noexcept;

// True when the allocation functions of this program are the counting ones.
bool hooksInstalled() noexcept;

// For the hooks: is the calling thread inside an AudioThreadScope? Count one allocation.
bool inAudioThread() noexcept;
void noteAudioThreadAllocation() noexcept;
void markHooksInstalled() noexcept;

} // namespace dragoman::rt

// Runs one block of audio through the AudioCallback: the part that every clock (a JACK
// client, a PortAudio stream, the virtual clock) shares. It marks the audio thread for the
// allocation probe, hands the callback exactly the configured channels (silence for inputs the
// device lacks, a scratch buffer for outputs it lacks), splits blocks longer than maxBlock,
// and counts blocks, xruns and the time spent in the callback.
//
// Thread contract: construction on the control thread (allocates everything run() needs);
// run() on the audio thread, one call at a time (the device layer never lets two clocks run
// together); it is wait-free: no allocation, lock, log or system call (the time stamps come
// from the vDSO clock). noteXrun() and the readers from any thread.
#pragma once

#include "device/AudioCallback.h"
#include "device/CycleHistogram.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace dragoman::device {

class BlockRunner {
public:
    BlockRunner(AudioCallback& callback, int inputs, int outputs, int maxBlock);
    BlockRunner(const BlockRunner&) = delete;
    BlockRunner& operator=(const BlockRunner&) = delete;

    int inputs() const noexcept { return inputs_; }
    int outputs() const noexcept { return outputs_; }
    int maxBlock() const noexcept { return maxBlock_; }

    // Audio thread. The device's channels: `deviceInputs[0..inputCount)` (a null array or
    // null entries read as silence) and `deviceOutputs[0..outputCount)` (null entries are
    // skipped), each `frames` long. Channels beyond the configured counts are left alone
    // (outputs zeroed); configured channels beyond the device's are silent / discarded.
    void run(const float* const* deviceInputs, int inputCount, float* const* deviceOutputs,
             int outputCount, std::size_t frames, double sampleRate) noexcept;

    // Any thread: an input overflow or output underflow happened.
    void noteXrun() noexcept { xruns_.fetch_add(1, std::memory_order_relaxed); }

    // Any thread.
    std::uint64_t callbacks() const noexcept { return callbacks_.load(std::memory_order_relaxed); }
    std::uint64_t xruns() const noexcept { return xruns_.load(std::memory_order_relaxed); }
    int lastBlockSize() const noexcept { return lastBlock_.load(std::memory_order_relaxed); }
    // Smoothed share of the block period spent in the callback (0..1, more when late).
    double cpuLoad() const noexcept { return load_.load(std::memory_order_relaxed); }
    // Every cycle's time as a share of its block's period (CycleHistogram.h).
    CycleHistogram::Snapshot cycles() const noexcept { return cycles_.snapshot(); }

private:
    AudioCallback& callback_;
    const int inputs_;
    const int outputs_;
    const int maxBlock_;
    std::vector<float> silence_;       // maxBlock zeros: the inputs a device lacks
    std::vector<float> scratch_;       // outputs × maxBlock: the outputs a device lacks
    std::vector<const float*> inPtrs_; // the callback's view of one chunk
    std::vector<float*> outPtrs_;

    std::atomic<std::uint64_t> callbacks_{0};
    std::atomic<std::uint64_t> xruns_{0};
    std::atomic<int> lastBlock_{0};
    std::atomic<double> load_{0.0};
    CycleHistogram cycles_;
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
    static_assert(std::atomic<double>::is_always_lock_free);
};

} // namespace dragoman::device

// Meter snapshots: the audio thread is the only writer; the console, the HTTP API and the
// renderer read them whenever they like (the UI polls at about 30 Hz). Each value is its own
// relaxed atomic: a reader may see one field a block newer than another, which no meter can
// show, and never blocks the audio thread.
//
// Thread contract: publish*() on the audio thread only (wait-free); read*() from any thread;
// store*() from the one writer of a bank that mirrors another (the remote console's copy of a
// router's meters), never on a bank the audio thread publishes to.
#pragma once

#include "dsp/Decibels.h"
#include "dsp/Limiter.h"
#include "dsp/Meter.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace dragoman::core {

// A meter as people read it, in dBFS (dsp::kSilenceDb for silence).
struct MeterReading {
    float peakDb = 0.0f;     // sample peak, with a falling peak hold (12 dB/s)
    float truePeakDb = 0.0f; // 4x oversampled (ITU-R BS.1770), same ballistics
    float rmsDb = 0.0f;      // 300 ms RMS
    std::uint32_t clips = 0; // samples at or over full scale, since start
};

// A desk feed's hearing protection, as the technician and interpreter see it.
struct LimiterReading {
    float gainReductionDb = 0.0f; // how much the limiter takes off now (>= 0)
    bool sustained = false;       // the lower, sustained limit is in force
    bool warning = false;         // the one-minute average is above the warning level
    float averageDb = 0.0f;       // one-minute average level (dBFS)
};

enum class MeterPoint : std::uint8_t { FloorMic, DeskMic, Channel, DeskFeed };

class MeterBank {
public:
    MeterBank(int floorMics, int desks, int channels);

    int count(MeterPoint point) const noexcept;

    MeterReading read(MeterPoint point, int index) const noexcept; // any thread
    LimiterReading limiter(int desk) const noexcept;               // any thread

    void publish(MeterPoint point, int index, const dsp::Meter& meter) noexcept; // audio thread
    void publishLimiter(int desk, const dsp::Limiter& limiter) noexcept;         // audio thread

    // A reading as read() gives it, stored back (dB to linear): a mirror's one writer. Indices
    // out of range are ignored.
    void store(MeterPoint point, int index, const MeterReading& reading) noexcept;
    void storeLimiter(int desk, const LimiterReading& reading) noexcept;

private:
    // Linear values: readers take the logarithms, the audio thread never does.
    struct Cell {
        std::atomic<float> peak{0.0f};
        std::atomic<float> truePeak{0.0f};
        std::atomic<float> meanSquare{0.0f};
        std::atomic<std::uint32_t> clips{0};
    };
    struct LimiterCell {
        std::atomic<float> minGain{1.0f};
        std::atomic<bool> sustained{false};
        std::atomic<bool> warning{false};
        std::atomic<float> averagePower{0.0f};
    };
    static_assert(std::atomic<float>::is_always_lock_free);
    static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
    static_assert(std::atomic<bool>::is_always_lock_free);

    const Cell& cell(MeterPoint point, int index) const noexcept;
    Cell& cell(MeterPoint point, int index) noexcept;

    int floorMics_;
    int desks_;
    int channels_;
    std::vector<Cell> cells_; // floor mics, desk mics, channels, desk feeds
    std::vector<LimiterCell> limiters_;
};

} // namespace dragoman::core

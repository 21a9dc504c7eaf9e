#include "core/MeterBank.h"

#include "dsp/Decibels.h"

#include <utility>

namespace dragoman::core {

MeterBank::MeterBank(int floorMics, int desks, int channels)
    : floorMics_(floorMics)
    , desks_(desks)
    , channels_(channels)
    , cells_(static_cast<std::size_t>(floorMics + 2 * desks + channels))
    , limiters_(static_cast<std::size_t>(desks)) {
}

int MeterBank::count(MeterPoint point) const noexcept {
    switch (point) {
    case MeterPoint::FloorMic:
        return floorMics_;
    case MeterPoint::DeskMic:
    case MeterPoint::DeskFeed:
        return desks_;
    case MeterPoint::Channel:
        return channels_;
    }
    return 0;
}

const MeterBank::Cell& MeterBank::cell(MeterPoint point, int index) const noexcept {
    std::size_t offset = 0;
    switch (point) {
    case MeterPoint::FloorMic:
        offset = 0;
        break;
    case MeterPoint::DeskMic:
        offset = static_cast<std::size_t>(floorMics_);
        break;
    case MeterPoint::Channel:
        offset = static_cast<std::size_t>(floorMics_ + desks_);
        break;
    case MeterPoint::DeskFeed:
        offset = static_cast<std::size_t>(floorMics_ + desks_ + channels_);
        break;
    }
    return cells_[offset + static_cast<std::size_t>(index)];
}

MeterBank::Cell& MeterBank::cell(MeterPoint point, int index) noexcept {
    return const_cast<Cell&>(std::as_const(*this).cell(point, index));
}

MeterReading MeterBank::read(MeterPoint point, int index) const noexcept {
    if (index < 0 || index >= count(point))
        return {dsp::kSilenceDb, dsp::kSilenceDb, dsp::kSilenceDb, 0};
    const auto& c = cell(point, index);
    return {dsp::gainToDb(c.peak.load(std::memory_order_relaxed)),
            dsp::gainToDb(c.truePeak.load(std::memory_order_relaxed)),
            dsp::powerToDb(c.meanSquare.load(std::memory_order_relaxed)),
            c.clips.load(std::memory_order_relaxed)};
}

LimiterReading MeterBank::limiter(int desk) const noexcept {
    if (desk < 0 || desk >= desks_)
        return {};
    const auto& c = limiters_[static_cast<std::size_t>(desk)];
    return {-dsp::gainToDb(c.minGain.load(std::memory_order_relaxed)),
            c.sustained.load(std::memory_order_relaxed), c.warning.load(std::memory_order_relaxed),
            dsp::powerToDb(c.averagePower.load(std::memory_order_relaxed))};
}

void MeterBank::publish(MeterPoint point, int index, const dsp::Meter& meter) noexcept {
    auto& c = cell(point, index);
    c.peak.store(meter.peak(), std::memory_order_relaxed);
    c.truePeak.store(meter.truePeak(), std::memory_order_relaxed);
    c.meanSquare.store(static_cast<float>(meter.meanSquare()), std::memory_order_relaxed);
    c.clips.store(meter.clips(), std::memory_order_relaxed);
}

void MeterBank::publishLimiter(int desk, const dsp::Limiter& limiter) noexcept {
    auto& c = limiters_[static_cast<std::size_t>(desk)];
    c.minGain.store(limiter.minGain(), std::memory_order_relaxed);
    c.sustained.store(limiter.sustained(), std::memory_order_relaxed);
    c.warning.store(limiter.warning(), std::memory_order_relaxed);
    c.averagePower.store(static_cast<float>(limiter.averagePower()), std::memory_order_relaxed);
}

void MeterBank::store(MeterPoint point, int index, const MeterReading& reading) noexcept {
    if (index < 0 || index >= count(point))
        return;
    const auto gain = [](float db) { return db <= dsp::kSilenceDb ? 0.0f : dsp::dbToGain(db); };
    auto& c = cell(point, index);
    c.peak.store(gain(reading.peakDb), std::memory_order_relaxed);
    c.truePeak.store(gain(reading.truePeakDb), std::memory_order_relaxed);
    const float rms = gain(reading.rmsDb);
    c.meanSquare.store(rms * rms, std::memory_order_relaxed);
    c.clips.store(reading.clips, std::memory_order_relaxed);
}

void MeterBank::storeLimiter(int desk, const LimiterReading& reading) noexcept {
    if (desk < 0 || desk >= desks_)
        return;
    auto& c = limiters_[static_cast<std::size_t>(desk)];
    c.minGain.store(dsp::dbToGain(-reading.gainReductionDb), std::memory_order_relaxed);
    c.sustained.store(reading.sustained, std::memory_order_relaxed);
    c.warning.store(reading.warning, std::memory_order_relaxed);
    const float average =
        reading.averageDb <= dsp::kSilenceDb ? 0.0f : dsp::dbToGain(reading.averageDb);
    c.averagePower.store(average * average, std::memory_order_relaxed);
}

} // namespace dragoman::core

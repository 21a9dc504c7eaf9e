#include "core/Engine.h"

#include "core/Routing.h"
#include "core/SpscQueue.h"
#include "core/Topology.h"
#include "core/TripleBuffer.h"
#include "dsp/Crossfader.h"
#include "dsp/Decibels.h"
#include "dsp/GainRamp.h"
#include "dsp/Limiter.h"
#include "dsp/Meter.h"
#include "dsp/ToneControl.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace dragoman::core {

namespace {

// Contiguous per-signal buffers of maxBlock samples each.
class BufferSet {
public:
    BufferSet(std::size_t count, std::size_t frames)
        : frames_(frames)
        , data_(count * frames) {}
    float* operator[](std::size_t i) noexcept { return data_.data() + i * frames_; }

private:
    std::size_t frames_;
    std::vector<float> data_;
};

std::size_t at(int index) {
    return static_cast<std::size_t>(index);
}

} // namespace

struct Engine::Impl {
    Impl(const venue::Venue& v, const EngineOptions& o)
        : venue(v)
        , options(o)
        , topology(v)
        , routing(v, topology)
        , commands(o.commandCapacity)
        , results(o.commandCapacity)
        , published(routing.state())
        , meters(static_cast<int>(topology.floorMicInput.size()), topology.desks, topology.channels)
        , channelBus(at(topology.channels), o.maxBlock)
        , deskMic(at(topology.desks), o.maxBlock)
        , deskFeed(at(topology.desks), o.maxBlock)
        , trimmedInput(at(v.deviceInputs), o.maxBlock)
        , monitorBuffer(o.maxBlock, 0.0f)
        , silence(o.maxBlock, 0.0f)
        , inputs(at(v.deviceInputs), nullptr)
        , outputs(at(v.deviceOutputs), nullptr)
        , deskMicSerial(at(topology.desks), 0)
        , cough(at(topology.desks))
        , feedSelect(at(topology.desks))
        , tone(at(topology.desks))
        , volume(at(topology.desks))
        , limiter(at(topology.desks))
        , toneApplied(at(topology.desks), {0.0f, 0.0f})
        , channelSelect(at(topology.channels))
        , channelTrim(at(topology.channels))
        , inputTrim(at(v.deviceInputs))
        , floorMicMeters(topology.floorMicInput.size())
        , deskMicMeters(at(topology.desks))
        , channelMeters(at(topology.channels))
        , deskFeedMeters(at(topology.desks)) {
        if (v.sampleRate <= 0 || o.maxBlock == 0 || topology.channels < 1)
            throw std::invalid_argument("engine: venue needs a sample rate and a floor channel");
        rampSamples = std::max(1, static_cast<int>(std::lround(o.rampMs * 1e-3 * v.sampleRate)));

        const dsp::Limiter::Settings protection{v.hearing.ceilingDbfs(), v.hearing.sustainedDbfs(),
                                                v.hearing.sustainedAfterMs,
                                                v.hearing.warningDbfs()};
        for (int k = 0; k < topology.desks; ++k) {
            tone[at(k)].prepare(v.sampleRate);
            limiter[at(k)].prepare(v.sampleRate, protection);
        }
        for (int c = 0; c < topology.channels; ++c)
            taps.push_back(std::make_unique<ChannelTap>(o.tapChunks));

        // Outputs nothing writes are kept silent.
        std::vector<bool> used(at(v.deviceOutputs), false);
        const auto mark = [&](int output) {
            if (output >= 0 && output < v.deviceOutputs)
                used[at(output)] = true;
        };
        for (int out : topology.channelLineOut)
            mark(out);
        for (int out : topology.deskHeadphones)
            mark(out);
        mark(topology.monitorLeft);
        mark(topology.monitorRight);
        for (int o2 = 0; o2 < v.deviceOutputs; ++o2)
            if (!used[at(o2)])
                unusedOutputs.push_back(o2);

        // Start in the routing state the venue describes, without fades.
        const auto& state = routing.state();
        for (int c = 1; c < topology.channels; ++c)
            channelSelect[at(c)].reset(channelSourceFor(state, c));
        for (int k = 0; k < topology.desks; ++k)
            feedSelect[at(k)].reset(state.desks[at(k)].hearing);
        monitorSelect.reset(monitorSourceFor(state));
        appliedVersion = state.version;
    }

    // ---- routing targets (audio thread, only when the routing changed) ----

    static int channelSourceFor(const RoutingState& state, int c) {
        const auto& channel = state.channels[at(c)];
        if (channel.sourceDesk >= 0)
            return 1 + channel.sourceDesk;
        return channel.autoFloor ? 0 : dsp::Crossfader::kSilence;
    }

    // Monitor sources: channels, then floor mics, then desk mics, then desk feeds.
    int monitorSourceFor(const RoutingState& state) const {
        const int floorMics = static_cast<int>(topology.floorMicInput.size());
        switch (state.monitor) {
        case MonitorSource::Channel:
            return state.monitorIndex;
        case MonitorSource::FloorMic:
            return topology.channels + state.monitorIndex;
        case MonitorSource::DeskMic:
            return topology.channels + floorMics + state.monitorIndex;
        case MonitorSource::DeskFeed:
            return topology.channels + floorMics + topology.desks + state.monitorIndex;
        }
        return 0;
    }

    void retarget(const RoutingState& state) noexcept {
        for (int c = 1; c < topology.channels; ++c) {
            const int source = channelSourceFor(state, c);
            if (source != channelSelect[at(c)].selected())
                channelSelect[at(c)].select(source, rampSamples);
        }
        for (int k = 0; k < topology.desks; ++k) {
            const auto& desk = state.desks[at(k)];
            const float coughTarget = desk.cough ? 0.0f : 1.0f;
            if (cough[at(k)].target() != coughTarget)
                cough[at(k)].setTarget(coughTarget, rampSamples);
            if (feedSelect[at(k)].selected() != desk.hearing)
                feedSelect[at(k)].select(desk.hearing, rampSamples);
            const float gain = desk.volumeDb <= kVolumeMinDb ? 0.0f : dsp::dbToGain(desk.volumeDb);
            if (volume[at(k)].target() != gain)
                volume[at(k)].setTarget(gain, rampSamples);
            auto& applied = toneApplied[at(k)];
            if (applied[0] != desk.bassDb) {
                tone[at(k)].setBassDb(desk.bassDb, rampSamples);
                applied[0] = desk.bassDb;
            }
            if (applied[1] != desk.trebleDb) {
                tone[at(k)].setTrebleDb(desk.trebleDb, rampSamples);
                applied[1] = desk.trebleDb;
            }
        }
        for (int c = 0; c < topology.channels; ++c) {
            const float gain = dsp::dbToGain(state.channels[at(c)].trimDb);
            if (channelTrim[at(c)].target() != gain)
                channelTrim[at(c)].setTarget(gain, rampSamples);
        }
        for (std::size_t i = 0; i < inputTrim.size() && i < state.inputTrimDb.size(); ++i) {
            const float gain = dsp::dbToGain(state.inputTrimDb[i]);
            if (inputTrim[i].target() != gain)
                inputTrim[i].setTarget(gain, rampSamples);
        }
        const int monitor = monitorSourceFor(state);
        if (monitor != monitorSelect.selected())
            monitorSelect.select(monitor, rampSamples);
    }

    void applyCommands() noexcept {
        Command command;
        for (int budget = kMaxCommandsPerBlock; budget > 0 && commands.try_dequeue(command);
             --budget) {
            CommandResult result = routing.apply(command);
            result.frame = frame;
            if (!results.try_enqueue(result))
                resultsDropped.fetch_add(1, std::memory_order_relaxed);
            commandsApplied.fetch_add(1, std::memory_order_relaxed);
        }
        const auto& state = routing.state();
        if (state.version != appliedVersion) {
            retarget(state);
            published.write() = state; // same sizes: element-wise copy, no allocation
            published.publish();
            appliedVersion = state.version;
        }
    }

    // ---- signal flow (audio thread) ----

    const float* input(int device) const noexcept {
        const float* p = device >= 0 ? inputs[at(device)] : nullptr;
        return p ? p : silence.data();
    }

    // A desk's microphone after its cough key, computed once per block on first use.
    const float* deskMicSignal(int k, std::size_t n) noexcept {
        float* buffer = deskMic[at(k)];
        if (deskMicSerial[at(k)] != serial) {
            std::copy_n(input(topology.deskMicInput[at(k)]), n, buffer);
            cough[at(k)].apply(buffer, n);
            deskMicSerial[at(k)] = serial;
        }
        return buffer;
    }

    void write(int device, const float* signal, std::size_t n) noexcept {
        if (device >= 0 && outputs[at(device)])
            std::copy_n(signal, n, outputs[at(device)]);
    }

    // Input trims: a trimmed input is copied once per block and read from the copy; inputs at
    // unity (the usual case) are read in place.
    void trimInputs(std::size_t n) noexcept {
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            auto& trim = inputTrim[i];
            if (!inputs[i] || (!trim.ramping() && trim.current() == 1.0f))
                continue;
            std::copy_n(inputs[i], n, trimmedInput[i]);
            trim.apply(trimmedInput[i], n);
            inputs[i] = trimmedInput[i];
        }
    }

    void processBlock(std::size_t n) noexcept {
        ++serial;
        trimInputs(n);
        const auto ballistics = dsp::Meter::Ballistics::forBlock(venue.sampleRate, n);

        // Floor mix: the sum of the floor microphones.
        float* floor = channelBus[0];
        std::fill_n(floor, n, 0.0f);
        for (std::size_t m = 0; m < topology.floorMicInput.size(); ++m) {
            const float* mic = input(topology.floorMicInput[m]);
            for (std::size_t i = 0; i < n; ++i)
                floor[i] += mic[i];
            floorMicMeters[m].process(mic, n, ballistics);
            meters.publish(MeterPoint::FloorMic, static_cast<int>(m), floorMicMeters[m]);
        }
        channelTrim[0].apply(floor, n);
        for (int k = 0; k < topology.desks; ++k) {
            deskMicMeters[at(k)].process(input(topology.deskMicInput[at(k)]), n, ballistics);
            meters.publish(MeterPoint::DeskMic, k, deskMicMeters[at(k)]);
        }

        // Channels: floor, a live desk or silence, crossfaded on every change.
        for (int c = 1; c < topology.channels; ++c) {
            channelSelect[at(c)].render(channelBus[at(c)], n, [&](int source) noexcept {
                return source == 0 ? channelBus[0] : deskMicSignal(source - 1, n);
            });
            channelTrim[at(c)].apply(channelBus[at(c)], n);
        }
        for (int c = 0; c < topology.channels; ++c) {
            const float* bus = channelBus[at(c)];
            channelMeters[at(c)].process(bus, n, ballistics);
            meters.publish(MeterPoint::Channel, c, channelMeters[at(c)]);
            taps[at(c)]->push(bus, n, frame);
            write(topology.channelLineOut[at(c)], bus, n);
        }

        // Desk feeds: incoming select -> tone -> volume -> hearing protection.
        for (int k = 0; k < topology.desks; ++k) {
            float* feed = deskFeed[at(k)];
            feedSelect[at(k)].render(feed, n,
                                     [&](int channel) noexcept { return channelBus[at(channel)]; });
            tone[at(k)].process(feed, n);
            volume[at(k)].apply(feed, n);
            limiter[at(k)].process(feed, n);
            deskFeedMeters[at(k)].process(feed, n, ballistics);
            meters.publish(MeterPoint::DeskFeed, k, deskFeedMeters[at(k)]);
            meters.publishLimiter(k, limiter[at(k)]);
            write(topology.deskHeadphones[at(k)], feed, n);
        }

        // Technician's monitor (PFL), the same signal on left and right.
        if (topology.monitorLeft >= 0 || topology.monitorRight >= 0) {
            const int floorMics = static_cast<int>(topology.floorMicInput.size());
            monitorSelect.render(monitorBuffer.data(), n, [&](int source) noexcept -> const float* {
                if (source < topology.channels)
                    return channelBus[at(source)];
                source -= topology.channels;
                if (source < floorMics)
                    return input(topology.floorMicInput[at(source)]);
                source -= floorMics;
                if (source < topology.desks)
                    return input(topology.deskMicInput[at(source)]);
                return deskFeed[at(source - topology.desks)];
            });
            write(topology.monitorLeft, monitorBuffer.data(), n);
            write(topology.monitorRight, monitorBuffer.data(), n);
        }

        for (int device : unusedOutputs)
            if (outputs[at(device)])
                std::fill_n(outputs[at(device)], n, 0.0f);
        frame += n;
    }

    venue::Venue venue;
    EngineOptions options;
    Topology topology;
    Routing routing;
    SpscQueue<Command> commands;
    SpscQueue<CommandResult> results;
    TripleBuffer<RoutingState> published;
    std::uint64_t appliedVersion = 0;
    MeterBank meters;

    BufferSet channelBus;
    BufferSet deskMic;
    BufferSet deskFeed;
    BufferSet trimmedInput;
    std::vector<float> monitorBuffer;
    std::vector<float> silence;
    std::vector<const float*> inputs;
    std::vector<float*> outputs;
    std::vector<std::uint64_t> deskMicSerial;
    std::uint64_t serial = 0;
    std::uint64_t frame = 0;
    int rampSamples = 240;

    std::vector<dsp::GainRamp> cough;
    std::vector<dsp::Crossfader> feedSelect;
    std::vector<dsp::ToneControl> tone;
    std::vector<dsp::GainRamp> volume;
    std::vector<dsp::Limiter> limiter;
    std::vector<std::array<float, 2>> toneApplied;
    std::vector<dsp::Crossfader> channelSelect;
    std::vector<dsp::GainRamp> channelTrim;
    std::vector<dsp::GainRamp> inputTrim;
    dsp::Crossfader monitorSelect;
    std::vector<dsp::Meter> floorMicMeters;
    std::vector<dsp::Meter> deskMicMeters;
    std::vector<dsp::Meter> channelMeters;
    std::vector<dsp::Meter> deskFeedMeters;
    std::vector<std::unique_ptr<ChannelTap>> taps;
    std::vector<int> unusedOutputs;

    std::atomic<std::uint64_t> framesDone{0};
    std::atomic<std::uint64_t> blocksDone{0};
    std::atomic<std::uint64_t> commandsApplied{0};
    std::atomic<std::uint64_t> commandsDropped{0};
    std::atomic<std::uint64_t> resultsDropped{0};
};

Engine::Engine(const venue::Venue& venue, EngineOptions options)
    : impl_(std::make_unique<Impl>(venue, options)) {
}

Engine::~Engine() = default;

void Engine::process(const float* const* inputs, float* const* outputs,
                     std::size_t frames) noexcept {
    auto& d = *impl_;
    d.applyCommands();
    std::size_t done = 0;
    while (done < frames) {
        const std::size_t n = std::min(frames - done, d.options.maxBlock);
        for (std::size_t i = 0; i < d.inputs.size(); ++i)
            d.inputs[i] = inputs && inputs[i] ? inputs[i] + done : nullptr;
        for (std::size_t o = 0; o < d.outputs.size(); ++o)
            d.outputs[o] = outputs && outputs[o] ? outputs[o] + done : nullptr;
        d.processBlock(n);
        done += n;
    }
    d.framesDone.store(d.frame, std::memory_order_relaxed);
    d.blocksDone.fetch_add(1, std::memory_order_relaxed);
}

bool Engine::post(const Command& command) noexcept {
    if (impl_->commands.try_enqueue(command))
        return true;
    impl_->commandsDropped.fetch_add(1, std::memory_order_relaxed);
    return false;
}

bool Engine::nextResult(CommandResult& result) noexcept {
    return impl_->results.try_dequeue(result);
}

const RoutingState& Engine::routing() noexcept {
    return impl_->published.read();
}

ChannelTap& Engine::tap(int channel) noexcept {
    return *impl_->taps[at(channel)];
}

Engine::Stats Engine::stats() const noexcept {
    const auto& d = *impl_;
    return {d.framesDone.load(std::memory_order_relaxed),
            d.blocksDone.load(std::memory_order_relaxed),
            d.commandsApplied.load(std::memory_order_relaxed),
            d.commandsDropped.load(std::memory_order_relaxed),
            d.resultsDropped.load(std::memory_order_relaxed)};
}

const venue::Venue& Engine::venue() const noexcept {
    return impl_->venue;
}

const MeterBank& Engine::meters() const noexcept {
    return impl_->meters;
}

} // namespace dragoman::core

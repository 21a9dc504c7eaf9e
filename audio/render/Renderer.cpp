#include "render/Renderer.h"

#include "core/Engine.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

namespace dragoman::render {

namespace {

std::size_t chooseBlock(const venue::Venue& venue, const RenderSettings& settings) {
    const std::size_t block =
        settings.blockSize != 0 ? settings.blockSize : static_cast<std::size_t>(venue.blockSize);
    if (block < kMinBlock || block > kMaxBlock)
        throw std::invalid_argument("block size " + std::to_string(block) + " is outside " +
                                    std::to_string(kMinBlock) + ".." + std::to_string(kMaxBlock));
    return block;
}

void checkInputs(const venue::Venue& venue, const InputSignals& inputs) {
    for (const auto& [input, signal] : inputs)
        if (input < 0 || input >= venue.deviceInputs)
            throw std::invalid_argument("device input " + std::to_string(input) +
                                        " is out of range: the venue has device inputs 0.." +
                                        std::to_string(venue.deviceInputs - 1));
}

// Per-block input buffers: each fed input copies its next samples (then silence) into its own
// buffer; inputs without a signal stay null, which the engine reads as silence.
class InputBlocks {
public:
    InputBlocks(const venue::Venue& venue, const InputSignals& inputs, std::size_t block)
        : pointers_(static_cast<std::size_t>(venue.deviceInputs), nullptr) {
        for (const auto& [input, signal] : inputs) {
            feeds_.push_back(
                {&signal, std::vector<float>(block, 0.0f), static_cast<std::size_t>(input)});
            pointers_[feeds_.back().slot] = feeds_.back().buffer.data();
        }
    }

    const float* const* fill(std::uint64_t frame, std::size_t frames) {
        for (auto& feed : feeds_) {
            const auto& samples = *feed.signal;
            const std::size_t start = std::min<std::uint64_t>(frame, samples.size());
            const std::size_t available = std::min(frames, samples.size() - start);
            std::copy_n(samples.begin() + static_cast<std::ptrdiff_t>(start), available,
                        feed.buffer.begin());
            std::fill(feed.buffer.begin() + static_cast<std::ptrdiff_t>(available),
                      feed.buffer.begin() + static_cast<std::ptrdiff_t>(frames), 0.0f);
        }
        return pointers_.data();
    }

private:
    struct Feed {
        const std::vector<float>* signal;
        std::vector<float> buffer;
        std::size_t slot;
    };
    std::vector<Feed> feeds_;
    std::vector<const float*> pointers_;
};

MeterRecords readMeters(const core::Engine& engine, const venue::Venue& venue) {
    const auto& bank = engine.meters();
    const auto all = [&](core::MeterPoint point, int count) {
        std::vector<core::MeterReading> readings;
        for (int i = 0; i < count; ++i)
            readings.push_back(bank.read(point, i));
        return readings;
    };
    MeterRecords meters;
    meters.floorMics = all(core::MeterPoint::FloorMic, static_cast<int>(venue.floorMics.size()));
    meters.deskMics = all(core::MeterPoint::DeskMic, venue.deskCount());
    meters.channels = all(core::MeterPoint::Channel, static_cast<int>(venue.channels.size()));
    meters.deskFeeds = all(core::MeterPoint::DeskFeed, venue.deskCount());
    for (int k = 0; k < venue.deskCount(); ++k)
        meters.limiters.push_back(bank.limiter(k));
    return meters;
}

} // namespace

RenderLog render(const venue::Venue& venue, const InputSignals& inputs,
                 std::span<const Event> events, const RenderSettings& settings,
                 const OutputSink& sink) {
    const std::size_t block = chooseBlock(venue, settings);
    checkInputs(venue, inputs);

    core::EngineOptions options;
    options.maxBlock = block;
    options.commandCapacity = std::max(options.commandCapacity, events.size());
    core::Engine engine(venue, options);

    RenderLog log;
    log.sampleRate = venue.sampleRate;
    log.frames = settings.frames;
    log.blockSize = block;

    for (const auto& event : events) {
        EventRecord record;
        record.time = event.time;
        record.frame = event.frame;
        record.line = event.line;
        record.text = event.text;
        record.reason = "after the end of the render";
        log.events.push_back(std::move(record));
    }

    const auto& initial = engine.routing();
    std::uint64_t version = initial.version;
    log.routing.push_back({0.0, 0, {}, initial});

    InputBlocks in(venue, inputs, block);
    std::vector<std::vector<float>> outBuffers(static_cast<std::size_t>(venue.deviceOutputs),
                                               std::vector<float>(block, 0.0f));
    std::vector<float*> out;
    for (auto& buffer : outBuffers)
        out.push_back(buffer.data());
    const auto chunk = std::make_unique<core::TapChunk>();

    RoutingRecord pending; // the events whose routing change is still to be recorded
    std::size_t next = 0;
    for (std::uint64_t frame = 0; frame < settings.frames;) {
        for (; next < events.size() && events[next].frame <= frame; ++next) {
            auto& record = log.events[next];
            record.applied = true;
            record.reason = "no answer from the engine";
            // The command's id is its event's index: the engine's answer finds its record.
            if (!engine.post(events[next].command.withId(static_cast<std::uint32_t>(next))))
                record.reason = "the engine's command queue is full";
            pending.time = events[next].time;
            pending.frame = frame;
            pending.lines.push_back(events[next].line);
        }
        std::uint64_t end = std::min<std::uint64_t>(frame + block, settings.frames);
        if (next < events.size())
            end = std::min(end, events[next].frame);
        const auto frames = static_cast<std::size_t>(end - frame);

        engine.process(in.fill(frame, frames), out.data(), frames);

        for (std::size_t o = 0; o < out.size(); ++o)
            sink(static_cast<int>(o), std::span<const float>(out[o], frames));
        for (int c = 0; c < static_cast<int>(venue.channels.size()); ++c)
            while (engine.tap(c).pop(*chunk)) {
            }
        core::CommandResult result;
        while (engine.nextResult(result)) {
            if (result.id >= log.events.size())
                continue;
            auto& record = log.events[result.id];
            record.frame = result.frame;
            record.accepted = result.accepted;
            record.reason = result.accepted ? "" : std::string(core::toString(result.reason));
            record.holder = result.holder;
            record.handover = result.handover;
            record.displaced = result.displaced;
        }
        if (const auto& state = engine.routing(); state.version != version) {
            version = state.version;
            if (pending.lines.empty()) { // a change no event asked for: record when it showed
                pending.frame = frame;
                pending.time = static_cast<double>(frame) / venue.sampleRate;
            }
            pending.state = state;
            log.routing.push_back(std::move(pending));
        }
        pending = {};
        frame = end;
    }

    log.meters = readMeters(engine, venue);
    for (int c = 0; c < static_cast<int>(venue.channels.size()); ++c)
        log.taps.push_back({engine.tap(c).pushed(), engine.tap(c).overruns()});
    return log;
}

} // namespace dragoman::render

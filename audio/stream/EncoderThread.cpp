#include "stream/EncoderThread.h"

#include "rt/HelperThreadPriority.h"

#include <stdexcept>
#include <string>

namespace dragoman::stream {

EncoderThread::EncoderThread(core::Engine& engine)
    : engine_(engine) {
    const auto& venue = engine.venue();
    if (venue.sampleRate != codec::OpusEncoder::kSampleRate)
        throw std::invalid_argument(
            "the encoders need the engine at 48000 Hz (Opus's native rate); the venue runs at " +
            std::to_string(venue.sampleRate) +
            " Hz and resampling for listeners is not supported: set \"sampleRate\": 48000");
    channels_.resize(venue.channels.size());
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        channels_[c].encoder =
            std::make_unique<ChannelEncoder>(static_cast<int>(c), venue.channels[c].opus);
        wakeFor(*channels_[c].encoder);
    }
}

// Half a frame for short frames, so a 2.5 ms packet is never a whole frame late.
void EncoderThread::wakeFor(const ChannelEncoder& encoder) {
    const auto halfFrame =
        std::chrono::microseconds(encoder.frameSamples() * 1'000'000LL / 48000 / 2);
    wake_ = std::min(wake_, halfFrame);
}

EncoderThread::~EncoderThread() {
    stop();
}

void EncoderThread::attach(PacketSink& sink) {
    for (std::size_t c = 0; c < channels_.size(); ++c)
        attach(static_cast<int>(c), sink);
}

void EncoderThread::attach(int channel, PacketSink& sink) {
    if (running())
        throw std::logic_error("EncoderThread::attach() after start()");
    channels_.at(static_cast<std::size_t>(channel)).sinks.push_back(&sink);
}

void EncoderThread::attachPcm(PcmSink& sink) {
    if (running())
        throw std::logic_error("EncoderThread::attachPcm() after start()");
    pcmSinks_.push_back(&sink);
}

void EncoderThread::attachEncoding(int channel, const venue::OpusSettings& settings,
                                   PacketSink& sink) {
    if (running())
        throw std::logic_error("EncoderThread::attachEncoding() after start()");
    auto& target = channels_.at(static_cast<std::size_t>(channel));
    target.more.push_back({std::make_unique<ChannelEncoder>(channel, settings), &sink});
    wakeFor(*target.more.back().encoder);
}

void EncoderThread::start() {
    if (running())
        return;
    stopping_.store(false, std::memory_order_relaxed);
    thread_ = std::thread([this] { run(); });
}

void EncoderThread::stop() {
    if (!running())
        return;
    stopping_.store(true, std::memory_order_release);
    thread_.join();
}

void EncoderThread::run() noexcept {
    rt::raiseHelperThread(); // real-time, below the audio threads (rt/HelperThreadPriority.h)
    while (!stopping_.load(std::memory_order_acquire)) {
        poll();
        std::this_thread::sleep_for(wake_);
    }
    poll(); // what the audio thread pushed before stop()
}

void EncoderThread::poll() noexcept {
    for (std::size_t c = 0; c < channels_.size(); ++c) {
        auto& tap = engine_.tap(static_cast<int>(c));
        auto& channel = channels_[c];
        while (tap.pop(chunk_)) {
            for (auto* sink : pcmSinks_)
                sink->onPcm(static_cast<int>(c), chunk_);
            if (!channel.sinks.empty() || (pcmSinks_.empty() && channel.more.empty()))
                channel.encoder->push(chunk_, channel.sinks);
            for (auto& more : channel.more)
                more.encoder->push(chunk_, std::span<PacketSink* const>(&more.sink, 1));
        }
    }
}

ChannelStats EncoderThread::stats(int channel) const noexcept {
    if (channel < 0 || static_cast<std::size_t>(channel) >= channels_.size())
        return {};
    return channels_[static_cast<std::size_t>(channel)].encoder->stats();
}

int EncoderThread::lookahead(int channel) const {
    return channels_.at(static_cast<std::size_t>(channel)).encoder->lookahead();
}

int EncoderThread::frameSamples(int channel) const {
    return channels_.at(static_cast<std::size_t>(channel)).encoder->frameSamples();
}

} // namespace dragoman::stream

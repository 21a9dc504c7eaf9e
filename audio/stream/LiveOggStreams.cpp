#include "stream/LiveOggStreams.h"

#include "stream/EncoderThread.h"
#include "venue/Venue.h"

#include <algorithm>

namespace dragoman::stream {

std::vector<LiveChannel> liveChannels(const venue::Venue& venue, const EncoderThread& encoders) {
    std::vector<LiveChannel> channels;
    const auto title = venue.name.empty() ? std::string("Dragoman") : venue.name;
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        const auto& channel = venue.channels[c];
        const auto label =
            channel.name.empty() ? channel.code : channel.name + " (" + channel.code + ")";
        channels.push_back(
            {channel.code,
             encoders.lookahead(static_cast<int>(c)),
             {"TITLE=" + title + " — " + label, "LANGUAGE=" + channel.code, "ENCODER=Dragoman"}});
    }
    return channels;
}

struct LiveOggStreams::Listener {
    int id = 0;
    int channel = 0;
    Output* output = nullptr;
    std::unique_ptr<OggPageStream> pages;
    std::uint64_t granule = 0; // 48 kHz samples sent so far
    std::uint64_t sent = 0;    // bytes given to the output
    struct Mark {
        std::uint64_t end;           // `sent` after the page
        std::uint64_t granuleBefore; // `granule` before the page's packet
    };
    std::deque<Mark> marks; // audio pages the output may not have passed on yet
};

LiveOggStreams::LiveOggStreams(std::vector<LiveChannel> channels, LiveOggOptions options)
    : channels_(std::move(channels))
    , options_(options)
    , queue_(options.queuePackets)
    , serials_(std::random_device{}()) {
}

LiveOggStreams::~LiveOggStreams() = default;

void LiveOggStreams::onPacket(const EncodedPacket& packet) {
    if (!queue_.try_enqueue(packet))
        queueDrops_.fetch_add(1, std::memory_order_relaxed);
}

int LiveOggStreams::add(int channel, Output& output) {
    const auto& description = channels_.at(static_cast<std::size_t>(channel));
    auto listener = std::make_unique<Listener>();
    listener->id = nextId_++;
    listener->channel = channel;
    listener->output = &output;
    listener->pages = std::make_unique<OggPageStream>(static_cast<int>(serials_()));
    const auto head = opusHead(description.preSkip);
    const auto tags = opusTags(description.comments);
    listener->pages->packetIn(head.data(), head.size(), 0, true, false);
    sendPages(*listener, true); // each header on its own page (RFC 7845 3)
    listener->pages->packetIn(tags.data(), tags.size(), 0, false, false);
    sendPages(*listener, true);
    listeners_.push_back(std::move(listener));
    return listeners_.back()->id;
}

void LiveOggStreams::remove(int id) {
    std::erase_if(listeners_, [id](const auto& listener) { return listener->id == id; });
}

void LiveOggStreams::sendPages(Listener& listener, bool force) {
    listener.pages->pagesOut(force, [&](const std::uint8_t* header, std::size_t headerBytes,
                                        const std::uint8_t* body, std::size_t bodyBytes) {
        page_.assign(header, header + headerBytes);
        page_.insert(page_.end(), body, body + bodyBytes);
        listener.output->send(page_.data(), page_.size());
        listener.sent += page_.size();
        return true;
    });
}

bool LiveOggStreams::tooSlow(Listener& listener) const {
    const std::uint64_t unsent = listener.output->unsent();
    const std::uint64_t passedOn = listener.sent - std::min(unsent, listener.sent);
    while (!listener.marks.empty() && listener.marks.front().end <= passedOn)
        listener.marks.pop_front();
    return !listener.marks.empty() &&
           listener.granule - listener.marks.front().granuleBefore > options_.maxQueuedSamples;
}

std::vector<int> LiveOggStreams::drain() {
    std::vector<int> dropped;
    while (queue_.try_dequeue(packet_)) {
        packets_.fetch_add(1, std::memory_order_relaxed);
        for (auto& listener : listeners_) {
            if (listener->channel != packet_.channel)
                continue;
            const auto before = listener->granule;
            listener->granule += packet_.durationSamples;
            listener->pages->packetIn(packet_.data.data(), packet_.bytes,
                                      static_cast<std::int64_t>(listener->granule), false, false);
            sendPages(*listener, true); // one packet per page, sent at once
            listener->marks.push_back({listener->sent, before});
        }
    }
    std::vector<Output*> outputs;
    for (const auto& listener : listeners_) {
        if (tooSlow(*listener)) {
            dropped.push_back(listener->id);
            outputs.push_back(listener->output);
        }
    }
    for (int id : dropped)
        remove(id);
    slowDropped_.fetch_add(dropped.size(), std::memory_order_relaxed);
    for (Output* output : outputs) // after the listeners are gone: it may add itself again
        output->dropped();
    return dropped;
}

std::optional<int> LiveOggStreams::channelIndex(std::string_view code) const {
    for (std::size_t c = 0; c < channels_.size(); ++c)
        if (channels_[c].code == code)
            return static_cast<int>(c);
    return std::nullopt;
}

int LiveOggStreams::listeners(int channel) const {
    return static_cast<int>(
        std::count_if(listeners_.begin(), listeners_.end(),
                      [channel](const auto& l) { return l->channel == channel; }));
}

LiveOggStreams::Stats LiveOggStreams::stats() const noexcept {
    return {packets_.load(std::memory_order_relaxed), queueDrops_.load(std::memory_order_relaxed),
            slowDropped_.load(std::memory_order_relaxed)};
}

} // namespace dragoman::stream

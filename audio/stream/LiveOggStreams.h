// Live Ogg Opus (RFC 7845) for HTTP listeners: every listener gets its own Ogg logical stream
// (its own serial number, OpusHead with the encoder's lookahead as pre-skip, OpusTags, then
// one packet per page, each page sent at once), with granule positions in 48 kHz samples
// counted from the first packet that listener received.
//
//   EncoderThread ─► onPacket() ─► pre-sized SPSC queue ─► drain() on the control thread ─►
//                                                           Output per listener (a socket)
//
// A listener whose connection holds more than `maxQueuedSamples` of audio it has not passed
// on (a slow or stalled peer) is dropped by drain(), counted, without touching the others.
// Discontinuities (a tap overrun) are not filled: a live listener just hears the next packet.
//
// Thread contract: onPacket() on the encoder thread only (wait-free: a full queue drops the
// packet and counts it). Everything else on the control thread (it may allocate); stats()
// from any thread. No sockets here: the caller supplies an Output per listener.
#pragma once

#include "core/SpscQueue.h"
#include "stream/EncodedPacket.h"
#include "stream/OggOpusWriter.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace dragoman::venue {
struct Venue;
}

namespace dragoman::stream {

class EncoderThread;

struct LiveChannel {
    std::string code;                  // "en": served as /stream/en.opus
    int preSkip = 0;                   // the channel encoder's lookahead, 48 kHz samples
    std::vector<std::string> comments; // OpusTags user comments
};

// Control thread: one LiveChannel per venue channel (floor included).
std::vector<LiveChannel> liveChannels(const venue::Venue& venue, const EncoderThread& encoders);

struct LiveOggOptions {
    std::size_t queuePackets = 1024;            // ~4 s of five 20 ms channels
    std::uint64_t maxQueuedSamples = 2 * 48000; // a listener further behind is dropped
};

class LiveOggStreams final : public PacketSink {
public:
    // Where one listener's bytes go (a socket). Control thread; must never block.
    class Output {
    public:
        virtual ~Output() = default;
        virtual void send(const std::uint8_t* data, std::size_t bytes) = 0;
        // Bytes given to send() that the connection has not passed on yet.
        virtual std::size_t unsent() const = 0;
        // drain() dropped this listener for falling behind (it is no longer added; whoever
        // owns the output closes it). Called from drain(), whoever called it.
        virtual void dropped() {}
    };

    explicit LiveOggStreams(std::vector<LiveChannel> channels, LiveOggOptions options = {});
    ~LiveOggStreams() override;
    LiveOggStreams(const LiveOggStreams&) = delete;
    LiveOggStreams& operator=(const LiveOggStreams&) = delete;

    // Encoder thread; wait-free.
    void onPacket(const EncodedPacket& packet) override;

    // Control thread. Sends the header pages to `output` at once and returns the listener's
    // id (> 0); `output` must stay valid until remove(id) or drain() dropped it.
    int add(int channel, Output& output);
    void remove(int id); // unknown ids are ignored
    // Hands every queued packet to its channel's listeners; returns the ids of the listeners
    // it dropped for being too slow (already removed, and told through Output::dropped()).
    // Several owners of outputs (the HTTP streams, the Icecast push) may each call it.
    std::vector<int> drain();

    int channelCount() const { return static_cast<int>(channels_.size()); }
    std::optional<int> channelIndex(std::string_view code) const;
    int listeners(int channel) const;

    struct Stats {
        std::uint64_t packets = 0;     // packets drained from the queue
        std::uint64_t queueDrops = 0;  // the queue was full (nobody drained it in time)
        std::uint64_t slowDropped = 0; // listeners dropped for falling behind
    };
    Stats stats() const noexcept;

private:
    struct Listener;
    void sendPages(Listener& listener, bool force);
    bool tooSlow(Listener& listener) const;

    std::vector<LiveChannel> channels_;
    LiveOggOptions options_;
    core::SpscQueue<EncodedPacket> queue_;
    EncodedPacket packet_; // the control thread's
    std::vector<std::unique_ptr<Listener>> listeners_;
    std::vector<std::uint8_t> page_;
    std::mt19937 serials_;
    int nextId_ = 1;
    std::atomic<std::uint64_t> packets_{0};
    std::atomic<std::uint64_t> queueDrops_{0};
    std::atomic<std::uint64_t> slowDropped_{0};
};

} // namespace dragoman::stream

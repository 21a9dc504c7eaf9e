// One tuned channel's receive path, from RTP datagrams to 48 kHz mono samples:
//
//   push() (network thread): parse, check, lock onto one SSRC, reception statistics (RFC 3550),
//          copy into a pre-allocated queue
//   render() (audio thread):  queue -> JitterBuffer (reordering, duplicates, late packets)
//          -> Opus decode; a lost packet is recovered from the next one's in-band FEC when that
//          one is already here, concealed (PLC) otherwise; when nothing is here at all the
//          channel conceals without moving on (the buffer grows by what the late packet needed),
//          in the steps the codec conceals cleanly (CELT 2.5 ms, SILK and hybrid 10 ms); a
//          packet that comes while such a step still plays takes over at once, faded in
//          over the concealment (the lost packet's FEC in the next one, from where the step
//          has reached)
//          -> DriftResampler, trimmed by the PlayoutController (bounded latency, clock drift)
//
// It starts playing once the first packets cover one device block, one packet and the safety
// margin, and fades in over a few milliseconds; after 200 ms with nothing to play it fades out and
// waits for the stream again.
//
// Thread contract: construction and destruction on the control thread (allocates); push() and
// receptionReport() on one network thread; render() on the audio thread (wait-free: no
// allocation, lock, wait or system call); stats() and the accessors from any thread.
#pragma once

#include "core/SpscQueue.h"
#include "receive/DelayHistogram.h"
#include "receive/DriftResampler.h"
#include "receive/JitterBuffer.h"
#include "receive/OpusDecoder.h"
#include "receive/PlayoutController.h"
#include "receive/ReceivedPacket.h"
#include "receive/ReceptionStats.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

namespace dragoman::receive {

struct ReceiveSettings {
    std::size_t queueCapacity = 512; // packets between the network and the audio thread
    PlayoutSettings playout;
    int fadeSamples = 240;             // 5 ms fade in after a start
    int maxStretchSamples = 9600;      // 200 ms of concealment with nothing to play: start over
    int resyncSamples = 24000;         // a timestamp jump of more than 0.5 s is a new start
    double ssrcSilenceSamples = 48000; // another SSRC is accepted after 1 s without ours
};

struct ReceiveStats {
    bool playing = false;
    std::uint32_t ssrc = 0;
    // network thread
    std::uint64_t datagrams = 0;
    std::uint64_t malformed = 0; // not RTP, not Opus, too large
    std::uint64_t foreign = 0;   // another SSRC or payload type
    std::uint64_t queueDrops = 0;
    std::int64_t expected = 0; // RFC 3550: packets the sequence numbers say were sent
    std::int64_t lost = 0;     // expected - received (duplicates make it smaller)
    std::uint64_t reordered = 0;
    double jitterMs = 0.0; // RFC 3550 interarrival jitter
    // audio thread
    std::uint64_t packets = 0;    // stored in the jitter buffer
    std::uint64_t duplicates = 0; // dropped: already here or already played
    std::uint64_t late = 0;       // dropped: arrived after their time had been concealed
    std::uint64_t overflow = 0;
    std::uint64_t decodedSamples = 0;
    std::uint64_t concealedSamples = 0; // FEC + PLC
    std::uint64_t fecFrames = 0;        // lost packets recovered from the next packet's FEC
    std::uint64_t plcFrames = 0;        // frames concealed
    std::uint64_t underruns = 0;        // times the buffer ran dry (the target grew)
    std::uint64_t resyncs = 0;
    std::uint64_t restarts = 0;          // went quiet for 200 ms and started over
    std::uint64_t compressedSamples = 0; // cut out to play a burst out at once
    double bufferMs = 0.0; // audio waiting to be played (0.5 s average): the path's latency
    int ppm = 0;           // the drift resampler's trim

    double lossPercent() const {
        return expected > 0 ? 100.0 * static_cast<double>(lost > 0 ? lost : 0) /
                                  static_cast<double>(expected)
                            : 0.0;
    }
    double concealedPercent() const {
        const auto total = decodedSamples + concealedSamples;
        return total > 0
                   ? 100.0 * static_cast<double>(concealedSamples) / static_cast<double>(total)
                   : 0.0;
    }
};

class ReceiveChannel {
public:
    explicit ReceiveChannel(ReceiveSettings settings = {});
    ReceiveChannel(const ReceiveChannel&) = delete;
    ReceiveChannel& operator=(const ReceiveChannel&) = delete;

    // Network thread. One UDP datagram, arrived at `arrivalSamples` on the receiver's clock
    // (48 kHz samples; only differences matter). False when it was dropped (counted).
    bool push(std::span<const std::uint8_t> datagram, double arrivalSamples) noexcept;
    // Network thread: the RTCP reception report block about the current source (ssrc 0 when
    // nothing has been received).
    stream::ReportBlock receptionReport() noexcept;

    // Audio thread: writes `frames` mono samples (silence until the stream plays).
    void render(float* out, std::size_t frames) noexcept;

    bool playing() const noexcept { return playing_.load(std::memory_order_acquire); }
    ReceiveStats stats() const noexcept;

private:
    enum class State { Waiting, Priming, Playing };

    void drain() noexcept;
    void restart() noexcept;
    void decodeNext() noexcept;
    void joinLatePacket() noexcept;
    double buffered() const noexcept;
    void publish(std::size_t frames) noexcept;

    const ReceiveSettings settings_;

    // Network thread.
    ReceptionStats reception_;
    DelayHistogram delays_;
    bool locked_ = false;
    std::uint32_t lockedSsrc_ = 0;
    double lastOwnArrival_ = 0.0;
    ReceivedPacket scratch_{};

    core::SpscQueue<ReceivedPacket> queue_;

    // Audio thread.
    State state_ = State::Waiting;
    std::uint32_t ssrc_ = 0;
    bool haveSsrc_ = false;
    std::uint32_t nextTs_ = 0;
    int lastDuration_ = 960;
    int stretch_ = 0;           // concealed while waiting for a late packet, time standing still
    int quiet_ = 0;             // concealed since the last packet played
    int lateRun_ = 0;           // packets in a row that came after their time
    bool waiting_ = false;      // the fifo holds concealment that waits for a late packet
    int concealStep_ = 120;     // samples: the least the codec of the last packet conceals cleanly
    double arrivalAhead_ = 0.0; // this block: the least audio ahead of a packet as it arrived
    int fadePos_ = 0;
    JitterBuffer jitter_;
    OpusDecoder decoder_;
    DriftResampler resampler_;
    PlayoutController controller_;
    ReceivedPacket incoming_{};
    std::array<float, OpusDecoder::kMaxFrameSamples> fifo_{};
    static constexpr std::size_t kJoinSamples = 120; // a late packet fades in over 2.5 ms
    std::array<float, kJoinSamples> joinTail_{};
    std::size_t fifoRead_ = 0;
    std::size_t fifoSize_ = 0;
    double bufferAverage_ = 0.0;
    bool wasPlaying_ = false;

    // Counters: each written by one thread, read by any.
    struct Counter {
        std::atomic<std::uint64_t> value{0};
        void add(std::uint64_t n = 1) noexcept {
            value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
        }
        void remove(std::uint64_t n) noexcept {
            value.store(value.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
        }
        std::uint64_t get() const noexcept { return value.load(std::memory_order_relaxed); }
    };
    Counter datagrams_, malformed_, foreign_, queueDrops_, reordered_;
    std::atomic<std::int64_t> expected_{0}, lost_{0};
    std::atomic<double> jitterMs_{0.0};
    std::atomic<double> waitSamples_{960.0}; // how long a late packet is worth waiting for
    std::atomic<std::uint32_t> publishedSsrc_{0};
    Counter notOpus_, packets_, duplicates_, late_, overflow_, decoded_, concealed_, fec_, plc_,
        underruns_, resyncs_, restarts_, compressed_;
    std::atomic<double> bufferMs_{0.0};
    std::atomic<int> ppm_{0};
    std::atomic<bool> playing_{false};
    static_assert(std::atomic<double>::is_always_lock_free);
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
};

} // namespace dragoman::receive

#include "receive/ReceiveChannel.h"

#include "receive/TimeCompression.h"
#include "stream/RtpPacket.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace dragoman::receive {

namespace {

constexpr double kSamplesPerMs = 48.0;
// Concealment comes in steps the codec can make: CELT conceals 2.5 ms at a time, SILK (and the
// SILK layer of hybrid) never less than 10 ms - asked for less, its state moves on 10 ms anyway
// and the next frame no longer joins what was played.
constexpr int kCeltStep = 120;
constexpr int kSilkStep = 480;
constexpr double kMaxWaitSamples = 9600.0; // never wait more than 200 ms for one packet
// More than 10 ms beyond what recent packets needed (a burst after a stall, a spell of late
// packets just over) is cut out of the next packets at once, down to 5 ms (the resampler plays
// out the rest): in cuts of 2.5 to 12.5 ms (one or more pitch periods), crossfaded over 5 ms.
constexpr double kCompressAbove = 480.0;
constexpr double kCompressKeep = 240.0;
constexpr std::size_t kMinCut = 120;
constexpr std::size_t kMaxCut = 600;
constexpr std::size_t kCutOverlap = 240;
constexpr double kNoArrival = std::numeric_limits<double>::infinity();

} // namespace

ReceiveChannel::ReceiveChannel(ReceiveSettings settings)
    : settings_(settings)
    , queue_(settings.queueCapacity)
    , controller_(settings.playout) {
}

// --- network thread -------------------------------------------------------------------------

bool ReceiveChannel::push(std::span<const std::uint8_t> datagram, double arrivalSamples) noexcept {
    datagrams_.add();
    const auto view = stream::parseRtpPacket(datagram);
    if (!view || view->payload.empty() || view->payload.size() > kMaxPayloadBytes) {
        malformed_.add();
        return false;
    }
    const auto& h = view->header;
    if (h.payloadType != stream::kOpusPayloadType) {
        foreign_.add();
        return false;
    }
    if (!locked_ || (h.ssrc != lockedSsrc_ &&
                     arrivalSamples - lastOwnArrival_ > settings_.ssrcSilenceSamples)) {
        if (locked_) {
            reception_.reset(); // a new source (the router restarted): new statistics
            delays_.reset();
        }
        locked_ = true;
        lockedSsrc_ = h.ssrc;
    } else if (h.ssrc != lockedSsrc_) {
        foreign_.add();
        return false;
    }
    lastOwnArrival_ = arrivalSamples;
    reception_.onPacket(h.sequence, h.timestamp, arrivalSamples);
    delays_.add(h.timestamp, arrivalSamples);
    waitSamples_.store(delays_.quantile(0.95), std::memory_order_relaxed);
    expected_.store(reception_.expected(), std::memory_order_relaxed);
    lost_.store(reception_.lost(), std::memory_order_relaxed);
    reordered_.value.store(reception_.reordered(), std::memory_order_relaxed);
    jitterMs_.store(reception_.jitterSamples() / kSamplesPerMs, std::memory_order_relaxed);
    publishedSsrc_.store(h.ssrc, std::memory_order_relaxed);

    scratch_.header = h;
    scratch_.size = static_cast<std::uint16_t>(view->payload.size());
    std::memcpy(scratch_.payload.data(), view->payload.data(), view->payload.size());
    if (!queue_.try_enqueue(scratch_)) {
        queueDrops_.add();
        return false;
    }
    return true;
}

stream::ReportBlock ReceiveChannel::receptionReport() noexcept {
    return reception_.reportBlock(locked_ ? lockedSsrc_ : 0);
}

// --- audio thread ---------------------------------------------------------------------------

void ReceiveChannel::restart() noexcept {
    state_ = State::Waiting;
    jitter_.clear();
    decoder_.reset();
    resampler_.reset();
    controller_.reset();
    fifoRead_ = fifoSize_ = 0;
    stretch_ = 0;
    quiet_ = 0;
    concealStep_ = kCeltStep;
    waiting_ = false;
    playing_.store(false, std::memory_order_release);
}

void ReceiveChannel::drain() noexcept {
    while (queue_.try_dequeue(incoming_)) {
        const std::span<const std::uint8_t> payload(incoming_.payload.data(), incoming_.size);
        const int duration = OpusDecoder::packetSamples(payload);
        if (duration <= 0) {
            notOpus_.add();
            continue;
        }
        const auto& h = incoming_.header;
        if (!haveSsrc_ || h.ssrc != ssrc_) {
            if (haveSsrc_)
                restart();
            haveSsrc_ = true;
            ssrc_ = h.ssrc;
        }
        if (state_ == State::Waiting) {
            state_ = State::Priming;
            nextTs_ = h.timestamp;
            lastDuration_ = duration;
        } else if (tsDiff(h.timestamp, nextTs_) > settings_.resyncSamples &&
                   state_ == State::Priming) {
            nextTs_ = h.timestamp; // a far jump before playing: start from here
            jitter_.clear();
        }
        switch (jitter_.insert(incoming_, duration, nextTs_)) {
        case JitterBuffer::Insert::Stored:
            packets_.add();
            lateRun_ = 0;
            if (state_ == State::Playing) { // how much audio was still ahead of it
                const int until = tsDiff(h.timestamp, nextTs_);
                // A packet the channel is already concealing for had none to spare.
                const double ahead =
                    until > 0 || stretch_ == 0
                        ? static_cast<double>(fifoSize_ - fifoRead_) + static_cast<double>(until)
                        : 0.0;
                arrivalAhead_ = std::min(arrivalAhead_, ahead);
            }
            break;
        case JitterBuffer::Insert::Duplicate:
            duplicates_.add();
            break;
        case JitterBuffer::Insert::Late:
            late_.add();
            ++lateRun_;
            break;
        case JitterBuffer::Insert::Overflow:
            overflow_.add();
            break;
        }
    }
}

double ReceiveChannel::buffered() const noexcept {
    double samples = static_cast<double>(fifoSize_ - fifoRead_);
    if (state_ != State::Waiting) {
        if (const auto end = jitter_.latestEnd(nextTs_))
            samples += std::max(0, tsDiff(*end, nextTs_));
    }
    return samples;
}

void ReceiveChannel::decodeNext() noexcept {
    fifoRead_ = 0;
    fifoSize_ = 0;
    waiting_ = false;
    const std::span<float> out(fifo_);
    int n = 0;
    for (int attempt = 0; attempt < 4 && n == 0; ++attempt) {
        const JitterBuffer::Entry* e = jitter_.earliestFrom(nextTs_);
        if (e && e->packet.header.timestamp == nextTs_) {
            const std::span<const std::uint8_t> payload(e->packet.payload.data(), e->packet.size);
            n = decoder_.decode(payload, out);
            if (n > 0) {
                decoded_.add(static_cast<std::uint64_t>(n));
                concealStep_ = OpusDecoder::usesSilk(payload) ? kSilkStep : kCeltStep;
            } else {
                n = decoder_.conceal(e->duration, out);
                concealed_.add(static_cast<std::uint64_t>(n));
                plc_.add();
            }
            lastDuration_ = e->duration;
            nextTs_ += static_cast<std::uint32_t>(e->duration);
            jitter_.consume(e);
            stretch_ = 0;
            quiet_ = 0;
        } else if (e) {
            const int gap = tsDiff(e->packet.header.timestamp, nextTs_);
            if (gap > settings_.resyncSamples || gap < OpusDecoder::kMinFrameSamples) {
                // A discontinuity (the sender skipped) or a misaligned packet: carry on from it.
                nextTs_ = e->packet.header.timestamp;
                resyncs_.add();
                continue;
            }
            int missing = std::min(gap, std::clamp(lastDuration_, OpusDecoder::kMinFrameSamples,
                                                   OpusDecoder::kMaxFrameSamples));
            missing -= missing % OpusDecoder::kMinFrameSamples;
            // The packet is lost. Whatever was concealed while waiting for it already stands
            // in for it: only the rest is concealed now, so a loss does not grow the buffer -
            // unless the next packet carries its FEC (which recovers whole frames only) and
            // the wait was short: then the wait stays in the buffer until the controller
            // plays it out.
            const std::span<const std::uint8_t> next(e->packet.payload.data(), e->packet.size);
            const bool fec =
                missing == gap && stretch_ <= concealStep_ && OpusDecoder::mayCarryFec(next);
            const int credit = fec ? 0 : std::min(stretch_, missing);
            controller_.shift(-credit);
            if (fec)
                stretch_ = 0;
            stretch_ -= credit; // the rest stands in for the next missing packet, if any
            int conceal = missing - credit;
            conceal -= conceal % concealStep_;
            nextTs_ += static_cast<std::uint32_t>(missing);
            jitter_.dropBefore(nextTs_);
            if (conceal == 0)
                continue;
            if (fec) {
                n = decoder_.recover(next, conceal, out);
                fec_.add();
            } else {
                n = decoder_.conceal(conceal, out);
                plc_.add();
            }
            concealed_.add(static_cast<std::uint64_t>(n));
        } else {
            // Nothing to play: the next packet is late. Conceal without moving on, so that it
            // still plays when it comes (the buffer grows by what it needed). When it turns
            // out lost instead, what was concealed meanwhile stands in for it (above). One
            // packet's wait is capped at the delay 95 % of packets keep to (DelayHistogram): a
            // packet held back longer (reordered) is taken for lost and time moves on - unless
            // packets keep arriving after their time, which means the whole stream is later
            // now: then wait for it.
            if (quiet_ == 0)
                underruns_.add();
            n = decoder_.conceal(std::min(concealStep_, lastDuration_), out);
            concealed_.add(static_cast<std::uint64_t>(n));
            plc_.add();
            const int step = std::max(n, concealStep_);
            const double wait = std::clamp(waitSamples_.load(std::memory_order_relaxed),
                                           static_cast<double>(concealStep_), kMaxWaitSamples);
            if (stretch_ < wait || lateRun_ >= 2) {
                stretch_ += step;
                controller_.shift(step);
                waiting_ = true;
            } else
                nextTs_ += static_cast<std::uint32_t>(step);
            quiet_ += step;
        }
    }
    if (n <= 0) {
        n = OpusDecoder::kMinFrameSamples;
        std::fill_n(fifo_.begin(), n, 0.0f);
    }
    fifoSize_ = static_cast<std::size_t>(n);
    if (quiet_ == 0 && controller_.excess() > kCompressAbove) {
        const auto cut = compress(
            std::span(fifo_.data(), fifoSize_), kMinCut,
            std::min(kMaxCut, static_cast<std::size_t>(controller_.excess() - kCompressKeep)),
            kCutOverlap);
        fifoRead_ = cut;
        controller_.shift(-static_cast<double>(cut));
        compressed_.add(cut);
    }
}

void ReceiveChannel::joinLatePacket() noexcept {
    // The concealment that waits for a packet still has audio to play (SILK conceals 10 ms at
    // a time) and a packet came: what it stands for takes over now, faded in over the
    // concealment's continuation, and what the wait has not played yet is not latency.
    const std::size_t left = fifoSize_ - fifoRead_;
    const JitterBuffer::Entry* e = jitter_.earliestFrom(nextTs_);
    if (left < kJoinSamples || !e)
        return;
    const int played = stretch_ - static_cast<int>(left); // concealed since the wait began
    const std::span<const std::uint8_t> payload(e->packet.payload.data(), e->packet.size);
    std::copy_n(fifo_.begin() + static_cast<std::ptrdiff_t>(fifoRead_), kJoinSamples,
                joinTail_.begin());
    std::size_t at = 0;
    if (e->packet.header.timestamp == nextTs_) {
        // The late packet itself: it plays from its start (what the wait played stays in the
        // buffer, for the next late packet).
        concealed_.remove(left); // never played
        stretch_ -= static_cast<int>(left);
        controller_.shift(-static_cast<double>(left));
        decodeNext();
        at = fifoRead_; // past a cut, when the buffer stood high
    } else if (tsDiff(e->packet.header.timestamp, nextTs_) == lastDuration_ && played >= 0 &&
               played + static_cast<int>(kJoinSamples) < lastDuration_ &&
               OpusDecoder::mayCarryFec(payload)) {
        // It is lost, and the next packet carries it: recovered, it plays on from the moment
        // the concealment has reached, so the wait does not grow the buffer at all.
        concealed_.remove(left); // never played
        const int n = decoder_.recover(payload, lastDuration_, fifo_);
        if (n <= played + static_cast<int>(kJoinSamples)) {
            // libopus failed: the concealment's next samples are all that is left of it.
            std::copy_n(joinTail_.begin(), kJoinSamples, fifo_.begin());
            fifoRead_ = 0;
            fifoSize_ = kJoinSamples;
            concealed_.add(kJoinSamples);
            stretch_ -= static_cast<int>(left - kJoinSamples);
            controller_.shift(-static_cast<double>(left - kJoinSamples));
            return;
        }
        fec_.add();
        concealed_.add(static_cast<std::uint64_t>(n - played));
        controller_.shift(-static_cast<double>(stretch_));
        stretch_ = 0;
        quiet_ = 0;
        waiting_ = false;
        nextTs_ += static_cast<std::uint32_t>(lastDuration_);
        jitter_.dropBefore(nextTs_);
        at = static_cast<std::size_t>(played);
        fifoRead_ = at;
        fifoSize_ = static_cast<std::size_t>(n);
    } else {
        return;
    }
    const std::size_t n = std::min(kJoinSamples, fifoSize_ - at);
    for (std::size_t i = 0; i < n; ++i) {
        const float w = static_cast<float>(i + 1) / static_cast<float>(n + 1);
        fifo_[at + i] = w * fifo_[at + i] + (1.0f - w) * joinTail_[i];
    }
}

void ReceiveChannel::render(float* out, std::size_t frames) noexcept {
    arrivalAhead_ = kNoArrival;
    drain();
    const double needed = static_cast<double>(frames) + resampler_.latency();
    // Start with one packet more than a block needs, so that the next packet is here in time.
    const double start = needed + lastDuration_ + settings_.playout.marginSamples;
    if (state_ == State::Priming && buffered() >= start) {
        // Packets that came in a burst would be latency for ever (or for the seconds the
        // controller takes to play them out): skip what exceeds the start level, unheard.
        for (int guard = 0; guard < 64 && buffered() - start >= 1.0; ++guard) {
            if (fifoRead_ >= fifoSize_)
                decodeNext();
            const double over = buffered() - start; // decoding may have dropped packets
            if (over < 1.0)
                break;
            fifoRead_ += std::min(static_cast<std::size_t>(over), fifoSize_ - fifoRead_);
        }
        state_ = State::Playing;
        fadePos_ = 0;
        controller_.reset();
        resampler_.setPpm(0);
        playing_.store(true, std::memory_order_release);
    }
    if (state_ != State::Playing) {
        std::fill_n(out, frames, 0.0f);
        publish(frames);
        return;
    }

    // The controller watches how early each packet came: the audio still ahead of it when it
    // arrived, beyond what this block and the resampler need. A lost packet is not a late one
    // (the concealment waiting for it is taken back when the next one comes), and a reordered
    // one that came after its time is dropped, so neither holds the buffer up. A packet that
    // came after its time was needed counts as none to spare: the concealment that waited for
    // it already grew the buffer, so the controller is not told twice.
    const double spare = arrivalAhead_ == kNoArrival
                             ? kNoArrival
                             : arrivalAhead_ - resampler_.latency() -
                                   static_cast<double>(frames) * resampler_.ppm() * 1e-6;
    controller_.observe(std::max(spare, 0.0), frames);
    resampler_.setPpm(controller_.ppm());

    if (waiting_)
        joinLatePacket();

    std::size_t produced = 0;
    for (int guard = 0; produced < frames && guard < 256; ++guard) {
        if (fifoRead_ >= fifoSize_)
            decodeNext();
        const auto done = resampler_.process(fifo_.data() + fifoRead_, fifoSize_ - fifoRead_,
                                             out + produced, frames - produced);
        fifoRead_ += done.consumed;
        produced += done.produced;
    }
    if (produced < frames)
        std::fill(out + produced, out + frames, 0.0f);

    if (fadePos_ < settings_.fadeSamples) {
        for (std::size_t i = 0; i < frames && fadePos_ < settings_.fadeSamples; ++i, ++fadePos_)
            out[i] *= static_cast<float>(fadePos_) / static_cast<float>(settings_.fadeSamples);
    }
    if (quiet_ > settings_.maxStretchSamples) {
        restarts_.add();
        restart();
    }
    publish(frames);
}

void ReceiveChannel::publish(std::size_t frames) noexcept {
    // The latency shown: the buffer averaged over about half a second (it saws by a packet
    // and a block from one device block to the next).
    const double now = state_ == State::Playing ? buffered() : 0.0;
    const double weight = std::min(1.0, static_cast<double>(frames) / 24000.0);
    bufferAverage_ = state_ == State::Playing && wasPlaying_
                         ? bufferAverage_ + (now - bufferAverage_) * weight
                         : now;
    wasPlaying_ = state_ == State::Playing;
    bufferMs_.store(bufferAverage_ / kSamplesPerMs, std::memory_order_relaxed);
    ppm_.store(resampler_.ppm(), std::memory_order_relaxed);
}

ReceiveStats ReceiveChannel::stats() const noexcept {
    ReceiveStats s;
    s.playing = playing();
    s.ssrc = publishedSsrc_.load(std::memory_order_relaxed);
    s.datagrams = datagrams_.get();
    s.malformed = malformed_.get() + notOpus_.get();
    s.foreign = foreign_.get();
    s.queueDrops = queueDrops_.get();
    s.expected = expected_.load(std::memory_order_relaxed);
    s.lost = lost_.load(std::memory_order_relaxed);
    s.reordered = reordered_.get();
    s.jitterMs = jitterMs_.load(std::memory_order_relaxed);
    s.packets = packets_.get();
    s.duplicates = duplicates_.get();
    s.late = late_.get();
    s.overflow = overflow_.get();
    s.decodedSamples = decoded_.get();
    s.concealedSamples = concealed_.get();
    s.fecFrames = fec_.get();
    s.plcFrames = plc_.get();
    s.underruns = underruns_.get();
    s.resyncs = resyncs_.get();
    s.restarts = restarts_.get();
    s.compressedSamples = compressed_.get();
    s.bufferMs = bufferMs_.load(std::memory_order_relaxed);
    s.ppm = ppm_.load(std::memory_order_relaxed);
    return s;
}

} // namespace dragoman::receive

// The encoder thread: the single consumer of every channel's core::ChannelTap. It wakes every
// ~2 ms (half a frame for frames shorter than 4 ms), drains the taps, encodes each channel with
// its venue OpusSettings and hands every packet to the sinks attached to that channel.
//
//   engine (audio thread) ─► ChannelTap per channel ─► EncoderThread ─► PacketSink: RTP,
//                                                          │            Ogg/HTTP, Recorder …
//                                                          └─► PcmSink: loudness meters …
//
// It never touches the audio thread: a tap that is not drained in time drops chunks (counted
// by the tap) and the next packet carries a discontinuity (counted here).
//
// Thread contract: construction, attach(), start(), stop() and destruction on the control
// thread; attach() only before start(). poll() on the control thread only while the thread is
// not running (offline use and tests). stats() and the accessors from any thread.
#pragma once

#include "core/Engine.h"
#include "stream/ChannelEncoder.h"
#include "stream/EncodedPacket.h"
#include "stream/PcmSink.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace dragoman::stream {

class EncoderThread {
public:
    // Control thread; creates one Opus encoder per venue channel (floor included). Throws
    // std::invalid_argument when the engine does not run at 48000 Hz (Opus's rate; resampling
    // is not done here) and std::runtime_error when an encoder cannot be created.
    explicit EncoderThread(core::Engine& engine);
    ~EncoderThread(); // stops
    EncoderThread(const EncoderThread&) = delete;
    EncoderThread& operator=(const EncoderThread&) = delete;

    // Before start(): `sink` receives every packet of every channel, or of `channel` only.
    // The sink must outlive the thread (stop() before destroying it).
    void attach(PacketSink& sink);
    void attach(int channel, PacketSink& sink);
    // Before start(): `sink` sees every channel's PCM as it leaves the tap. A channel that has
    // no PacketSink is drained for its PcmSinks only and not encoded.
    void attachPcm(PcmSink& sink);
    // Before start(): a second encoding of `channel` with its own `settings` (e.g. shorter
    // frames for WebRTC listeners), whose packets go to `sink` only. Throws
    // std::runtime_error when the encoder cannot be created. The wake interval follows the
    // shortest frame of all encodings.
    void attachEncoding(int channel, const venue::OpusSettings& settings, PacketSink& sink);

    void start();
    // Drains what the taps hold (whole frames only), then joins the thread. Idempotent.
    void stop();
    bool running() const { return thread_.joinable(); }

    // Drains every tap once on the calling thread; only while the thread is not running.
    void poll() noexcept;

    int channelCount() const { return static_cast<int>(channels_.size()); }
    ChannelStats stats(int channel) const noexcept;
    int lookahead(int channel) const;    // pre-skip for Ogg (48 kHz samples)
    int frameSamples(int channel) const; // 48 kHz samples per packet
    std::chrono::microseconds wakeInterval() const { return wake_; }

private:
    struct Encoding {
        std::unique_ptr<ChannelEncoder> encoder;
        PacketSink* sink = nullptr;
    };
    struct Channel {
        std::unique_ptr<ChannelEncoder> encoder;
        std::vector<PacketSink*> sinks;
        std::vector<Encoding> more; // attachEncoding()
    };
    void wakeFor(const ChannelEncoder& encoder);
    void run() noexcept;

    core::Engine& engine_;
    std::vector<Channel> channels_;
    std::vector<PcmSink*> pcmSinks_;
    std::chrono::microseconds wake_{2000};
    core::TapChunk chunk_{};
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

} // namespace dragoman::stream

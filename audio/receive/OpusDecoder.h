// One Opus decoder: 48 kHz mono (a stereo stream is mixed down by libopus), with the three
// ways to fill a frame: decode a packet, recover a lost packet from the in-band FEC of the
// next one, or conceal it (PLC).
//
// Thread contract: create() on the control thread (allocates); everything else on one thread
// at a time (the audio thread): no allocation, no lock, no system call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

struct OpusDecoder; // libopus's handle

namespace dragoman::receive {

class OpusDecoder {
public:
    static constexpr int kSampleRate = 48000;
    static constexpr int kMaxFrameSamples = 5760; // 120 ms, Opus's longest packet
    static constexpr int kMinFrameSamples = 120;  // 2.5 ms, its shortest frame

    // Control thread; throws std::runtime_error when libopus refuses.
    OpusDecoder();
    ~OpusDecoder();
    OpusDecoder(const OpusDecoder&) = delete;
    OpusDecoder& operator=(const OpusDecoder&) = delete;

    // Samples in a packet at 48 kHz, or -1 when it is not a valid Opus packet.
    static int packetSamples(std::span<const std::uint8_t> packet);
    // True when the packet's frames are SILK or hybrid (they conceal in steps of 10 ms).
    static bool usesSilk(std::span<const std::uint8_t> packet);
    // In-band FEC lives in the SILK layer.
    static bool mayCarryFec(std::span<const std::uint8_t> packet) { return usesSilk(packet); }

    // Each returns the samples written to `out` (at most out.size()), or 0 on failure.
    int decode(std::span<const std::uint8_t> packet, std::span<float> out);
    // The lost packet of `samples` before `next`, from `next`'s in-band FEC data (libopus
    // conceals instead when `next` carries none).
    int recover(std::span<const std::uint8_t> next, int samples, std::span<float> out);
    int conceal(int samples, std::span<float> out);
    void reset();

private:
    struct Deleter {
        void operator()(::OpusDecoder* decoder) const noexcept;
    };
    std::unique_ptr<::OpusDecoder, Deleter> handle_;
};

} // namespace dragoman::receive

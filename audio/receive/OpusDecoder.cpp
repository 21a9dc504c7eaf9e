#include "receive/OpusDecoder.h"

#include <algorithm>
#include <opus/opus.h>
#include <stdexcept>
#include <string>

namespace dragoman::receive {

void OpusDecoder::Deleter::operator()(::OpusDecoder* decoder) const noexcept {
    opus_decoder_destroy(decoder);
}

OpusDecoder::OpusDecoder() {
    int error = OPUS_OK;
    handle_.reset(opus_decoder_create(kSampleRate, 1, &error));
    if (error != OPUS_OK || !handle_)
        throw std::runtime_error(std::string("Opus decoder: ") + opus_strerror(error));
}

OpusDecoder::~OpusDecoder() = default;

int OpusDecoder::packetSamples(std::span<const std::uint8_t> packet) {
    if (packet.empty() || packet.size() > 0x7fffffff)
        return -1;
    const int samples = opus_packet_get_nb_samples(
        packet.data(), static_cast<opus_int32>(packet.size()), kSampleRate);
    if (samples <= 0 || samples > kMaxFrameSamples)
        return -1;
    // Every frame count and size must be consistent too.
    const unsigned char* frames[48];
    opus_int16 sizes[48];
    unsigned char toc = 0;
    int payloadOffset = 0;
    if (opus_packet_parse(packet.data(), static_cast<opus_int32>(packet.size()), &toc, frames,
                          sizes, &payloadOffset) <= 0)
        return -1;
    return samples;
}

bool OpusDecoder::usesSilk(std::span<const std::uint8_t> packet) {
    // TOC configurations 0..11 are SILK, 12..15 hybrid, 16..31 CELT (RFC 6716 3.1).
    return !packet.empty() && (packet[0] >> 3) < 16;
}

namespace {

int clampSamples(int samples, std::size_t room) {
    samples = std::min({samples, OpusDecoder::kMaxFrameSamples, static_cast<int>(room)});
    return samples - samples % OpusDecoder::kMinFrameSamples;
}

} // namespace

int OpusDecoder::decode(std::span<const std::uint8_t> packet, std::span<float> out) {
    const int room = clampSamples(kMaxFrameSamples, out.size());
    if (packet.empty() || room <= 0)
        return 0;
    const int n = opus_decode_float(handle_.get(), packet.data(),
                                    static_cast<opus_int32>(packet.size()), out.data(), room, 0);
    return std::max(n, 0);
}

int OpusDecoder::recover(std::span<const std::uint8_t> next, int samples, std::span<float> out) {
    samples = clampSamples(samples, out.size());
    if (next.empty() || samples <= 0)
        return 0;
    const int n = opus_decode_float(handle_.get(), next.data(),
                                    static_cast<opus_int32>(next.size()), out.data(), samples, 1);
    return std::max(n, 0);
}

int OpusDecoder::conceal(int samples, std::span<float> out) {
    samples = clampSamples(samples, out.size());
    if (samples <= 0)
        return 0;
    const int n = opus_decode_float(handle_.get(), nullptr, 0, out.data(), samples, 0);
    return std::max(n, 0);
}

void OpusDecoder::reset() {
    opus_decoder_ctl(handle_.get(), OPUS_RESET_STATE);
}

} // namespace dragoman::receive

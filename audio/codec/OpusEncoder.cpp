#include "codec/OpusEncoder.h"

#include <opus.h>

namespace dragoman::codec {

namespace {

int applicationOf(venue::OpusApplication application) {
    switch (application) {
    case venue::OpusApplication::Voip:
        return OPUS_APPLICATION_VOIP;
    case venue::OpusApplication::Audio:
        return OPUS_APPLICATION_AUDIO;
    case venue::OpusApplication::LowDelay:
        return OPUS_APPLICATION_RESTRICTED_LOWDELAY;
    }
    return OPUS_APPLICATION_AUDIO;
}

std::string reason(const char* step, int error) {
    return std::string(step) + ": " + opus_strerror(error);
}

} // namespace

void OpusEncoder::Deleter::operator()(::OpusEncoder* encoder) const noexcept {
    opus_encoder_destroy(encoder);
}

OpusEncoder::OpusEncoder(Key, std::unique_ptr<::OpusEncoder, Deleter> handle,
                         const venue::OpusSettings& s, int lookahead)
    : handle_(std::move(handle))
    , settings_(s)
    , frameSamples_(s.frameSamples())
    , lookahead_(lookahead) {
}

OpusEncoder::~OpusEncoder() = default;

Result<std::unique_ptr<OpusEncoder>> OpusEncoder::create(const venue::OpusSettings& settings,
                                                         Signal signal) {
    Result<std::unique_ptr<OpusEncoder>> result;
    int error = OPUS_OK;
    std::unique_ptr<::OpusEncoder, Deleter> handle(
        opus_encoder_create(kSampleRate, 1, applicationOf(settings.application), &error));
    if (error != OPUS_OK || !handle) {
        result.error = reason("opus_encoder_create", error);
        return result;
    }
    ::OpusEncoder* e = handle.get();
    const bool fec = settings.fec && settings.application != venue::OpusApplication::LowDelay;
    const struct {
        const char* step;
        int error;
    } steps[] = {
        {"OPUS_SET_BITRATE", opus_encoder_ctl(e, OPUS_SET_BITRATE(settings.bitrate))},
        {"OPUS_SET_COMPLEXITY", opus_encoder_ctl(e, OPUS_SET_COMPLEXITY(settings.complexity))},
        {"OPUS_SET_INBAND_FEC", opus_encoder_ctl(e, OPUS_SET_INBAND_FEC(fec ? 1 : 0))},
        {"OPUS_SET_PACKET_LOSS_PERC",
         opus_encoder_ctl(e, OPUS_SET_PACKET_LOSS_PERC(settings.lossPercent))},
        {"OPUS_SET_SIGNAL",
         opus_encoder_ctl(
             e, OPUS_SET_SIGNAL(signal == Signal::Speech ? OPUS_SIGNAL_VOICE : OPUS_AUTO))},
    };
    for (const auto& step : steps) {
        if (step.error != OPUS_OK) {
            result.error = reason(step.step, step.error);
            return result;
        }
    }
    opus_int32 lookahead = 0;
    if (const int got = opus_encoder_ctl(e, OPUS_GET_LOOKAHEAD(&lookahead)); got != OPUS_OK) {
        result.error = reason("OPUS_GET_LOOKAHEAD", got);
        return result;
    }
    result.value = std::make_unique<OpusEncoder>(Key{}, std::move(handle), settings,
                                                 static_cast<int>(lookahead));
    return result;
}

Result<std::size_t> OpusEncoder::encode(std::span<const float> frame,
                                        std::span<std::uint8_t> packet) {
    Result<std::size_t> result;
    if (frame.size() != static_cast<std::size_t>(frameSamples_)) {
        result.error = "opus_encode_float: " + std::to_string(frame.size()) +
                       " samples given, the frame size is " + std::to_string(frameSamples_);
        return result;
    }
    const auto bytes = opus_encode_float(handle_.get(), frame.data(), frameSamples_, packet.data(),
                                         static_cast<opus_int32>(packet.size()));
    if (bytes < 0)
        result.error = reason("opus_encode_float", bytes);
    else
        result.value = static_cast<std::size_t>(bytes);
    return result;
}

} // namespace dragoman::codec

#include "render/WavInput.h"

#include "render/SoundFile.h"

#include <cmath>
#include <samplerate.h>
#include <string>

namespace dragoman::render {

namespace {

std::vector<float> downmix(SNDFILE* file, const SF_INFO& info, const std::string& name) {
    const auto channels = static_cast<std::size_t>(info.channels);
    std::vector<float> mono;
    mono.reserve(static_cast<std::size_t>(info.frames));
    constexpr sf_count_t kChunkFrames = 8192;
    std::vector<float> chunk(static_cast<std::size_t>(kChunkFrames) * channels);
    for (;;) {
        const sf_count_t got = sf_readf_float(file, chunk.data(), kChunkFrames);
        if (got <= 0)
            break;
        for (sf_count_t f = 0; f < got; ++f) {
            const float* frame = chunk.data() + static_cast<std::size_t>(f) * channels;
            double sum = 0.0;
            for (std::size_t c = 0; c < channels; ++c)
                sum += frame[c];
            mono.push_back(static_cast<float>(sum / static_cast<double>(channels)));
        }
    }
    if (sf_error(file) != SF_ERR_NO_ERROR)
        throw WavError(name + ": cannot read audio: " + sf_strerror(file));
    return mono;
}

std::vector<float> resample(const std::vector<float>& in, int fromRate, int toRate,
                            const std::string& name) {
    const double ratio = static_cast<double>(toRate) / fromRate;
    const auto wanted =
        static_cast<std::size_t>(std::llround(static_cast<double>(in.size()) * ratio));
    std::vector<float> out(wanted + 16);
    SRC_DATA data{};
    data.data_in = in.data();
    data.input_frames = static_cast<long>(in.size());
    data.data_out = out.data();
    data.output_frames = static_cast<long>(out.size());
    data.end_of_input = 1;
    data.src_ratio = ratio;
    if (const int status = src_simple(&data, SRC_SINC_BEST_QUALITY, 1); status != 0)
        throw WavError(name + ": cannot convert the sample rate: " + src_strerror(status));
    out.resize(static_cast<std::size_t>(data.output_frames_gen));
    out.resize(wanted, 0.0f); // the converter may stop a sample short of the exact length
    return out;
}

} // namespace

MonoSignal readMono(const std::filesystem::path& file, int sampleRate) {
    if (sampleRate <= 0)
        throw WavError(file.string() + ": bad target sample rate " + std::to_string(sampleRate));
    SF_INFO info{};
    SoundFile sound(file, SFM_READ, info);
    if (info.channels < 1 || info.samplerate < 1)
        throw WavError(file.string() + ": the file has no audio channels");

    MonoSignal signal;
    signal.sampleRate = sampleRate;
    signal.sourceRate = info.samplerate;
    signal.sourceChannels = info.channels;
    signal.samples = downmix(sound.get(), info, file.string());
    signal.sourceFrames = static_cast<std::int64_t>(signal.samples.size());
    if (info.samplerate != sampleRate && !signal.samples.empty())
        signal.samples = resample(signal.samples, info.samplerate, sampleRate, file.string());
    return signal;
}

} // namespace dragoman::render

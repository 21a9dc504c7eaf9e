#include "render/WavOutput.h"

#include "render/AtomicFile.h"
#include "render/SoundFile.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <system_error>

namespace dragoman::render {

std::string_view toString(SampleFormat format) {
    switch (format) {
    case SampleFormat::Float32:
        return "float";
    case SampleFormat::Pcm16:
        return "pcm16";
    case SampleFormat::Pcm24:
        return "pcm24";
    }
    return "?";
}

std::optional<SampleFormat> sampleFormatFromString(std::string_view text) {
    for (const auto format : {SampleFormat::Float32, SampleFormat::Pcm16, SampleFormat::Pcm24})
        if (text == toString(format))
            return format;
    return std::nullopt;
}

namespace {

int sndfileFormat(SampleFormat format) {
    switch (format) {
    case SampleFormat::Float32:
        return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    case SampleFormat::Pcm16:
        return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    case SampleFormat::Pcm24:
        return SF_FORMAT_WAV | SF_FORMAT_PCM_24;
    }
    return 0;
}

SF_INFO describe(int sampleRate, int channels, SampleFormat format) {
    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = channels;
    info.format = sndfileFormat(format);
    return info;
}

} // namespace

struct WavWriter::State {
    State(std::filesystem::path target, int sampleRate, int channelCount, SampleFormat format)
        : file(std::move(target))
        , temporary(temporaryBeside(file))
        , info(describe(sampleRate, channelCount, format))
        , sound(temporary, SFM_WRITE, info)
        , channels(channelCount) {}

    std::filesystem::path file;
    std::filesystem::path temporary;
    SF_INFO info;
    SoundFile sound;
    int channels;
    std::size_t frames = 0;
    float peak = 0.0f;
    bool committed = false;
};

WavWriter::WavWriter(std::filesystem::path file, int sampleRate, int channels,
                     SampleFormat format) {
    if (sampleRate <= 0 || channels <= 0)
        throw WavError(file.string() + ": bad sample rate or channel count");
    state_ = std::make_unique<State>(std::move(file), sampleRate, channels, format);
    // No PEAK chunk: libsndfile stamps it with the current time, which would make two renders
    // of the same input differ.
    sf_command(state_->sound.get(), SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
    sf_command(state_->sound.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
}

WavWriter::~WavWriter() {
    if (!state_ || state_->committed)
        return;
    const auto temporary = state_->temporary;
    state_.reset(); // closes the file
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
}

WavWriter::WavWriter(WavWriter&&) noexcept = default;
WavWriter& WavWriter::operator=(WavWriter&&) noexcept = default;

void WavWriter::write(std::span<const float> samples) {
    const auto channels = static_cast<std::size_t>(state_->channels);
    if (samples.size() % channels != 0)
        throw WavError(state_->file.string() + ": a partial frame was written");
    const auto frames = static_cast<sf_count_t>(samples.size() / channels);
    if (sf_writef_float(state_->sound.get(), samples.data(), frames) != frames)
        throw WavError(state_->file.string() +
                       ": cannot write audio: " + sf_strerror(state_->sound.get()));
    state_->frames += static_cast<std::size_t>(frames);
    for (const float sample : samples)
        state_->peak = std::max(state_->peak, std::abs(sample));
}

void WavWriter::commit() {
    sf_write_sync(state_->sound.get());
    state_->sound.close();
    state_->committed = true; // from here on the temporary file is moveIntoPlace's to remove
    moveIntoPlace(state_->temporary, state_->file);
}

const std::filesystem::path& WavWriter::path() const {
    return state_->file;
}
std::size_t WavWriter::frames() const {
    return state_->frames;
}
float WavWriter::peak() const {
    return state_->peak;
}

void writeWav(const std::filesystem::path& file, std::span<const float> samples, int sampleRate,
              int channels, SampleFormat format) {
    WavWriter writer(file, sampleRate, channels, format);
    writer.write(samples);
    writer.commit();
}

} // namespace dragoman::render

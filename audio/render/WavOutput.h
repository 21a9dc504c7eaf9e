// Writing rendered audio: WAV files written under a temporary name in the target's folder and
// renamed over the target when complete, so a failed or interrupted render never leaves a
// half-written file under the real name. The bytes depend on the samples only (no time
// stamps), so the same render gives byte-identical files.
//
// Thread contract: control thread; may allocate, throws WavError.
#pragma once

#include "render/WavError.h"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace dragoman::render {

enum class SampleFormat { Float32, Pcm16, Pcm24 };

// "float", "pcm16", "pcm24".
std::string_view toString(SampleFormat format);
std::optional<SampleFormat> sampleFormatFromString(std::string_view text);

class WavWriter {
public:
    // Creates the temporary file beside `file`. Integer formats clip at full scale.
    WavWriter(std::filesystem::path file, int sampleRate, int channels, SampleFormat format);
    ~WavWriter(); // without commit(): removes the temporary file
    WavWriter(WavWriter&&) noexcept;
    WavWriter& operator=(WavWriter&&) noexcept;

    // Interleaved frames (samples.size() must be a multiple of the channel count).
    void write(std::span<const float> samples);

    // Finishes the file and renames it to its real name.
    void commit();

    const std::filesystem::path& path() const;
    std::size_t frames() const; // frames written so far
    float peak() const;         // largest absolute sample written so far

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Writes a whole mono or interleaved signal at once (WavWriter + commit).
void writeWav(const std::filesystem::path& file, std::span<const float> samples, int sampleRate,
              int channels, SampleFormat format);

} // namespace dragoman::render

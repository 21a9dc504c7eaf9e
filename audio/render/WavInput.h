// Reading input recordings: any file libsndfile reads (WAV, FLAC, AIFF, Ogg, ... at any sample
// rate and sample format) becomes one mono float signal at the venue's sample rate: channels
// are averaged, the rate is converted with libsamplerate's best sinc converter.
//
// Thread contract: control thread; may allocate, throws WavError.
#pragma once

#include "render/WavError.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace dragoman::render {

struct MonoSignal {
    std::vector<float> samples; // at the requested rate
    int sampleRate = 0;         // the requested rate
    int sourceRate = 0;         // what the file held
    int sourceChannels = 0;
    std::int64_t sourceFrames = 0;
};

// Reads `file` and converts it to mono at `sampleRate`; the result lasts as long as the file
// (round(sourceFrames * sampleRate / sourceRate) samples). Throws WavError naming the file.
MonoSignal readMono(const std::filesystem::path& file, int sampleRate);

} // namespace dragoman::render

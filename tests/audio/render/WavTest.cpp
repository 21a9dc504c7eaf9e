#include "Tones.h"
#include "render/WavInput.h"
#include "render/WavOutput.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using namespace dragoman::render;
using dragoman::render::test::amplitudeAt;
using dragoman::render::test::sine;
using dragoman::render::test::strongestFrequency;

namespace {

std::filesystem::path scratchDir(const std::string& name) {
    const auto dir = std::filesystem::path(DRAGOMAN_BINARY_DIR) / "test-render" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

std::string bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<float> interleave(const std::vector<float>& left, const std::vector<float>& right) {
    std::vector<float> out;
    for (std::size_t i = 0; i < left.size(); ++i) {
        out.push_back(left[i]);
        out.push_back(right[i]);
    }
    return out;
}

} // namespace

TEST_CASE("a 44.1 kHz stereo 16-bit file becomes 48 kHz mono float, same tone and length",
          "[render][wav]") {
    const auto dir = scratchDir("wav-convert");
    const auto file = dir / "stereo-44k.wav";
    const std::size_t frames = 66150; // 1.5 s
    // Left 0.6, right 0.2, in phase: the mono average is a 0.4 sine.
    writeWav(file, interleave(sine(1000.0, 0.6, 44100, frames), sine(1000.0, 0.2, 44100, frames)),
             44100, 2, SampleFormat::Pcm16);

    const auto signal = readMono(file, 48000);
    CHECK(signal.sourceRate == 44100);
    CHECK(signal.sourceChannels == 2);
    CHECK(signal.sourceFrames == static_cast<std::int64_t>(frames));
    CHECK(signal.sampleRate == 48000);
    REQUIRE(signal.samples.size() == 72000); // 1.5 s at 48 kHz

    // Away from the edges (the converter's filter rings there).
    const std::span<const float> middle(signal.samples.data() + 12000, 48000);
    CHECK(strongestFrequency(middle, 900.0, 1100.0, 48000) == Approx(1000.0).margin(1.0));
    CHECK(amplitudeAt(middle, 1000.0, 48000) == Approx(0.4).epsilon(0.01));
    CHECK(amplitudeAt(middle, 1088.0, 48000) < 0.001); // not played at the wrong rate
}

TEST_CASE("a file already at the venue rate reads back sample for sample", "[render][wav]") {
    const auto dir = scratchDir("wav-same-rate");
    const auto file = dir / "mono-48k.wav";
    const auto tone = sine(440.0, 0.5, 48000, 4800);
    writeWav(file, tone, 48000, 1, SampleFormat::Float32);
    const auto signal = readMono(file, 48000);
    CHECK(signal.samples == tone);
}

TEST_CASE("an unreadable input gives an error naming the file", "[render][wav]") {
    const auto dir = scratchDir("wav-unreadable");
    const auto text = dir / "notes.wav";
    std::ofstream(text) << "this is not audio\n";
    CHECK_THROWS_WITH(readMono(text, 48000),
                      Catch::Contains(text.string() + ": cannot read audio"));
    const auto missing = dir / "missing.wav";
    CHECK_THROWS_WITH(readMono(missing, 48000),
                      Catch::Contains(missing.string() + ": cannot read audio"));
    CHECK_THROWS_AS(readMono(dir, 48000), WavError);
}

TEST_CASE("written WAV files are byte-identical for the same samples and appear atomically",
          "[render][wav]") {
    const auto dir = scratchDir("wav-write");
    const auto tone = sine(440.0, 0.5, 48000, 4800);
    for (const auto format : {SampleFormat::Float32, SampleFormat::Pcm24}) {
        INFO("format " << toString(format));
        writeWav(dir / "a.wav", tone, 48000, 1, format);
        writeWav(dir / "b.wav", tone, 48000, 1, format);
        CHECK(bytes(dir / "a.wav") == bytes(dir / "b.wav"));
        CHECK(readMono(dir / "a.wav", 48000).samples.size() == tone.size());
    }
    {
        WavWriter unfinished(dir / "c.wav", 48000, 1, SampleFormat::Float32);
        unfinished.write(tone);
        CHECK_FALSE(std::filesystem::exists(dir / "c.wav")); // only under its temporary name
    }
    // Abandoned without commit(): neither the file nor its temporary remains.
    CHECK(std::distance(std::filesystem::directory_iterator(dir),
                        std::filesystem::directory_iterator()) == 2);
}

TEST_CASE("24-bit output clips at full scale instead of wrapping around", "[render][wav]") {
    const auto dir = scratchDir("wav-clip");
    writeWav(dir / "loud.wav", std::vector<float>{1.5f, -1.5f, 0.5f}, 48000, 1,
             SampleFormat::Pcm24);
    const auto back = readMono(dir / "loud.wav", 48000).samples;
    REQUIRE(back.size() == 3);
    CHECK(back[0] == Approx(1.0f).margin(1e-6));
    CHECK(back[1] == Approx(-1.0f).margin(1e-6));
    CHECK(back[2] == Approx(0.5f).margin(1e-6));
}

TEST_CASE("sample formats read and print by name", "[render][wav]") {
    CHECK(sampleFormatFromString("float") == SampleFormat::Float32);
    CHECK(sampleFormatFromString("pcm24") == SampleFormat::Pcm24);
    CHECK(sampleFormatFromString("pcm16") == SampleFormat::Pcm16);
    CHECK_FALSE(sampleFormatFromString("mp3"));
}

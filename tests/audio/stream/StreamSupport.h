// Helpers for the streaming tests: a scratch folder, a collecting sink, decoding Ogg Opus
// files with the command-line decoders listeners use (opusdec, ffmpeg).
#pragma once

#include "stream/EncodedPacket.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace dragoman::test {

namespace fs = std::filesystem;

class ScratchFolder {
public:
    ScratchFolder() {
        auto pattern = (fs::temp_directory_path() / "dragoman-stream-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
    ~ScratchFolder() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// Keeps every packet (encoder thread); read the packets after the encoder thread stopped.
class CollectingSink final : public stream::PacketSink {
public:
    void onPacket(const stream::EncodedPacket& packet) override { packets.push_back(packet); }
    std::vector<stream::EncodedPacket> packets;
};

inline std::string readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The OpusHead's pre-skip (RFC 7845 5.1: little-endian 16 bits at byte 10 of the packet).
inline std::optional<int> preSkipOf(const fs::path& file) {
    const auto bytes = readAll(file);
    const auto at = bytes.find("OpusHead");
    if (at == std::string::npos || at + 12 > bytes.size())
        return std::nullopt;
    return static_cast<unsigned char>(bytes[at + 10]) |
           (static_cast<unsigned char>(bytes[at + 11]) << 8);
}

inline bool run(const std::string& command) {
    INFO(command);
    return std::system(command.c_str()) == 0;
}

// opusdec at 48 kHz without dither, raw 16-bit output (a name not ending in .wav).
inline std::vector<float> decodeWithOpusdec(const fs::path& file) {
    const auto raw = fs::path(file).replace_extension(".opusdec.raw");
    REQUIRE(run("opusdec --quiet --rate 48000 --no-dither '" + file.string() + "' '" +
                raw.string() + "' 2>/dev/null"));
    const auto bytes = readAll(raw);
    std::vector<float> samples(bytes.size() / 2);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const auto lo = static_cast<unsigned char>(bytes[2 * i]);
        const auto hi = static_cast<unsigned char>(bytes[2 * i + 1]);
        const auto value = static_cast<std::int16_t>(static_cast<std::uint16_t>(lo | (hi << 8)));
        samples[i] = static_cast<float>(value) / 32768.0f;
    }
    return samples;
}

// ffmpeg's own Opus decoder, 32-bit float mono at 48 kHz.
inline std::vector<float> decodeWithFfmpeg(const fs::path& file) {
    const auto raw = fs::path(file).replace_extension(".ffmpeg.raw");
    REQUIRE(run("ffmpeg -nostdin -v error -y -i '" + file.string() +
                "' -f f32le -ac 1 -ar 48000 '" + raw.string() + "'"));
    const auto bytes = readAll(raw);
    std::vector<float> samples(bytes.size() / sizeof(float));
    std::memcpy(samples.data(), bytes.data(), samples.size() * sizeof(float));
    return samples;
}

// The frequency of a steady tone from its rising zero crossings over [begin, end).
inline double zeroCrossingHz(const std::vector<float>& x, std::size_t begin, std::size_t end) {
    std::optional<double> first;
    double last = 0.0;
    int crossings = 0;
    for (std::size_t i = begin + 1; i < end; ++i) {
        if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
            const double at = static_cast<double>(i - 1) + x[i - 1] / (x[i - 1] - x[i]);
            if (!first)
                first = at;
            else
                ++crossings;
            last = at;
        }
    }
    if (!first || crossings == 0)
        return 0.0;
    return crossings * 48000.0 / (last - *first);
}

} // namespace dragoman::test

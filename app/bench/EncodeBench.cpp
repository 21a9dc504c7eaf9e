// The encode case: what one channel's Opus encoder costs, per application mode and frame size.
#include "bench/Bench.h"
#include "codec/OpusEncoder.h"

#include <array>
#include <cstdio>
#include <ctime>
#include <vector>

namespace dragoman::bench {

namespace {

double threadCpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

} // namespace

void runEncode(const std::vector<float>& speech) {
    using venue::OpusApplication;
    struct Row {
        OpusApplication application;
        double frameMs;
        int bitrate;
    };
    // The venue defaults (20 ms, 32 kb/s, complexity 10, FEC where it exists) per mode, and
    // the low-latency profile (tirana-lowlatency.json: lowdelay, 2.5 ms).
    const std::array<Row, 4> rows{{{OpusApplication::Voip, 20.0, 32000},
                                   {OpusApplication::Audio, 20.0, 32000},
                                   {OpusApplication::LowDelay, 20.0, 32000},
                                   {OpusApplication::LowDelay, 2.5, 64000}}};
    for (const auto& row : rows) {
        venue::OpusSettings settings;
        settings.application = row.application;
        settings.frameMs = row.frameMs;
        settings.bitrate = row.bitrate;
        settings.fec = row.application != OpusApplication::LowDelay;
        auto encoder = codec::OpusEncoder::create(settings);
        if (!encoder) {
            std::fprintf(stderr, "dragoman-bench: encode: %s\n", encoder.error.c_str());
            continue;
        }
        const auto frame = static_cast<std::size_t>(encoder.value->frameSamples());
        std::array<std::uint8_t, 1275> packet{};
        std::size_t frames = 0;
        std::size_t bytes = 0;
        const double start = threadCpuSeconds();
        for (std::size_t at = 0; at + frame <= speech.size(); at += frame, ++frames) {
            const auto encoded =
                encoder.value->encode(std::span<const float>(speech.data() + at, frame), packet);
            bytes += encoded ? encoded.value : 0;
        }
        const double cpu = threadCpuSeconds() - start;
        const double audio = static_cast<double>(frames * frame) / 48000.0;
        std::printf("{\"case\":\"encode\",\"application\":\"%s\",\"frame_ms\":%g,\"bitrate\":%d,"
                    "\"complexity\":%d,\"fec\":%s,\"audio_s\":%.1f,\"cpu_ms_per_audio_s\":%.2f,"
                    "\"load\":%.4f,\"kbps_out\":%.1f}\n",
                    std::string(venue::toString(row.application)).c_str(), row.frameMs, row.bitrate,
                    settings.complexity, settings.fec ? "true" : "false", audio,
                    1000.0 * cpu / audio, cpu / audio,
                    8.0 * static_cast<double>(bytes) / audio / 1000.0);
        std::fflush(stdout);
    }
}

} // namespace dragoman::bench

// Replays fuzz inputs through the fuzz target without libFuzzer (any compiler):
//   receive-fuzz-replay FILE|DIR...        runs each file, exits non-zero if one fails
//   receive-fuzz-replay --make-seeds DIR   writes seed inputs: real RTP/Opus streams (clean,
//                                          reordered, duplicated, lossy, wrapping) as scripts
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <opus/opus.h>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

void put16(std::vector<std::uint8_t>& v, unsigned x) {
    v.push_back(static_cast<std::uint8_t>(x));
    v.push_back(static_cast<std::uint8_t>(x >> 8));
}

// An RTP packet (12-byte header, PT 96) carrying `payload`.
std::vector<std::uint8_t> rtp(std::uint16_t seq, std::uint32_t ts, std::uint32_t ssrc,
                              const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> p{0x80, 96, static_cast<std::uint8_t>(seq >> 8),
                                static_cast<std::uint8_t>(seq)};
    for (int s = 24; s >= 0; s -= 8)
        p.push_back(static_cast<std::uint8_t>(ts >> s));
    for (int s = 24; s >= 0; s -= 8)
        p.push_back(static_cast<std::uint8_t>(ssrc >> s));
    p.insert(p.end(), payload.begin(), payload.end());
    return p;
}

int makeSeeds(const fs::path& dir) {
    fs::create_directories(dir);
    struct Profile {
        const char* name;
        int application;
        int frame;
        bool fec;
    };
    const Profile profiles[] = {{"lowdelay", OPUS_APPLICATION_RESTRICTED_LOWDELAY, 120, false},
                                {"speech", OPUS_APPLICATION_AUDIO, 960, true}};
    for (const auto& profile : profiles) {
        int error = 0;
        OpusEncoder* encoder = opus_encoder_create(48000, 1, profile.application, &error);
        opus_encoder_ctl(encoder, OPUS_SET_BITRATE(32000));
        if (profile.fec) {
            opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(1));
            opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(10));
        }
        std::vector<std::vector<std::uint8_t>> packets;
        std::vector<float> pcm(static_cast<std::size_t>(profile.frame));
        for (int k = 0; k < 40; ++k) {
            for (int i = 0; i < profile.frame; ++i)
                pcm[static_cast<std::size_t>(i)] =
                    0.3f * static_cast<float>(std::sin(2 * 3.14159265 * 480.0 *
                                                       (k * profile.frame + i) / 48000.0));
            std::vector<std::uint8_t> out(1500);
            const int n = opus_encode_float(encoder, pcm.data(), profile.frame, out.data(), 1500);
            out.resize(static_cast<std::size_t>(n > 0 ? n : 0));
            packets.push_back(out);
        }
        opus_encoder_destroy(encoder);
        struct Variant {
            const char* name;
            int every; // 0: none
            int kind;  // 0 clean, 1 swap, 2 duplicate, 3 drop
        };
        for (const Variant v : {Variant{"clean", 0, 0}, Variant{"reordered", 5, 1},
                                Variant{"duplicated", 4, 2}, Variant{"lossy", 6, 3}}) {
            std::vector<std::uint8_t> script;
            const std::uint32_t ts0 = 0xffffffffu - 5u * static_cast<std::uint32_t>(profile.frame);
            std::vector<std::vector<std::uint8_t>> datagrams;
            for (std::size_t k = 0; k < packets.size(); ++k)
                datagrams.push_back(rtp(static_cast<std::uint16_t>(65530 + k),
                                        ts0 + static_cast<std::uint32_t>(k * profile.frame), 0x1234,
                                        packets[k]));
            for (std::size_t k = 0; k < datagrams.size(); ++k) {
                if (v.every && k % v.every == 3) {
                    if (v.kind == 1 && k + 1 < datagrams.size())
                        std::swap(datagrams[k], datagrams[k + 1]);
                    if (v.kind == 3)
                        continue;
                }
                const int copies = v.every && v.kind == 2 && k % v.every == 3 ? 2 : 1;
                for (int c = 0; c < copies; ++c) {
                    script.push_back(0);
                    put16(script, static_cast<unsigned>(datagrams[k].size()));
                    script.insert(script.end(), datagrams[k].begin(), datagrams[k].end());
                }
                for (int b = 0; b < profile.frame / 120; ++b)
                    script.push_back(b % 2 == 0 ? 1 : 2 + (29 << 2));
            }
            std::ofstream(dir / (std::string(profile.name) + "-" + v.name), std::ios::binary)
                .write(reinterpret_cast<const char*>(script.data()),
                       static_cast<std::streamsize>(script.size()));
        }
    }
    return 0;
}

int replay(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::vector<std::uint8_t> data{std::istreambuf_iterator<char>(in), {}};
    return LLVMFuzzerTestOneInput(data.data(), data.size());
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--make-seeds")
        return makeSeeds(argv[2]);
    int failures = 0, runs = 0;
    for (int i = 1; i < argc; ++i) {
        const fs::path path(argv[i]);
        if (fs::is_directory(path)) {
            for (const auto& entry : fs::directory_iterator(path))
                if (entry.is_regular_file())
                    failures += replay(entry.path()) != 0, ++runs;
        } else {
            failures += replay(path) != 0, ++runs;
        }
    }
    std::printf("receive-fuzz-replay: %d inputs, %d failed\n", runs, failures);
    return failures == 0 && runs > 0 ? 0 : 1;
}

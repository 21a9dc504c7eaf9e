// Fuzz target: arbitrary datagrams into the listener's receive path (RTP parsing, SSRC lock,
// jitter buffer, Opus decode/FEC/PLC, drift resampler), with device blocks rendered between
// them. The input is a script of records: one command byte, then for datagrams a 16-bit
// little-endian length and that many bytes.
//
//   command % 4 == 0: a datagram arrives 1 ms after the previous one
//   command % 4 == 1: the device renders a 128-frame block
//   command % 4 == 2: the device renders a block of (command >> 2) + 1 frames
//   command % 4 == 3: a datagram arrives (command >> 2) * 10 ms after the previous one
//
// Built by tests/fuzz/CMakeLists.txt (clang, libFuzzer, ASan + UBSan) in its own build folder;
// the default suite replays the committed corpus through the same function
// (test_receive_fuzz_replay).
#include "receive/ReceiveChannel.h"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    dragoman::receive::ReceiveSettings settings;
    settings.queueCapacity = 64;
    dragoman::receive::ReceiveChannel channel(settings);
    std::vector<float> out(256);
    double arrival = 0.0;
    std::size_t at = 0;
    while (at < size) {
        const std::uint8_t command = data[at++];
        switch (command % 4) {
        case 1:
            channel.render(out.data(), 128);
            break;
        case 2:
            channel.render(out.data(), (command >> 2) + 1u);
            break;
        default: {
            if (size - at < 2)
                return 0;
            std::size_t length = data[at] | (std::size_t{data[at + 1]} << 8);
            at += 2;
            if (length > size - at)
                length = size - at;
            arrival += command % 4 == 0 ? 48.0 : 480.0 * (command >> 2);
            channel.push(std::span<const std::uint8_t>(data + at, length), arrival);
            at += length;
            break;
        }
        }
    }
    channel.render(out.data(), 128);
    const auto stats = channel.stats();
    return stats.datagrams >= stats.packets ? 0 : 1;
}

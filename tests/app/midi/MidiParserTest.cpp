// The MIDI byte-stream parser: what comes out of good streams, what is dropped and counted
// from bad ones, and a seeded random stream of more than a million messages that must neither
// crash (run it under ASan/UBSan too) nor deliver anything that is not a channel message.
#include "midi/MidiParser.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

using dragoman::midi::MidiMessage;
using dragoman::midi::MidiParser;

namespace {

using Bytes = std::vector<std::uint8_t>;

std::vector<MidiMessage> parse(MidiParser& parser, const Bytes& bytes, std::size_t chunk = 0) {
    std::vector<MidiMessage> out;
    const auto sink = [&](const MidiMessage& m) { out.push_back(m); };
    if (chunk == 0) {
        parser.feed(bytes.data(), bytes.size(), sink);
        return out;
    }
    for (std::size_t i = 0; i < bytes.size(); i += chunk)
        parser.feed(bytes.data() + i, std::min(chunk, bytes.size() - i), sink);
    return out;
}

struct Expected {
    std::uint64_t stray = 0;
    std::uint64_t truncated = 0;
    std::uint64_t sysex = 0;
    std::uint64_t system = 0;
    std::uint64_t unknown = 0;
};

struct ParseCase {
    std::string name;
    Bytes bytes;
    std::vector<MidiMessage> messages;
    Expected counts;
};

MidiMessage msg(std::uint8_t status, std::uint8_t a, std::uint8_t b = 0) {
    return {status, a, b};
}

} // namespace

TEST_CASE("The parser delivers channel messages and drops and counts everything else") {
    const auto row = GENERATE(values<ParseCase>({
        {"note on", {0x90, 36, 100}, {msg(0x90, 36, 100)}, {}},
        {"note off, control change, pitch bend",
         {0x80, 36, 0, 0xB3, 7, 64, 0xE0, 0, 64},
         {msg(0x80, 36, 0), msg(0xB3, 7, 64), msg(0xE0, 0, 64)},
         {}},
        {"program change and channel pressure take one data byte",
         {0xC1, 5, 0xD2, 90},
         {msg(0xC1, 5), msg(0xD2, 90)},
         {}},
        {"running status reuses the last channel status",
         {0x90, 36, 100, 37, 100, 36, 0},
         {msg(0x90, 36, 100), msg(0x90, 37, 100), msg(0x90, 36, 0)},
         {}},
        {"running status with one-byte messages",
         {0xC0, 1, 2, 3},
         {msg(0xC0, 1), msg(0xC0, 2), msg(0xC0, 3)},
         {}},
        {"data bytes before any status are stray",
         {36, 100, 0x90, 36, 100},
         {msg(0x90, 36, 100)},
         {.stray = 2}},
        {"a message cut short by a new status is truncated",
         {0x90, 36, 0xB0, 7, 10},
         {msg(0xB0, 7, 10)},
         {.truncated = 1}},
        {"SysEx is skipped whole",
         {0xF0, 0x7E, 1, 2, 3, 0xF7, 0x90, 1, 2},
         {msg(0x90, 1, 2)},
         {.sysex = 1}},
        {"an unterminated SysEx ends at the next status byte",
         {0xF0, 1, 2, 3, 0x90, 40, 1},
         {msg(0x90, 40, 1)},
         {.sysex = 1}},
        {"SysEx cancels running status",
         {0x90, 1, 1, 0xF0, 5, 0xF7, 2, 2},
         {msg(0x90, 1, 1)},
         {.stray = 2, .sysex = 1}},
        {"real-time bytes inside a message change nothing",
         {0x90, 0xF8, 36, 0xFE, 100, 0xFA},
         {msg(0x90, 36, 100)},
         {.system = 3}},
        {"system common messages are parsed and ignored, and cancel running status",
         {0x90, 1, 1, 0xF2, 10, 20, 0xF1, 5, 0xF3, 2, 0xF6, 3, 3},
         {msg(0x90, 1, 1)},
         {.stray = 2, .system = 4}},
        {"undefined status bytes are unknown",
         {0xF4, 0xF5, 0xF9, 0xFD, 0x90, 1, 1},
         {msg(0x90, 1, 1)},
         {.unknown = 4}},
        {"End of Exclusive with no SysEx is stray",
         {0xF7, 0xB0, 1, 2},
         {msg(0xB0, 1, 2)},
         {.stray = 1}},
        {"a message still incomplete when the input ends delivers nothing yet", {0x90, 36}, {}, {}},
    }));
    SECTION(row.name) {
        for (std::size_t chunk : {0, 1, 2, 3}) {
            INFO("chunks of " << chunk << " bytes (0 = all at once)");
            MidiParser parser;
            const auto out = parse(parser, row.bytes, chunk);
            CHECK(out == row.messages);
            const auto c = parser.counters();
            CHECK(c.messages == row.messages.size());
            CHECK(c.stray == row.counts.stray);
            CHECK(c.truncated == row.counts.truncated);
            CHECK(c.sysex == row.counts.sysex);
            CHECK(c.system == row.counts.system);
            CHECK(c.unknown == row.counts.unknown);
        }
    }
}

TEST_CASE("A SysEx flood costs no memory and ends cleanly") {
    MidiParser parser;
    Bytes flood{0xF0};
    flood.insert(flood.end(), 1'000'000, 0x55);
    flood.push_back(0xF7);
    flood.insert(flood.end(), {0x90, 36, 127});
    const auto out = parse(parser, flood, 4096);
    REQUIRE(out.size() == 1);
    CHECK(out[0] == msg(0x90, 36, 127));
    CHECK(parser.counters().sysex == 1);
    CHECK(parser.counters().sysexBytes == 1'000'000);
}

TEST_CASE("Random byte streams of over a million messages: only well-formed channel messages") {
    // Seeded, so a failure reproduces. Half the stream is well-formed MIDI (which must come
    // through intact), half is arbitrary bytes in arbitrary chunks.
    std::mt19937_64 random(0x5eed'd1a6'0a11ULL);
    MidiParser parser;
    std::uint64_t delivered = 0;
    std::uint64_t sent = 0;
    Bytes stream;
    constexpr std::uint64_t kMessages = 1'100'000;
    for (std::uint64_t n = 0; n < kMessages; ++n) {
        const auto kind = random() % 4;
        if (kind == 0) {
            // An arbitrary burst of 1..8 bytes.
            const auto length = 1 + random() % 8;
            for (std::uint64_t i = 0; i < length; ++i)
                stream.push_back(static_cast<std::uint8_t>(random()));
        } else {
            const auto status = static_cast<std::uint8_t>(0x80 | (random() % 0x70));
            stream.push_back(status);
            stream.push_back(static_cast<std::uint8_t>(random() % 128));
            const int type = status >> 4;
            if (type != 0xC && type != 0xD)
                stream.push_back(static_cast<std::uint8_t>(random() % 128));
            ++sent;
        }
        if (stream.size() > 4096 || n + 1 == kMessages) {
            for (std::size_t i = 0; i < stream.size();) {
                const std::size_t chunk =
                    std::min<std::size_t>(1 + random() % 64, stream.size() - i);
                parser.feed(stream.data() + i, chunk, [&](const MidiMessage& m) {
                    ++delivered;
                    if (m.status < 0x80 || m.status > 0xEF || m.data1 > 127 || m.data2 > 127)
                        FAIL("malformed message delivered");
                });
                i += chunk;
            }
            stream.clear();
        }
    }
    const auto c = parser.counters();
    INFO("sent " << sent << ", delivered " << delivered << ", stray " << c.stray << ", truncated "
                 << c.truncated << ", sysex " << c.sysex << ", system " << c.system << ", unknown "
                 << c.unknown);
    CHECK(c.messages == delivered);
    CHECK(sent >= 800'000);
    // Random bytes can only break the well-formed messages next to them (and add some of their
    // own by running status): most still get through.
    CHECK(delivered > sent / 2);
    CHECK(c.dropped() > 0);
}

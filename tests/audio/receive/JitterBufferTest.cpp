#include "receive/JitterBuffer.h"

#include "receive/ReceptionStats.h"

#include <catch2/catch.hpp>

using namespace dragoman;
using receive::JitterBuffer;

namespace {

receive::ReceivedPacket packet(std::uint16_t seq, std::uint32_t ts) {
    receive::ReceivedPacket p;
    p.header.sequence = seq;
    p.header.timestamp = ts;
    p.size = 1;
    p.payload[0] = static_cast<std::uint8_t>(seq);
    return p;
}

} // namespace

TEST_CASE("Jitter buffer: packets come out in timestamp order whatever the arrival order",
          "[receive][jitter]") {
    JitterBuffer jb;
    for (std::uint16_t seq : {3, 1, 4, 2, 0})
        REQUIRE(jb.insert(packet(seq, seq * 960u), 960, 0u) == JitterBuffer::Insert::Stored);
    std::uint32_t ts = 0;
    for (int expected = 0; expected < 5; ++expected) {
        const auto* e = jb.earliestFrom(ts);
        REQUIRE(e);
        CHECK(e->packet.header.sequence == expected);
        ts = e->packet.header.timestamp + static_cast<std::uint32_t>(e->duration);
        jb.consume(e);
    }
    CHECK(jb.size() == 0);
}

TEST_CASE("Jitter buffer: duplicates and late packets are recognised", "[receive][jitter]") {
    struct Case {
        const char* what;
        std::uint16_t seq;
        std::uint32_t ts;
        JitterBuffer::Insert expected;
    };
    // Played: seq 0 (ts 0). Waiting: seq 2 (ts 1920). Playhead: 960 (seq 1 was concealed).
    const Case cases[] = {
        {"a copy of a waiting packet", 2, 1920, JitterBuffer::Insert::Duplicate},
        {"a copy of a played packet", 0, 0, JitterBuffer::Insert::Duplicate},
        {"a packet whose time has passed", 1, 0, JitterBuffer::Insert::Late},
        {"the next packet", 3, 2880, JitterBuffer::Insert::Stored},
    };
    for (const auto& c : cases) {
        SECTION(c.what) {
            JitterBuffer jb;
            REQUIRE(jb.insert(packet(0, 0), 960, 0u) == JitterBuffer::Insert::Stored);
            jb.consume(jb.earliestFrom(0));
            REQUIRE(jb.insert(packet(2, 1920), 960, 960u) == JitterBuffer::Insert::Stored);
            CHECK(jb.insert(packet(c.seq, c.ts), 960, 960u) == c.expected);
        }
    }
}

TEST_CASE("Jitter buffer: timestamps wrap around 2^32", "[receive][jitter]") {
    JitterBuffer jb;
    const std::uint32_t start = 0xffffffffu - 959;
    REQUIRE(jb.insert(packet(1, start + 960), 960, start) == JitterBuffer::Insert::Stored);
    REQUIRE(jb.insert(packet(0, start), 960, start) == JitterBuffer::Insert::Stored);
    CHECK(jb.earliestFrom(start)->packet.header.sequence == 0);
    CHECK(*jb.latestEnd(start) == start + 1920);
    CHECK(jb.insert(packet(9, start - 960), 960, start) == JitterBuffer::Insert::Late);
}

TEST_CASE("Jitter buffer: when full, the farthest packet makes room", "[receive][jitter]") {
    JitterBuffer jb;
    for (std::uint16_t i = 1; i <= JitterBuffer::kCapacity; ++i)
        REQUIRE(jb.insert(packet(i, i * 120u), 120, 0u) == JitterBuffer::Insert::Stored);
    CHECK(jb.insert(packet(5000, 999999), 120, 0u) == JitterBuffer::Insert::Overflow);
    CHECK(jb.insert(packet(0, 0), 120, 0u) == JitterBuffer::Insert::Stored);
    CHECK(jb.size() == JitterBuffer::kCapacity);
    CHECK(*jb.latestEnd(0) == JitterBuffer::kCapacity * 120u); // the last one was evicted
}

TEST_CASE("Reception statistics follow RFC 3550", "[receive][rtcp]") {
    SECTION("loss, reordering and sequence wrap") {
        receive::ReceptionStats s;
        double t = 0;
        // 65530 .. 65545 (wrapping), without 65533 and 65540, with 2 swapped.
        std::vector<std::uint32_t> seqs;
        for (std::uint32_t q = 65530; q < 65546; ++q)
            if (q != 65533 && q != 65540)
                seqs.push_back(q);
        std::swap(seqs[4], seqs[5]);
        for (auto q : seqs)
            s.onPacket(static_cast<std::uint16_t>(q), q * 960, t += 960);
        CHECK(s.expected() == 16);
        CHECK(s.lost() == 2);
        CHECK(s.reordered() == 1);
        CHECK(s.extendedHighest() == 65545u);
        const auto block = s.reportBlock(42);
        CHECK(block.ssrc == 42);
        CHECK(block.cumulativeLost == 2);
        CHECK(block.fractionLost == (2 << 8) / 16);
        CHECK(s.reportBlock(42).fractionLost == 0); // nothing lost since
    }
    SECTION("jitter is zero for a steady stream and grows with varying transit") {
        receive::ReceptionStats steady, shaky;
        for (std::uint32_t q = 0; q < 200; ++q) {
            steady.onPacket(static_cast<std::uint16_t>(q), q * 960, q * 960.0 + 500);
            shaky.onPacket(static_cast<std::uint16_t>(q), q * 960, q * 960.0 + (q % 2) * 480.0);
        }
        CHECK(steady.jitterSamples() == Approx(0.0).margin(1e-9));
        CHECK(shaky.jitterSamples() == Approx(480.0).epsilon(0.05));
    }
}

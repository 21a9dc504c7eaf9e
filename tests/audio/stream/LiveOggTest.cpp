// Live Ogg Opus for HTTP listeners: the page layout each listener receives (RFC 7845), one
// packet per page, its own logical stream, and the slow-listener rule.
#include "stream/LiveOggStreams.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using namespace dragoman;

namespace {

// Collects what a listener is sent; `stalled` makes it pass nothing on (a peer not reading).
struct FakeOutput final : stream::LiveOggStreams::Output {
    void send(const std::uint8_t* data, std::size_t size) override {
        bytes.insert(bytes.end(), data, data + size);
        if (stalled)
            held += size;
    }
    std::size_t unsent() const override { return held; }
    std::vector<std::uint8_t> bytes;
    bool stalled = false;
    std::size_t held = 0;
};

struct Page {
    int flags = 0;
    std::int64_t granule = 0;
    std::uint32_t serial = 0;
    std::uint32_t sequence = 0;
    std::vector<std::vector<std::uint8_t>> packets; // complete packets ending on this page
};

std::uint32_t le32(const std::uint8_t* p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

std::vector<Page> parsePages(const std::vector<std::uint8_t>& bytes) {
    std::vector<Page> pages;
    std::size_t at = 0;
    while (at + 27 <= bytes.size()) {
        REQUIRE(std::memcmp(&bytes[at], "OggS", 4) == 0);
        REQUIRE(bytes[at + 4] == 0);
        Page page;
        page.flags = bytes[at + 5];
        page.granule = static_cast<std::int64_t>(le32(&bytes[at + 6]) |
                                                 (std::uint64_t{le32(&bytes[at + 10])} << 32));
        page.serial = le32(&bytes[at + 14]);
        page.sequence = le32(&bytes[at + 18]);
        const int segments = bytes[at + 26];
        std::size_t body = at + 27 + static_cast<std::size_t>(segments);
        REQUIRE(body <= bytes.size());
        std::vector<std::uint8_t> packet;
        bool open = false;
        for (int s = 0; s < segments; ++s) {
            const int lace = bytes[at + 27 + static_cast<std::size_t>(s)];
            REQUIRE(body + static_cast<std::size_t>(lace) <= bytes.size());
            packet.insert(packet.end(), bytes.begin() + static_cast<long>(body),
                          bytes.begin() + static_cast<long>(body) + lace);
            body += static_cast<std::size_t>(lace);
            open = lace == 255;
            if (!open) {
                page.packets.push_back(packet);
                packet.clear();
            }
        }
        REQUIRE_FALSE(open); // no packet continues on a next page
        pages.push_back(std::move(page));
        at = body;
    }
    REQUIRE(at == bytes.size());
    return pages;
}

stream::EncodedPacket packet(int channel, std::uint64_t position, std::uint32_t duration,
                             std::uint8_t fill, std::uint16_t size = 80) {
    stream::EncodedPacket p;
    p.channel = channel;
    p.position = position;
    p.durationSamples = duration;
    p.bytes = size;
    p.data[0] = 0x08; // a SILK TOC; the content does not matter here
    for (std::size_t i = 1; i < size; ++i)
        p.data[i] = fill;
    return p;
}

std::vector<stream::LiveChannel> channels() {
    return {{"floor", 312, {"LANGUAGE=floor"}}, {"en", 120, {"LANGUAGE=en", "TITLE=Test"}}};
}

} // namespace

TEST_CASE("A live listener gets OpusHead, OpusTags, then one packet per page, granules from 0") {
    stream::LiveOggStreams live(channels());
    FakeOutput out;
    // Packets before the listener joins are not sent to it.
    live.onPacket(packet(1, 0, 960, 1));
    live.drain();
    const int id = live.add(1, out);
    CHECK(id > 0);
    CHECK(live.listeners(1) == 1);
    CHECK(live.listeners(0) == 0);
    for (int i = 0; i < 10; ++i) {
        live.onPacket(packet(0, 48000 + static_cast<std::uint64_t>(i) * 960, 960, 9)); // floor
        live.onPacket(packet(1, 48000 + static_cast<std::uint64_t>(i) * 960, 960,
                             static_cast<std::uint8_t>(10 + i),
                             static_cast<std::uint16_t>(60 + i)));
    }
    live.onPacket(packet(1, 60000, 480, 99)); // a shorter frame
    CHECK(live.drain().empty());

    const auto pages = parsePages(out.bytes);
    REQUIRE(pages.size() == 2 + 11);
    // OpusHead (RFC 7845 5.1) alone on the first page, marked beginning of stream.
    CHECK(pages[0].flags == 0x02);
    CHECK(pages[0].granule == 0);
    REQUIRE(pages[0].packets.size() == 1);
    const auto& head = pages[0].packets[0];
    REQUIRE(head.size() == 19);
    CHECK(std::string(head.begin(), head.begin() + 8) == "OpusHead");
    CHECK(head[8] == 1);                        // version
    CHECK(head[9] == 1);                        // mono
    CHECK((head[10] | (head[11] << 8)) == 120); // pre-skip: the channel's lookahead
    CHECK(le32(&head[12]) == 48000);            // input sample rate
    CHECK((head[16] | (head[17] << 8)) == 0);   // output gain
    CHECK(head[18] == 0);                       // mapping family
    // OpusTags alone on the second page, granule 0.
    REQUIRE(pages[1].packets.size() == 1);
    CHECK(std::string(pages[1].packets[0].begin(), pages[1].packets[0].begin() + 8) == "OpusTags");
    CHECK(pages[1].granule == 0);
    CHECK(pages[1].flags == 0);

    // Audio: one packet per page, this channel's only, granules counted from the listener's
    // first packet (not the session's position), sequence numbers consecutive, one serial.
    std::int64_t granule = 0;
    for (std::size_t p = 2; p < pages.size(); ++p) {
        INFO("page " << p);
        REQUIRE(pages[p].packets.size() == 1);
        CHECK(pages[p].flags == 0);
        CHECK(pages[p].serial == pages[0].serial);
        CHECK(pages[p].sequence == p);
        const auto& data = pages[p].packets[0];
        if (p < pages.size() - 1) {
            CHECK(data.size() == 60 + (p - 2));
            CHECK(data[1] == 10 + (p - 2));
            granule += 960;
        } else {
            CHECK(data[1] == 99);
            granule += 480;
        }
        CHECK(pages[p].granule == granule);
    }
    CHECK(live.stats().packets == 22);
    live.remove(id);
    CHECK(live.listeners(1) == 0);
}

TEST_CASE("Each live listener has its own logical stream starting at granule 0") {
    stream::LiveOggStreams live(channels());
    FakeOutput first, second;
    live.add(0, first);
    for (int i = 0; i < 5; ++i)
        live.onPacket(packet(0, static_cast<std::uint64_t>(i) * 960, 960, 1));
    live.drain();
    live.add(0, second);
    for (int i = 5; i < 8; ++i)
        live.onPacket(packet(0, static_cast<std::uint64_t>(i) * 960, 960, 1));
    live.drain();

    const auto a = parsePages(first.bytes);
    const auto b = parsePages(second.bytes);
    REQUIRE(a.size() == 2 + 8);
    REQUIRE(b.size() == 2 + 3);
    CHECK(a[0].serial != b[0].serial);
    CHECK((b[0].packets[0][10] | (b[0].packets[0][11] << 8)) == 312);
    CHECK(a.back().granule == 8 * 960);
    CHECK(b[2].granule == 960);
    CHECK(b.back().granule == 3 * 960);
    CHECK(live.listeners(0) == 2);
}

TEST_CASE("A live listener more than the limit behind is dropped and the others keep receiving") {
    stream::LiveOggOptions options;
    options.maxQueuedSamples = 48000; // 1 s
    stream::LiveOggStreams live(channels(), options);
    FakeOutput slow, fast;
    slow.stalled = true;
    const int slowId = live.add(1, slow);
    live.add(1, fast);
    std::vector<int> dropped;
    int sent = 0;
    // 20 ms packets: 50 of them are exactly 1 s behind, the 51st is more.
    for (; sent < 60 && dropped.empty(); ++sent) {
        live.onPacket(packet(1, static_cast<std::uint64_t>(sent) * 960, 960, 1));
        dropped = live.drain();
    }
    REQUIRE(dropped == std::vector<int>{slowId});
    CHECK(sent == 51);
    CHECK(live.listeners(1) == 1);
    CHECK(live.stats().slowDropped == 1);
    const auto before = fast.bytes.size();
    live.onPacket(packet(1, 60 * 960, 960, 1));
    CHECK(live.drain().empty());
    CHECK(fast.bytes.size() > before);
    CHECK(parsePages(fast.bytes).size() == 2 + 52);
}

TEST_CASE("A full live queue drops packets on the encoder side and counts them") {
    stream::LiveOggOptions options;
    options.queuePackets = 4;
    stream::LiveOggStreams live(channels(), options);
    for (int i = 0; i < 100; ++i)
        live.onPacket(packet(0, static_cast<std::uint64_t>(i) * 960, 960, 1));
    live.drain();
    const auto stats = live.stats();
    CHECK(stats.queueDrops > 0);
    CHECK(stats.packets + stats.queueDrops == 100);
}

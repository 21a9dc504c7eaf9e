#include "receive/PlayoutController.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

using dragoman::receive::PlayoutController;

namespace {

constexpr double kNoPacket = std::numeric_limits<double>::infinity();

// Feeds 3 s of 128-sample blocks, one spare figure per 0.1 s window (`spares`, cycled), and
// returns the trim the controller settled on.
int settle(const std::vector<double>& spares) {
    PlayoutController controller;
    const std::size_t blocksPerWindow = 38; // 38 * 128 > 4800: one window each
    for (std::size_t w = 0; w < 30; ++w)
        for (std::size_t b = 0; b < blocksPerWindow; ++b)
            controller.observe(spares[w % spares.size()], 128);
    return controller.ppm();
}

} // namespace

TEST_CASE("The playout controller trims by the packets' arrival slack, a few spikes aside",
          "[receive][playout]") {
    struct Case {
        const char* rule;
        std::vector<double> spares; // per 0.1 s window, in samples
        int sign;                   // of the trim: +1 shrink, 0 hold, -1 grow
    };
    std::vector<double> oneSpike(30, 960.0);
    oneSpike[7] = 0.0; // one late packet in 3 s
    std::vector<double> oftenShort(30, 960.0);
    for (std::size_t i = 0; i < 30; i += 3)
        oftenShort[i] = 0.0; // a late packet every 0.3 s: the buffer is where it must be
    const Case cases[] = {
        {"20 ms to spare everywhere: shrink", {960.0}, +1},
        {"one late packet in 3 s does not hold a 20 ms excess up", oneSpike, +1},
        {"late packets every 0.3 s: hold", oftenShort, 0},
        {"just the margin to spare: hold", {48.0}, 0},
        {"no packets at all (a pause): hold", {kNoPacket}, 0},
        {"windows without packets say nothing", {960.0, kNoPacket}, +1},
        {"most windows short (a slow sender clock): grow", {0.0}, -1},
    };
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.rule) {
            const int ppm = settle(c.spares);
            INFO("ppm " << ppm);
            if (c.sign > 0)
                CHECK(ppm > 0);
            else if (c.sign < 0)
                CHECK(ppm < 0);
            else
                CHECK(ppm == 0);
        }
    }
}

TEST_CASE("The playout controller shrinks a large excess faster than it ever grows",
          "[receive][playout]") {
    dragoman::receive::PlayoutSettings s;
    CHECK(settle({4800.0}) == s.maxShrinkPpm);
    CHECK(settle({0.0}) >= -s.maxPpm);
    CHECK(s.maxShrinkPpm > s.maxPpm);
}

TEST_CASE("Growth by concealment counts at once: the spare remembered grows with the buffer",
          "[receive][playout]") {
    struct Case {
        const char* rule;
        double shift; // samples the buffer grew (+) or lost (-) at once
        int sign;
    };
    for (const auto& c : {Case{"a 20 ms stretch is excess at once", 960.0, +1},
                          Case{"time moving on takes spare away", -960.0, -1},
                          Case{"nothing happened: hold", 0.0, 0}}) {
        DYNAMIC_SECTION(c.rule) {
            PlayoutController controller;
            for (int b = 0; b < 30 * 38; ++b) // 3 s with just the margin to spare
                controller.observe(48.0, 128);
            REQUIRE(controller.ppm() == 0);
            controller.shift(c.shift);
            for (int b = 0; b < 38; ++b) // one more window, no packet in it
                controller.observe(kNoPacket, 128);
            INFO("ppm " << controller.ppm());
            if (c.sign > 0)
                CHECK(controller.ppm() > 0);
            else if (c.sign < 0)
                CHECK(controller.ppm() < 0);
            else
                CHECK(controller.ppm() == 0);
        }
    }
}

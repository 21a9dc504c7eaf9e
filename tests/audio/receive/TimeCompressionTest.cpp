#include "receive/TimeCompression.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

using namespace dragoman;

namespace {

std::vector<float> tone(double hz, std::size_t n) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = static_cast<float>(0.5 * std::sin(2 * M_PI * hz * static_cast<double>(i) / 48000.0));
    return x;
}

// The largest sample-to-sample step of what is played: the audio up to the cut's crossfade,
// then from the cut on.
double worstStep(const std::vector<float>& x, std::size_t cut) {
    double worst = 0.0;
    float previous = x[0];
    for (std::size_t i = cut; i < x.size(); ++i) {
        worst = std::max(worst, static_cast<double>(std::abs(x[i] - previous)));
        previous = x[i];
    }
    return worst;
}

} // namespace

TEST_CASE("A cut in a periodic signal is whole periods long and leaves no click",
          "[receive][compress]") {
    struct Case {
        double hz;
        std::size_t period;
    };
    for (const auto c : {Case{200.0, 240}, Case{160.0, 300}, Case{480.0, 100}}) {
        DYNAMIC_SECTION(c.hz << " Hz") {
            auto x = tone(c.hz, 960);
            const double slope = 0.5 * 2 * M_PI * c.hz / 48000.0;
            const std::size_t cut = receive::compress(x, 120, 600, 240);
            INFO("cut " << cut);
            CHECK(cut >= 120);
            CHECK(cut <= 600);
            CHECK(cut % c.period == 0);
            CHECK(cut > 600 - c.period); // as much as the range allows
            CHECK(worstStep(x, cut) < 1.05 * slope);
        }
    }
}

TEST_CASE("A cut in noise stays in its range, and a frame too short is left alone",
          "[receive][compress]") {
    std::mt19937 random(5);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    std::vector<float> x(960);
    for (auto& v : x)
        v = noise(random);
    const std::size_t cut = receive::compress(x, 120, 600, 240);
    CHECK(cut >= 120);
    CHECK(cut <= 600);

    auto shortFrame = tone(200, 300); // 120 + 240 do not fit
    const auto before = shortFrame;
    CHECK(receive::compress(shortFrame, 120, 600, 240) == 0);
    CHECK(shortFrame == before);
    // The range shrinks to what the frame holds beyond the overlap.
    auto frame = tone(200, 480);
    CHECK(receive::compress(frame, 120, 600, 240) == 240);
}

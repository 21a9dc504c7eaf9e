// dragoman-bench: how long the engine takes per block, as a fraction of the block's period.
// Prints one JSON object per line: case, frames, ns_per_block (median), p99_ns, period_ns,
// load (= ns_per_block / period_ns). Not a test: run it on the machine you care about.
//
//   dragoman-bench [--blocks N] [--case tirana|dcn-max] [--frames N]
#include "common/ResourcePath.h"
#include "core/Engine.h"
#include "venue/LargeVenue.h"
#include "venue/VenueFile.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace dragoman;

namespace {

struct Case {
    std::string name;
    venue::Venue venue;
};

// A realistic busy moment: every booth has one live desk (half of them on relay), desks
// listen to a mix of floor and relays, tone controls on, speech-like noise on every input.
void busySession(core::Engine& engine, const venue::Venue& v) {
    int desk = 0;
    const int channels = static_cast<int>(v.channels.size());
    for (std::size_t b = 0; b < v.booths.size(); ++b) {
        engine.post(core::Command::deskMic(desk, true));
        engine.post(core::Command::deskIn(desk, b % 2 ? 1 : 0));
        desk += static_cast<int>(v.booths[b].desks.size());
    }
    for (int d = 0; d < v.deskCount(); ++d) {
        engine.post(core::Command::deskBass(d, 3.0f));
        engine.post(core::Command::deskVolume(d, -3.0f));
        if (d % 3 == 1)
            engine.post(core::Command::deskIn(d, d % channels));
    }
}

void run(const Case& c, std::size_t frames, std::size_t blocks) {
    core::Engine engine(c.venue);
    busySession(engine, c.venue);
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 0.05f);
    std::vector<std::vector<float>> in(static_cast<std::size_t>(c.venue.deviceInputs),
                                       std::vector<float>(frames * 16));
    for (auto& channel : in)
        for (auto& s : channel)
            s = noise(rng);
    std::vector<std::vector<float>> out(static_cast<std::size_t>(c.venue.deviceOutputs),
                                        std::vector<float>(frames));
    std::vector<const float*> inPtr(in.size());
    std::vector<float*> outPtr;
    for (auto& o : out)
        outPtr.push_back(o.data());
    core::TapChunk chunk;

    std::vector<double> ns;
    ns.reserve(blocks);
    const std::size_t warmup = blocks / 10 + 10;
    for (std::size_t b = 0; b < blocks + warmup; ++b) {
        for (std::size_t i = 0; i < in.size(); ++i)
            inPtr[i] = in[i].data() + (b % 16) * frames;
        const auto t0 = std::chrono::steady_clock::now();
        engine.process(inPtr.data(), outPtr.data(), frames);
        const auto t1 = std::chrono::steady_clock::now();
        if (b >= warmup)
            ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
        for (int ch = 0; ch < static_cast<int>(c.venue.channels.size()); ++ch)
            while (engine.tap(ch).pop(chunk)) {
            }
        core::CommandResult r;
        while (engine.nextResult(r)) {
        }
    }
    std::sort(ns.begin(), ns.end());
    const double median = ns[ns.size() / 2];
    const double p99 = ns[ns.size() * 99 / 100];
    const double period = 1e9 * static_cast<double>(frames) / c.venue.sampleRate;
    std::printf("{\"case\":\"%s\",\"frames\":%zu,\"desks\":%d,\"channels\":%zu,\"blocks\":%zu,"
                "\"ns_per_block\":%.0f,\"p99_ns\":%.0f,\"period_ns\":%.0f,\"load\":%.4f}\n",
                c.name.c_str(), frames, c.venue.deskCount(), c.venue.channels.size(), ns.size(),
                median, p99, period, median / period);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    std::size_t blocks = 20000;
    std::string only;
    std::size_t onlyFrames = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--blocks" && i + 1 < argc)
            blocks = std::stoul(argv[++i]);
        else if (arg == "--case" && i + 1 < argc)
            only = argv[++i];
        else if (arg == "--frames" && i + 1 < argc)
            onlyFrames = std::stoul(argv[++i]);
        else {
            std::fprintf(
                stderr,
                "usage: dragoman-bench [--blocks N] [--case tirana|dcn-max] [--frames N]\n");
            return 2;
        }
    }
    std::vector<Case> cases;
    try {
        cases.push_back({"tirana", venue::load(app::findResource("venues/tirana.json", argv[0]))});
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dragoman-bench: %s\n", e.what());
        return 1;
    }
    cases.push_back({"dcn-max", venue::makeDcnMax()});
    for (const auto& c : cases) {
        if (!only.empty() && c.name != only)
            continue;
        for (std::size_t frames : {std::size_t{64}, std::size_t{128}})
            if (onlyFrames == 0 || frames == onlyFrames)
                run(c, frames, blocks);
    }
    return 0;
}

// dragoman-bench: what Dragoman's hot paths cost on this machine. Prints one JSON object per
// line (see bench/Bench.h for each case's figures). Not a test: run it on a quiet machine.
//
//   dragoman-bench [--case tirana|dcn-max|encode|fanout|websocket] [--blocks N] [--frames N]
//                  [--seconds S]
//   dragoman-bench --help | --version
#include "bench/Bench.h"
#include "common/EventLoop.h"
#include "common/ResourcePath.h"
#include "demo/DemoClips.h"
#include "venue/LargeVenue.h"
#include "venue/VenueFile.h"

#include <QCoreApplication>
#include <cstdio>
#include <string>
#include <vector>

using namespace dragoman;

namespace {

constexpr const char* kUsage =
    "Usage: dragoman-bench [--case tirana|dcn-max|encode|fanout|websocket] [--blocks N] "
    "[--frames N] [--seconds S]\n"
    "\n"
    "Measures what Dragoman's hot paths cost on this machine and prints one JSON object per\n"
    "line. Not a test: run it on a quiet machine.\n"
    "  --case      run one case only (default: all)\n"
    "  --blocks    engine blocks per engine case (default: 20000)\n"
    "  --frames    run the engine cases at this block size only (64 or 128)\n"
    "  --seconds   how long the fan-out and WebSocket meter cases run (default: 10)\n"
    "  --help      this text\n"
    "  --version   the program's version\n";

} // namespace

int main(int argc, char** argv) {
    std::size_t blocks = 20000;
    std::string only;
    std::size_t onlyFrames = 0;
    double seconds = 10.0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg == "--version" || arg == "-v") {
            std::printf("dragoman-bench %s\n", DRAGOMAN_VERSION);
            return 0;
        }
        if (arg == "--blocks" && i + 1 < argc)
            blocks = std::stoul(argv[++i]);
        else if (arg == "--case" && i + 1 < argc)
            only = argv[++i];
        else if (arg == "--frames" && i + 1 < argc)
            onlyFrames = std::stoul(argv[++i]);
        else if (arg == "--seconds" && i + 1 < argc)
            seconds = std::stod(argv[++i]);
        else {
            std::fputs(kUsage, stderr);
            return 2;
        }
    }
    const auto wanted = [&](const char* name) { return only.empty() || only == name; };
    try {
        std::vector<bench::EngineCase> cases;
        if (wanted("tirana"))
            cases.push_back(
                {"tirana", venue::load(app::findResource("venues/tirana.json", argv[0]))});
        if (wanted("dcn-max"))
            cases.push_back({"dcn-max", venue::makeDcnMax()});
        for (const auto& c : cases)
            for (std::size_t frames : {std::size_t{64}, std::size_t{128}})
                if (onlyFrames == 0 || frames == onlyFrames)
                    bench::runEngine(c, frames, blocks);
        if (wanted("encode")) {
            // Real speech: the demo's clips, one after another.
            std::vector<float> speech;
            const auto folder = app::findResource("demo/clips", argv[0]);
            for (const char* clip : {"floor-en", "floor-sq", "floor-mk", "booth-bsm"}) {
                const auto samples = demo::decodeOpusFile(folder / (std::string(clip) + ".opus"));
                speech.insert(speech.end(), samples.begin(), samples.end());
            }
            bench::runEncode(speech);
        }
        if (wanted("fanout"))
            bench::runFanout(seconds);
        if (wanted("websocket")) {
            app::preferQtEventLoop();         // as dragoman's
            QCoreApplication app(argc, argv); // the control API's event loop
            bench::runWebSocket(venue::load(app::findResource("venues/tirana.json", argv[0])), 1000,
                                200, seconds);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dragoman-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}

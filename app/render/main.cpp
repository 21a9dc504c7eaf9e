// dragoman-render: renders a venue offline from WAV inputs and a timed event script.
// Usage: dragoman-render --help (or --version). Errors go to stderr with exit code 2.
#include "render/RenderJob.h"

#include <cmath>
#include <cstdio>
#include <exception>
#include <string_view>
#include <vector>

namespace {

void printSummary(const dragoman::render::RenderResult& result) {
    const auto& log = result.log;
    const double seconds = static_cast<double>(log.frames) / log.sampleRate;
    std::printf("rendered %s: %.3f s at %d Hz, block %zu, %zu events\n", result.venueName.c_str(),
                seconds, log.sampleRate, log.blockSize, log.events.size());
    for (const auto& input : result.inputs)
        std::printf("in  %-2d <- %s: %s (%d Hz, %d ch, %.2f s)\n", input.input, input.file.c_str(),
                    input.role.c_str(), input.sourceRate, input.sourceChannels, input.seconds);
    for (const auto& output : result.outputs) {
        if (output.peak > 0.0f)
            std::printf("out %-2d -> %s: %s, peak %.1f dBFS\n", output.output, output.file.c_str(),
                        output.role.c_str(), 20.0 * std::log10(output.peak));
        else
            std::printf("out %-2d -> %s: %s, silent\n", output.output, output.file.c_str(),
                        output.role.c_str());
    }
    std::printf("log: %s\n", result.logFile.c_str());
}

} // namespace

int main(int argc, char** argv) {
    const std::vector<std::string_view> arguments(argv + 1, argv + argc);
    for (const auto argument : arguments)
        if (argument == "--help" || argument == "-h") {
            std::fputs(dragoman::render::usage().c_str(), stdout);
            return 0;
        } else if (argument == "--version" || argument == "-v") {
            std::printf("dragoman-render %s\n", DRAGOMAN_VERSION);
            return 0;
        }
    try {
        printSummary(dragoman::render::run(dragoman::render::parseArguments(arguments)));
        return 0;
    } catch (const dragoman::render::UsageError& error) {
        std::fprintf(stderr, "dragoman-render: %s (see dragoman-render --help)\n", error.what());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "dragoman-render: %s\n", error.what());
    }
    return 2;
}

// A whole render as the command line states it: files in (venue, WAV inputs, event script),
// files out (one WAV per device output and log.json). Everything is read and checked before
// anything is written, so a refused job leaves the output folder as it was.
//
// Thread contract: control thread; may allocate; throws UsageError for bad arguments,
// venue::VenueError, EventScriptError, WavError or std::runtime_error for bad files.
#pragma once

#include "render/RenderLog.h"
#include "render/WavOutput.h"
#include "venue/Venue.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dragoman::render {

// A command line the renderer cannot use; what() names the argument.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct RenderJob {
    std::filesystem::path venue;
    std::vector<std::pair<int, std::filesystem::path>> inputs; // device input, file
    std::optional<std::filesystem::path> events;
    std::filesystem::path outDir;
    std::optional<double> durationSeconds; // default: the longest input
    std::optional<std::size_t> blockSize;  // default: the venue's
    SampleFormat format = SampleFormat::Float32;
};

// The options after the program name. Throws UsageError.
RenderJob parseArguments(std::span<const std::string_view> arguments);

// The usage text (several lines, ending in a newline).
std::string usage();

// What a device input feeds in the venue: "floor mic Chair", "mic en.1", or "unused".
std::string describeInput(const venue::Venue& venue, int input);

// What a device output carries in the venue: "line-out en (English)", "headphones en.1",
// "monitor left", or "unused".
std::string describeOutput(const venue::Venue& venue, int output);

struct FedInput {
    int input = 0;
    std::filesystem::path file;
    std::string role;   // describeInput()
    int sourceRate = 0; // what the file held
    int sourceChannels = 0;
    double seconds = 0.0;
};

struct RenderedFile {
    int output = 0;
    std::filesystem::path file;
    std::string role;  // describeOutput()
    float peak = 0.0f; // largest absolute sample
};

struct RenderResult {
    std::string venueName;
    RenderLog log;
    std::vector<FedInput> inputs;      // argument order
    std::vector<RenderedFile> outputs; // device output order
    std::filesystem::path logFile;
};

// Runs the job: reads and checks everything, then writes DIR/out-N.wav for every device
// output and DIR/log.json, each atomically.
RenderResult run(const RenderJob& job);

} // namespace dragoman::render

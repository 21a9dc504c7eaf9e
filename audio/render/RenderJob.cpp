#include "render/RenderJob.h"

#include "render/EventScript.h"
#include "render/Renderer.h"
#include "render/WavInput.h"
#include "venue/VenueFile.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

namespace dragoman::render {

namespace {

template <typename Number> std::optional<Number> parseNumber(std::string_view text) {
    Number value{};
    const auto* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || stop != end)
        return std::nullopt;
    return value;
}

std::pair<int, std::filesystem::path> parseInput(std::string_view value) {
    const auto equals = value.find('=');
    const auto number = parseNumber<int>(value.substr(0, equals));
    if (equals == std::string_view::npos || !number || *number < 0 || equals + 1 == value.size())
        throw UsageError("--input " + std::string(value) +
                         ": expected N=FILE (N: the venue's device input, from 0)");
    return {*number, std::filesystem::path(value.substr(equals + 1))};
}

} // namespace

std::string usage() {
    return "Usage: dragoman-render --venue FILE --input N=FILE.wav ... --events FILE --out DIR "
           "[--duration SECONDS] [--block FRAMES] [--format float|pcm24]\n"
           "\n"
           "Feeds the WAV files to the venue's device inputs N (0-based), applies the timed\n"
           "event script and writes every device output as DIR/out-N.wav plus DIR/log.json.\n"
           "  --venue     the venue file\n"
           "  --input     device input N (0-based) plays FILE.wav (repeatable)\n"
           "  --events    the timed event script\n"
           "  --out       the folder for the outputs and the log\n"
           "  --duration  seconds to render (default: the longest input)\n"
           "  --block     frames per engine call, 16..1024 (default: the venue's block size)\n"
           "  --format    float (32-bit float, default) or pcm24 (24-bit integer)\n"
           "  --help      this text\n"
           "  --version   the program's version\n";
}

RenderJob parseArguments(std::span<const std::string_view> arguments) {
    RenderJob job;
    bool haveVenue = false;
    bool haveOut = false;
    std::map<int, std::filesystem::path> seen;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        std::string_view option = arguments[i];
        std::string_view value;
        bool inlineValue = false;
        if (const auto equals = option.find('=');
            option.starts_with("--") && equals != std::string_view::npos) {
            value = option.substr(equals + 1);
            option = option.substr(0, equals);
            inlineValue = true;
        }
        const auto takeValue = [&]() {
            if (inlineValue)
                return value;
            if (i + 1 >= arguments.size())
                throw UsageError(std::string(option) + ": missing value");
            return arguments[++i];
        };

        if (option == "--venue") {
            job.venue = takeValue();
            haveVenue = true;
        } else if (option == "--input") {
            auto input = parseInput(takeValue());
            if (const auto earlier = seen.find(input.first); earlier != seen.end())
                throw UsageError("--input " + std::to_string(input.first) + "=" +
                                 input.second.string() + ": device input " +
                                 std::to_string(input.first) + " is given twice (also " +
                                 earlier->second.string() + ")");
            seen.emplace(input.first, input.second);
            job.inputs.push_back(std::move(input));
        } else if (option == "--events") {
            job.events = takeValue();
        } else if (option == "--out") {
            job.outDir = takeValue();
            haveOut = true;
        } else if (option == "--duration") {
            const auto text = takeValue();
            const auto seconds = parseNumber<double>(text);
            if (!seconds || !std::isfinite(*seconds) || *seconds <= 0.0 || *seconds > 1.0e7)
                throw UsageError("--duration " + std::string(text) +
                                 ": expected a number of seconds > 0");
            job.durationSeconds = *seconds;
        } else if (option == "--block") {
            const auto text = takeValue();
            const auto frames = parseNumber<std::size_t>(text);
            if (!frames || *frames < kMinBlock || *frames > kMaxBlock)
                throw UsageError("--block " + std::string(text) + ": expected frames in " +
                                 std::to_string(kMinBlock) + ".." + std::to_string(kMaxBlock));
            job.blockSize = *frames;
        } else if (option == "--format") {
            const auto text = takeValue();
            const auto format = sampleFormatFromString(text);
            if (!format || *format == SampleFormat::Pcm16)
                throw UsageError("--format " + std::string(text) + ": expected float or pcm24");
            job.format = *format;
        } else {
            throw UsageError(std::string(arguments[i]) + ": unknown argument");
        }
    }
    if (!haveVenue)
        throw UsageError("--venue FILE is required");
    if (!haveOut)
        throw UsageError("--out DIR is required");
    if (job.inputs.empty() && !job.durationSeconds)
        throw UsageError("nothing says how long to render: give --duration or an --input");
    return job;
}

std::string describeInput(const venue::Venue& venue, int input) {
    std::string role;
    const auto add = [&role](const std::string& text) {
        role += (role.empty() ? "" : ", ") + text;
    };
    for (const auto& mic : venue.floorMics)
        if (mic.input == input)
            add("floor mic " + mic.name);
    for (int k = 0; k < venue.deskCount(); ++k)
        if (venue.desk(k).mic == input)
            add("mic " + venue.deskId(k));
    return role.empty() ? "unused" : role;
}

std::string describeOutput(const venue::Venue& venue, int output) {
    std::string role;
    const auto add = [&role](const std::string& text) {
        role += (role.empty() ? "" : ", ") + text;
    };
    for (const auto& channel : venue.channels)
        if (channel.lineOut == output)
            add("line-out " + channel.code + " (" + channel.name + ")");
    for (int k = 0; k < venue.deskCount(); ++k)
        if (venue.desk(k).headphones == output)
            add("headphones " + venue.deskId(k));
    if (venue.monitor.left == output)
        add("monitor left");
    if (venue.monitor.right == output)
        add("monitor right");
    return role.empty() ? "unused" : role;
}

RenderResult run(const RenderJob& job) {
    const venue::Venue venue = venue::load(job.venue);
    const auto events = job.events ? loadEventScript(*job.events, venue) : std::vector<Event>{};

    InputSignals inputs;
    std::vector<FedInput> fed;
    std::uint64_t longest = 0;
    for (const auto& [input, file] : job.inputs) {
        if (input >= venue.deviceInputs)
            throw UsageError("--input " + std::to_string(input) + "=" + file.string() +
                             ": device input " + std::to_string(input) +
                             " is out of range: venue \"" + venue.name +
                             "\" has device inputs 0.." + std::to_string(venue.deviceInputs - 1));
        auto signal = readMono(file, venue.sampleRate);
        longest = std::max<std::uint64_t>(longest, signal.samples.size());
        fed.push_back({input, file, describeInput(venue, input), signal.sourceRate,
                       signal.sourceChannels,
                       static_cast<double>(signal.samples.size()) / venue.sampleRate});
        inputs.emplace(input, std::move(signal.samples));
    }

    RenderSettings settings;
    settings.frames =
        job.durationSeconds
            ? static_cast<std::uint64_t>(std::llround(*job.durationSeconds * venue.sampleRate))
            : longest;
    if (settings.frames == 0)
        throw UsageError("the inputs hold no audio: give --duration");
    settings.blockSize =
        job.blockSize.value_or(static_cast<std::size_t>(std::max(venue.blockSize, 0)));
    if (settings.blockSize < kMinBlock || settings.blockSize > kMaxBlock)
        throw UsageError(job.venue.string() + ": the venue's block size " +
                         std::to_string(venue.blockSize) + " is outside " +
                         std::to_string(kMinBlock) + ".." + std::to_string(kMaxBlock) +
                         ": give --block");

    std::filesystem::create_directories(job.outDir);
    std::vector<WavWriter> writers;
    for (int o = 0; o < venue.deviceOutputs; ++o)
        writers.emplace_back(job.outDir / ("out-" + std::to_string(o) + ".wav"), venue.sampleRate,
                             1, job.format);

    RenderResult result;
    result.venueName = venue.name;
    result.inputs = std::move(fed);
    result.log = render(venue, inputs, events, settings,
                        [&writers](int output, std::span<const float> samples) {
                            writers[static_cast<std::size_t>(output)].write(samples);
                        });
    for (int o = 0; o < venue.deviceOutputs; ++o) {
        auto& writer = writers[static_cast<std::size_t>(o)];
        writer.commit();
        result.outputs.push_back({o, writer.path(), describeOutput(venue, o), writer.peak()});
    }
    result.logFile = job.outDir / "log.json";
    writeLog(result.log, venue, result.logFile);
    return result;
}

} // namespace dragoman::render

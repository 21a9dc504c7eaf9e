#include "demo/DemoSession.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace dragoman::demo {

namespace {

using core::Command;

constexpr double kMaxLoopSeconds = 24.0 * 3600.0;

std::string inQuotes(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

std::string seconds(double time) {
    std::ostringstream out;
    out << time;
    return out.str();
}

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            ++i;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            ++i;
        if (i > start)
            out.push_back(line.substr(start, i - start));
    }
    return out;
}

double parseTime(std::string_view text) {
    double value = 0.0;
    const auto* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || stop != end || !std::isfinite(value))
        throw std::invalid_argument("bad time " + inQuotes(text) +
                                    " (expected seconds, such as 12.5)");
    if (value < 0.0)
        throw std::invalid_argument("bad time " + inQuotes(text) + ": times must be >= 0");
    if (value > kMaxLoopSeconds)
        throw std::invalid_argument("bad time " + inQuotes(text) + ": too large");
    return value;
}

// Clip names become file names: keep them to plain words.
bool plainWord(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
}

struct FloorLine {
    double time = 0.0;
    int line = 0;
    int floorMic = -1; // -1: none
    std::string language;
};

FloorLine parseFloorLine(const std::vector<std::string_view>& w, const venue::Venue& venue) {
    FloorLine floor;
    floor.time = parseTime(w[0]);
    if (w.size() < 3)
        throw std::invalid_argument(
            "missing argument after \"floor\" (expected a floor mic such as " +
            (venue.floorMics.empty() ? std::string("Chair") : venue.floorMics[0].name) +
            ", or none)");
    if (w[2] == "none") {
        if (w.size() > 3)
            throw std::invalid_argument("trailing junk " + inQuotes(w[3]));
        return floor;
    }
    for (std::size_t m = 0; m < venue.floorMics.size(); ++m)
        if (venue.floorMics[m].name == w[2])
            floor.floorMic = static_cast<int>(m);
    if (floor.floorMic < 0)
        throw std::invalid_argument("unknown floor mic " + inQuotes(w[2]));
    if (w.size() < 4)
        throw std::invalid_argument("missing argument after " + inQuotes(w[2]) +
                                    " (expected a language such as en)");
    if (!plainWord(w[3]))
        throw std::invalid_argument("bad language " + inQuotes(w[3]) +
                                    " (expected letters, digits, - or _)");
    if (w.size() > 4)
        throw std::invalid_argument("trailing junk " + inQuotes(w[4]));
    floor.language = std::string(w[3]);
    return floor;
}

// The commands that put back every setting the script touches, mics off first.
std::vector<Command> resetFor(const std::vector<render::Event>& events, const venue::Venue& v) {
    std::set<int> cough, out, in, volume, bass, treble, autoFloor, interlock, autoRelay;
    bool monitor = false;
    for (const auto& event : events) {
        const auto& c = event.command;
        switch (c.kind) {
        case Command::Kind::DeskMic:
            break; // every mic goes off anyway
        case Command::Kind::DeskCough:
            cough.insert(c.target);
            break;
        case Command::Kind::DeskOut:
            out.insert(c.target);
            break;
        case Command::Kind::DeskIn:
            in.insert(c.target);
            break;
        case Command::Kind::DeskVolume:
            volume.insert(c.target);
            break;
        case Command::Kind::DeskBass:
            bass.insert(c.target);
            break;
        case Command::Kind::DeskTreble:
            treble.insert(c.target);
            break;
        case Command::Kind::ChannelAutoFloor:
            autoFloor.insert(c.target);
            break;
        case Command::Kind::BoothInterlock:
            interlock.insert(c.target);
            break;
        case Command::Kind::BoothAutoRelay:
            autoRelay.insert(c.target);
            break;
        case Command::Kind::Monitor:
            monitor = true;
            break;
        case Command::Kind::ChannelTrim:
        case Command::Kind::InputTrim:
        case Command::Kind::DeskCallKey:
            break; // event scripts have no trims, and calls leave nothing to reset
        }
    }
    std::vector<Command> reset;
    for (int d = 0; d < v.deskCount(); ++d)
        reset.push_back(Command::deskMic(d, false));
    for (int d : cough)
        reset.push_back(Command::deskCough(d, false));
    for (int d : out)
        reset.push_back(Command::deskOut(d, venue::Slot::A));
    for (int d : in)
        reset.push_back(Command::deskIn(d, 0));
    for (int d : volume)
        reset.push_back(Command::deskVolume(d, 0.0f));
    for (int d : bass)
        reset.push_back(Command::deskBass(d, 0.0f));
    for (int d : treble)
        reset.push_back(Command::deskTreble(d, 0.0f));
    for (int c : autoFloor)
        reset.push_back(
            Command::channelAutoFloor(c, v.channels.at(static_cast<std::size_t>(c)).autoFloor));
    for (int b : interlock)
        reset.push_back(
            Command::boothInterlock(b, v.booths.at(static_cast<std::size_t>(b)).interlock));
    for (int b : autoRelay)
        reset.push_back(
            Command::boothAutoRelay(b, v.booths.at(static_cast<std::size_t>(b)).autoRelay));
    if (monitor)
        reset.push_back(Command::monitorSource(core::MonitorSource::Channel, 0));
    return reset;
}

} // namespace

DemoSession::DemoSession(const venue::Venue& venue, const std::filesystem::path& script) {
    std::ifstream in(script, std::ios::binary);
    if (!in || std::filesystem::is_directory(script))
        throw render::EventScriptError(script.string(), 0, "cannot read the demo script");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw render::EventScriptError(script.string(), 0, "cannot read the demo script");
    *this = parse(venue, text.str(), script.string());
}

DemoSession DemoSession::parse(const venue::Venue& venue, std::string_view text,
                               const std::string& file) {
    DemoSession session;
    session.venue_ = venue;
    session.sampleRate_ = venue.sampleRate;

    // Take out the demo's own lines (blanked, so the event parser's line numbers stay right).
    std::string events;
    std::vector<FloorLine> floorLines;
    std::optional<double> loop;
    int loopLine = 0;
    int lineNumber = 0;
    while (!text.empty()) {
        ++lineNumber;
        const auto newline = text.find('\n');
        const std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);

        const auto w = words(line.substr(0, line.find('#')));
        const bool floorLine = w.size() >= 2 && w[1] == "floor";
        const bool loopLineHere = w.size() >= 2 && w[1] == "loop";
        if (!floorLine && !loopLineHere) {
            events.append(line);
            events.push_back('\n');
            continue;
        }
        events.push_back('\n');
        try {
            if (floorLine) {
                auto floor = parseFloorLine(w, venue);
                floor.line = lineNumber;
                floorLines.push_back(std::move(floor));
            } else {
                if (loop)
                    throw std::invalid_argument("a second loop line (the first is line " +
                                                std::to_string(loopLine) + ")");
                if (w.size() > 2)
                    throw std::invalid_argument("trailing junk " + inQuotes(w[2]));
                loop = parseTime(w[0]);
                loopLine = lineNumber;
            }
        } catch (const std::invalid_argument& problem) {
            throw render::EventScriptError(file, lineNumber, problem.what());
        }
    }
    session.events_ = render::parseEventScript(events, venue, file);

    if (!loop)
        throw render::EventScriptError(
            file, 0, "no loop line (say when the session starts again, such as \"60 loop\")");
    session.loopSeconds_ = *loop;
    session.loopFrames_ = static_cast<std::uint64_t>(std::llround(*loop * venue.sampleRate));
    if (session.loopFrames_ == 0)
        throw render::EventScriptError(file, loopLine, "the loop must be longer than 0 s");

    const auto tooLate = [&](double time, std::uint64_t frame, int line) {
        if (frame >= session.loopFrames_)
            throw render::EventScriptError(file, line,
                                           "time " + seconds(time) +
                                               " s is not before the loop line (line " +
                                               std::to_string(loopLine) + ")");
    };
    for (const auto& event : session.events_)
        tooLate(event.time, event.frame, event.line);

    std::stable_sort(floorLines.begin(), floorLines.end(),
                     [](const FloorLine& a, const FloorLine& b) { return a.time < b.time; });
    for (std::size_t i = 0; i < floorLines.size(); ++i) {
        const auto& line = floorLines[i];
        const auto start = static_cast<std::uint64_t>(std::llround(line.time * venue.sampleRate));
        tooLate(line.time, start, line.line);
        if (line.floorMic < 0)
            continue;
        const auto end = i + 1 < floorLines.size() ? static_cast<std::uint64_t>(std::llround(
                                                         floorLines[i + 1].time * venue.sampleRate))
                                                   : session.loopFrames_;
        if (end > start)
            session.floor_.push_back({start, end, line.floorMic, line.language, line.line});
    }
    session.reset_ = resetFor(session.events_, venue);
    return session;
}

double DemoSession::positionSeconds(std::uint64_t engineFrame) const {
    return static_cast<double>(loopFrame(engineFrame)) / sampleRate_;
}

void DemoSession::append(std::vector<core::Command>& out, std::uint64_t from, bool fromInclusive,
                         std::uint64_t to) const {
    if (fromInclusive && from == 0)
        out.insert(out.end(), reset_.begin(), reset_.end());
    for (const auto& event : events_) {
        const bool after = fromInclusive ? event.frame >= from : event.frame > from;
        if (after && event.frame <= to)
            out.push_back(event.command);
    }
}

std::vector<core::Command> DemoSession::due(std::uint64_t engineFrame) {
    std::vector<core::Command> out;
    const std::uint64_t loop = loopNumber(engineFrame);
    const bool fresh = !last_ || engineFrame < *last_ || loop > loopNumber(*last_) + 1;
    if (fresh) {
        append(out, 0, true, loopFrame(engineFrame));
    } else if (loop == loopNumber(*last_)) {
        append(out, loopFrame(*last_), false, loopFrame(engineFrame));
    } else { // the previous call was in the loop before
        append(out, loopFrame(*last_), false, loopFrames_ - 1);
        append(out, 0, true, loopFrame(engineFrame));
    }
    last_ = engineFrame;
    return out;
}

void DemoSession::restart() {
    last_.reset();
}

std::vector<std::string> DemoSession::clipNames() const {
    std::vector<std::string> names;
    const auto add = [&](std::string name) {
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(std::move(name));
    };
    for (const auto& floor : floor_)
        add("floor-" + floor.language);
    for (int d = 0; d < venue_.deskCount(); ++d)
        add(deskClip(d));
    return names;
}

std::string DemoSession::deskClip(int flatDesk) const {
    const auto& booth =
        venue_.booths.at(static_cast<std::size_t>(venue_.deskAddress(flatDesk).booth));
    return "booth-" + venue_.channels.at(static_cast<std::size_t>(booth.outgoing[0])).code;
}

std::string DemoSession::describe(std::uint32_t id) const {
    if (id == 0)
        return "loop start: reset";
    for (const auto& event : events_)
        if (event.line == static_cast<int>(id))
            return event.text;
    return "command " + std::to_string(id);
}

} // namespace dragoman::demo

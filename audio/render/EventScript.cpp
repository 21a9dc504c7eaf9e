#include "render/EventScript.h"

#include "venue/TextFile.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

namespace dragoman::render {

namespace {

// Longer than any session; keeps frame numbers far from overflow.
constexpr double kMaxSeconds = 1.0e7;

std::string inQuotes(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

std::optional<double> parseNumber(std::string_view text) {
    double value = 0.0;
    const auto* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || stop != end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// One line's words, consumed left to right; every complaint names what was expected.
class Words {
public:
    explicit Words(std::string_view text) {
        std::size_t i = 0;
        while (i < text.size()) {
            while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
                ++i;
            const std::size_t start = i;
            while (i < text.size() && text[i] != ' ' && text[i] != '\t')
                ++i;
            if (i > start)
                words_.push_back(text.substr(start, i - start));
        }
    }

    bool empty() const { return words_.empty(); }

    // The next word; `expected` says what should have been there if the line ends early.
    std::string_view next(std::string_view expected) {
        if (at_ == words_.size()) {
            const std::string after = at_ == 0 ? "" : " after " + inQuotes(words_[at_ - 1]);
            throw std::invalid_argument("missing argument" + after + " (expected " +
                                        std::string(expected) + ")");
        }
        return words_[at_++];
    }

    void finish() const {
        if (at_ < words_.size()) {
            std::string junk(words_[at_]);
            for (std::size_t i = at_ + 1; i < words_.size(); ++i)
                junk += " " + std::string(words_[i]);
            throw std::invalid_argument("trailing junk " + inQuotes(junk));
        }
    }

private:
    std::vector<std::string_view> words_;
    std::size_t at_ = 0;
};

bool onOff(Words& words, std::string_view verb) {
    const auto value = words.next("on or off");
    if (value == "on")
        return true;
    if (value == "off")
        return false;
    throw std::invalid_argument("bad value " + inQuotes(value) + " for " + std::string(verb) +
                                " (expected on or off)");
}

float decibels(Words& words, std::string_view verb) {
    const auto value = words.next("a level in dB");
    const auto number = parseNumber(value);
    if (!number)
        throw std::invalid_argument("bad value " + inQuotes(value) + " for " + std::string(verb) +
                                    " (expected a level in dB, such as -6 or 3.5)");
    return static_cast<float>(*number);
}

int desk(Words& words, const venue::Venue& venue) {
    const auto id = words.next("a desk such as en.1");
    const auto index = venue.deskIndex(id);
    if (!index)
        throw std::invalid_argument("unknown desk " + inQuotes(id));
    return *index;
}

int channel(Words& words, const venue::Venue& venue) {
    const auto code = words.next("a channel such as floor or en");
    const auto index = venue.channelIndex(code);
    if (!index)
        throw std::invalid_argument("unknown channel " + inQuotes(code));
    return *index;
}

int booth(Words& words, const venue::Venue& venue) {
    const auto code = words.next("a booth such as en");
    const auto index = venue.boothIndex(code);
    if (!index)
        throw std::invalid_argument("unknown booth " + inQuotes(code));
    return *index;
}

core::Command deskCommand(Words& words, const venue::Venue& venue) {
    using core::Command;
    const int target = desk(words, venue);
    const auto verb = words.next("mic, cough, out, in, volume, bass or treble");
    if (verb == "mic")
        return Command::deskMic(target, onOff(words, verb));
    if (verb == "cough")
        return Command::deskCough(target, onOff(words, verb));
    if (verb == "out") {
        const auto value = words.next("A, B or C");
        const auto slot = value.size() == 1 ? venue::slotFromString(value) : std::nullopt;
        if (!slot)
            throw std::invalid_argument("bad value " + inQuotes(value) +
                                        " for out (expected A, B or C)");
        return Command::deskOut(target, *slot);
    }
    if (verb == "in")
        return Command::deskIn(target, channel(words, venue));
    if (verb == "volume")
        return Command::deskVolume(target, decibels(words, verb));
    if (verb == "bass")
        return Command::deskBass(target, decibels(words, verb));
    if (verb == "treble")
        return Command::deskTreble(target, decibels(words, verb));
    throw std::invalid_argument("unknown verb " + inQuotes(verb) +
                                " for a desk (expected mic, cough, out, in, volume, bass or "
                                "treble)");
}

core::Command channelCommand(Words& words, const venue::Venue& venue) {
    const int target = channel(words, venue);
    const auto verb = words.next("autofloor");
    if (verb == "autofloor")
        return core::Command::channelAutoFloor(target, onOff(words, verb));
    throw std::invalid_argument("unknown verb " + inQuotes(verb) +
                                " for a channel (expected autofloor)");
}

core::Command boothCommand(Words& words, const venue::Venue& venue) {
    const int target = booth(words, venue);
    const auto verb = words.next("interlock or autorelay");
    if (verb == "interlock") {
        const auto value = words.next("override or interlock");
        const auto mode = venue::interlockModeFromString(value);
        if (!mode)
            throw std::invalid_argument("bad value " + inQuotes(value) +
                                        " for interlock (expected override or interlock)");
        return core::Command::boothInterlock(target, *mode);
    }
    if (verb == "autorelay")
        return core::Command::boothAutoRelay(target, onOff(words, verb));
    throw std::invalid_argument("unknown verb " + inQuotes(verb) +
                                " for a booth (expected interlock or autorelay)");
}

core::Command monitorCommand(Words& words, const venue::Venue& venue) {
    const auto what = words.next("channel or desk");
    if (what == "channel")
        return core::Command::monitorSource(core::MonitorSource::Channel, channel(words, venue));
    if (what == "desk")
        return core::Command::monitorSource(core::MonitorSource::DeskFeed, desk(words, venue));
    throw std::invalid_argument("unknown monitor source " + inQuotes(what) +
                                " (expected channel or desk)");
}

double parseTime(Words& words) {
    const auto text = words.next("a time in seconds");
    const auto seconds = parseNumber(text);
    if (!seconds)
        throw std::invalid_argument("bad time " + inQuotes(text) +
                                    " (expected seconds, such as 12.5)");
    if (*seconds < 0.0)
        throw std::invalid_argument("bad time " + inQuotes(text) + ": times must be >= 0");
    if (*seconds > kMaxSeconds)
        throw std::invalid_argument("bad time " + inQuotes(text) + ": too large");
    return *seconds;
}

core::Command parseCommand(Words& words, const venue::Venue& venue) {
    const auto noun = words.next("desk, channel, booth or monitor");
    core::Command command;
    if (noun == "desk")
        command = deskCommand(words, venue);
    else if (noun == "channel")
        command = channelCommand(words, venue);
    else if (noun == "booth")
        command = boothCommand(words, venue);
    else if (noun == "monitor")
        command = monitorCommand(words, venue);
    else
        throw std::invalid_argument("unknown command " + inQuotes(noun) +
                                    " (expected desk, channel, booth or monitor)");
    words.finish();
    return command;
}

std::string_view trim(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!text.empty() && blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && blank(text.back()))
        text.remove_suffix(1);
    return text;
}

} // namespace

EventScriptError::EventScriptError(std::string file, int line, std::string problem)
    : std::runtime_error(file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " +
                         problem)
    , file_(std::move(file))
    , line_(line)
    , problem_(std::move(problem)) {
}

std::vector<Event> parseEventScript(std::string_view text, const venue::Venue& venue,
                                    const std::string& file) {
    if (text.size() > kMaxEventScriptBytes)
        throw EventScriptError(file, 0,
                               "the script is " + std::to_string(text.size()) +
                                   " bytes; a script holds at most " +
                                   std::to_string(kMaxEventScriptBytes));
    std::vector<Event> events;
    int lineNumber = 0;
    while (!text.empty()) {
        ++lineNumber;
        const auto newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        if (line.size() > kMaxEventLineBytes)
            throw EventScriptError(file, lineNumber,
                                   "the line is " + std::to_string(line.size()) +
                                       " bytes long; a line holds at most " +
                                       std::to_string(kMaxEventLineBytes));

        line = trim(line.substr(0, line.find('#')));
        Words words(line);
        if (words.empty())
            continue;
        try {
            Event event;
            event.time = parseTime(words);
            event.frame = static_cast<std::uint64_t>(std::llround(event.time * venue.sampleRate));
            event.line = lineNumber;
            event.text = std::string(line);
            event.command =
                parseCommand(words, venue).withId(static_cast<std::uint32_t>(lineNumber));
            events.push_back(std::move(event));
        } catch (const std::invalid_argument& problem) {
            throw EventScriptError(file, lineNumber, problem.what());
        }
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
    return events;
}

std::vector<Event> loadEventScript(const std::filesystem::path& file, const venue::Venue& venue) {
    std::string text;
    try {
        text = venue::readTextFile(file, kMaxEventScriptBytes);
    } catch (const venue::TextFileError& e) {
        throw EventScriptError(file.string(), 0,
                               std::string("cannot read the event script: ") + e.what());
    }
    return parseEventScript(text, venue, file.string());
}

} // namespace dragoman::render

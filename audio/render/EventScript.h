// Event scripts: the timed routing changes an offline render applies, one command per line.
//
//   # comment; blank lines are fine
//   12.5 desk en.1 mic on              mic|cough on|off
//   13   desk en.1 out B               out A|B|C
//   14   desk sq.1 in en               in floor|CHANNEL
//   15   desk sq.1 volume -6           volume|bass|treble DB
//   16   channel mk autofloor off      autofloor on|off
//   17   booth en interlock interlock  interlock override|interlock
//   18   booth en autorelay on         autorelay on|off
//   19   monitor channel sq            monitor channel CHANNEL | monitor desk DESK (desk feed)
//
// Every line becomes one core::Command, the same value the console and the HTTP API post.
// The script checks what it can know from the venue (desk, channel and booth names, syntax);
// whether the engine accepts a command (interlock, missing slots, value ranges) is the
// engine's answer, recorded in the render log.
//
// Bounded: a script holds at most kMaxEventScriptBytes and a line at most kMaxEventLineBytes
// (comment included), so a hostile or broken file is refused before it costs more memory than
// its own size; every message quotes at most one line.
//
// Thread contract: control thread; may allocate, throws EventScriptError.
#pragma once

#include "core/Command.h"
#include "venue/Venue.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dragoman::render {

// A two-day session's script has a few thousand lines of some 40 bytes.
inline constexpr std::size_t kMaxEventScriptBytes = std::size_t{16} << 20;
inline constexpr std::size_t kMaxEventLineBytes = 1024;

struct Event {
    double time = 0.0;       // seconds, as written
    std::uint64_t frame = 0; // the sample it applies at: round(time * venue.sampleRate)
    int line = 0;            // 1-based line in the script
    std::string text;        // the line without its comment and outer blanks
    core::Command command;
};

// A refused script line. what() reads "FILE:LINE: PROBLEM" ("FILE: PROBLEM" for line 0: the
// file as a whole).
class EventScriptError : public std::runtime_error {
public:
    EventScriptError(std::string file, int line, std::string problem);

    const std::string& file() const { return file_; }
    int line() const { return line_; }
    const std::string& problem() const { return problem_; }

private:
    std::string file_;
    int line_;
    std::string problem_;
};

// Parses a whole script; `file` only names it in errors. The events come back in time order
// (lines with equal times keep their order in the script); each event's command id is its
// line number.
std::vector<Event> parseEventScript(std::string_view text, const venue::Venue& venue,
                                    const std::string& file);

// Reads and parses a script file; an unreadable file is an EventScriptError at line 0.
std::vector<Event> loadEventScript(const std::filesystem::path& file, const venue::Venue& venue);

} // namespace dragoman::render

// The live demo's scripted session (resources/demo/live.events): timed routing commands, who
// speaks on the floor when, and the loop length. It loops for as long as the engine runs:
// the session's position is the engine's frame count modulo the loop, one definition shared by
// the control side (due(): which commands to post now) and the audio side (DemoSpeech: which
// clip plays where), so speech and routing stay aligned.
//
// The script is an event script (audio/render/EventScript.h) with three lines of its own:
//   SECONDS floor MIC LANGUAGE   floor mic MIC (by name) speaks clip floor-LANGUAGE from here
//                                until the next floor line or the loop's end
//   SECONDS floor none           nobody speaks on the floor
//   SECONDS loop                 the session starts again here (exactly one; after every other
//                                line)
//
// At each loop start, before the loop's first lines, due() returns reset commands that put back
// every setting the script changes (mic off, cough released, outgoing A, incoming floor,
// volume/bass/treble 0 dB, the venue's auto-floor, interlock and auto-relay, the monitor on
// the floor channel), so each loop starts from the same routing whatever happened before.
//
// Thread contract: control thread; construction may allocate and throws
// render::EventScriptError ("FILE:LINE: PROBLEM"). due() mutates the session: call it from one
// thread. The const accessors are safe from any thread once constructed.
#pragma once

#include "core/Command.h"
#include "render/EventScript.h"
#include "venue/Venue.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dragoman::demo {

// One stretch of floor speech, in frames of the loop.
struct FloorSpeech {
    std::uint64_t start = 0; // first frame
    std::uint64_t end = 0;   // one past the last frame
    int floorMic = -1;       // index into venue.floorMics
    std::string language;    // the clip is "floor-" + language
    int line = 0;            // script line
};

class DemoSession {
public:
    // Reads and parses the script file.
    DemoSession(const venue::Venue& venue, const std::filesystem::path& script);
    // Parses script text; `file` only names it in errors.
    static DemoSession parse(const venue::Venue& venue, std::string_view text,
                             const std::string& file);

    int sampleRate() const { return sampleRate_; }
    double loopSeconds() const { return loopSeconds_; }
    std::uint64_t loopFrames() const { return loopFrames_; }

    // Where engine frame `engineFrame` falls in the loop (the one definition of the loop).
    std::uint64_t loopFrame(std::uint64_t engineFrame) const { return engineFrame % loopFrames_; }
    double positionSeconds(std::uint64_t engineFrame) const;
    std::uint64_t loopNumber(std::uint64_t engineFrame) const { return engineFrame / loopFrames_; }

    // The commands whose time has come since the previous call, in order: every scripted
    // command at loop frame f fires once at each engine frame k * loopFrames + f, and due(now)
    // returns those in (previous call, now], with the reset commands at each loop start first.
    // The first call (and a call after restart()) catches up with the current loop: its reset
    // and every line up to now. A call after more than a whole loop without calls does the
    // same (the skipped loops would change nothing the reset does not put back); so does a
    // frame count that went backwards (a new engine).
    // Command ids: the script line number; 0 for reset commands.
    std::vector<core::Command> due(std::uint64_t engineFrame);
    void restart(); // the next due() call is a first call again

    // The scripted commands in time order, their frames within the loop.
    const std::vector<render::Event>& events() const { return events_; }
    // What a loop start puts back, in order (mics off first).
    const std::vector<core::Command>& resetCommands() const { return reset_; }
    // Floor speech in time order; gaps are silence.
    const std::vector<FloorSpeech>& floorSpeech() const { return floor_; }
    // The clips the demo plays: "floor-LANGUAGE" for every floor language of the script and
    // "booth-CHANNEL" for every booth's A channel (its desks' voice).
    std::vector<std::string> clipNames() const;
    // The booth clip a desk's mic carries ("booth-" + its booth's A channel code).
    std::string deskClip(int flatDesk) const;
    // The script line of a command id, for logs ("loop start: reset" for 0).
    std::string describe(std::uint32_t id) const;

private:
    DemoSession() = default;
    // Appends the commands at loop frames in [from, to] (fromInclusive) or (from, to]; the
    // reset commands belong to loop frame 0, before the lines at 0.
    void append(std::vector<core::Command>& out, std::uint64_t from, bool fromInclusive,
                std::uint64_t to) const;

    venue::Venue venue_;
    int sampleRate_ = 48000;
    double loopSeconds_ = 0.0;
    std::uint64_t loopFrames_ = 1;
    std::vector<render::Event> events_;
    std::vector<core::Command> reset_;
    std::vector<FloorSpeech> floor_;
    std::optional<std::uint64_t> last_; // engine frame of the previous due() call
};

} // namespace dragoman::demo

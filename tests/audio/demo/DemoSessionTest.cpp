// The scripted session: its lines come back exactly once per loop, in order, however often
// the app asks, and every loop starts from the same routing.
#include "demo/DemoSession.h"

#include "support/EngineHarness.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using dragoman::core::Command;
using dragoman::demo::DemoSession;
using dragoman::render::EventScriptError;
using Kind = Command::Kind;

namespace {

const fs::path kLive = fs::path(DRAGOMAN_SOURCE_DIR) / "resources" / "demo" / "live.events";

// Everything a command says, as text (commands have no operator==).
std::string key(const Command& c) {
    std::ostringstream out;
    out << static_cast<int>(c.kind) << '/' << c.id << '/' << c.target << '/' << c.index << '/'
        << c.flag << '/' << static_cast<int>(c.slot) << '/' << static_cast<int>(c.mode) << '/'
        << static_cast<int>(c.monitor) << '/' << c.amount;
    return out.str();
}

std::vector<std::string> keys(const std::vector<Command>& commands) {
    std::vector<std::string> out;
    for (const auto& c : commands)
        out.push_back(key(c));
    return out;
}

// What due() must have returned once the engine reached `last`, when it was first called at
// frame 0: each loop's reset, then its lines, for every line whose frame has come.
std::vector<std::string> expectedUpTo(const DemoSession& session, std::uint64_t last) {
    std::vector<std::string> out;
    const auto loop = session.loopFrames();
    for (std::uint64_t start = 0; start <= last; start += loop) {
        for (const auto& c : session.resetCommands())
            out.push_back(key(c));
        for (const auto& event : session.events())
            if (start + event.frame <= last)
                out.push_back(key(event.command));
    }
    return out;
}

// A 2-second loop at 48 kHz (96000 frames) with lines at its very start and end, several at
// one time, and a floor line in between.
const char* const kShortScript = R"(# a short loop
0      desk en.1 mic on
0      monitor channel en
0.5    floor Chair en
0.5    desk sq.1 mic on
0.5    desk sq.1 cough on
1      desk en.1 mic off   # comment
1.25   booth en interlock interlock
1.9999 desk sq.1 cough off
2      loop
)";

struct Pattern {
    const char* name;
    std::vector<std::uint64_t> calls; // engine frames of the due() calls, increasing
};

std::vector<std::uint64_t> every(std::uint64_t step, std::uint64_t until, std::uint64_t from = 0) {
    std::vector<std::uint64_t> calls;
    for (std::uint64_t f = from; f <= until; f += step)
        calls.push_back(f);
    return calls;
}

} // namespace

TEST_CASE("The live session loads: an 80 s loop, floor speech in four stretches, reset first") {
    const auto venue = dragoman::test::tirana();
    const DemoSession session(venue, kLive);
    CHECK(session.loopSeconds() == 80.0);
    CHECK(session.loopFrames() == 80u * 48000u);
    CHECK(session.events().size() > 40u);

    struct Stretch {
        double start, end;
        const char* mic;
        const char* language;
    };
    const Stretch stretches[] = {
        {0.0, 23.5, "Chair", "en"},
        {24.0, 42.0, "Lectern", "sq"},
        {43.0, 56.0, "Lectern", "mk"},
        {57.0, 80.0, "Chair", "en"},
    };
    const auto& floor = session.floorSpeech();
    REQUIRE(floor.size() == std::size(stretches));
    for (std::size_t i = 0; i < floor.size(); ++i) {
        CHECK(floor[i].start == static_cast<std::uint64_t>(stretches[i].start * 48000));
        CHECK(floor[i].end == static_cast<std::uint64_t>(stretches[i].end * 48000));
        CHECK(venue.floorMics[static_cast<std::size_t>(floor[i].floorMic)].name ==
              stretches[i].mic);
        CHECK(floor[i].language == stretches[i].language);
    }

    // The reset: every mic off first, then the other settings the script touches.
    const auto& reset = session.resetCommands();
    REQUIRE(reset.size() > static_cast<std::size_t>(venue.deskCount()));
    for (int d = 0; d < venue.deskCount(); ++d) {
        CHECK(reset[static_cast<std::size_t>(d)].kind == Kind::DeskMic);
        CHECK(reset[static_cast<std::size_t>(d)].target == d);
        CHECK_FALSE(reset[static_cast<std::size_t>(d)].flag);
    }
    const auto has = [&](Kind kind, int target, auto check) {
        return std::any_of(reset.begin(), reset.end(), [&](const Command& c) {
            return c.kind == kind && c.target == target && check(c);
        });
    };
    const int en = *venue.boothIndex("en");
    const int bsm = *venue.channelIndex("bsm");
    CHECK(has(Kind::DeskCough, *venue.deskIndex("sq.1"), [](const Command& c) { return !c.flag; }));
    CHECK(has(Kind::DeskOut, *venue.deskIndex("mk.1"),
              [](const Command& c) { return c.slot == dragoman::venue::Slot::A; }));
    CHECK(has(Kind::DeskIn, *venue.deskIndex("bsm.1"),
              [](const Command& c) { return c.index == 0; }));
    CHECK(has(Kind::DeskVolume, *venue.deskIndex("bsm.1"),
              [](const Command& c) { return c.amount == 0.0f; }));
    CHECK(has(Kind::ChannelAutoFloor, bsm, [](const Command& c) { return c.flag; }));
    CHECK(has(Kind::BoothInterlock, en,
              [](const Command& c) { return c.mode == dragoman::venue::InterlockMode::Override; }));
    CHECK(has(Kind::BoothAutoRelay, en, [](const Command& c) { return !c.flag; }));
    CHECK(has(Kind::Monitor, 0, [](const Command& c) {
        return c.monitor == dragoman::core::MonitorSource::Channel && c.index == 0;
    }));
    for (const auto& c : reset)
        CHECK(c.id == 0u);

    CHECK(session.describe(0) == "loop start: reset");
    const auto& first = session.events().front();
    CHECK(session.describe(first.command.id) == first.text);
}

TEST_CASE("The loop position is the engine frame modulo the loop") {
    const auto venue = dragoman::test::tirana();
    const auto session = DemoSession::parse(venue, kShortScript, "short.events");
    REQUIRE(session.loopFrames() == 96000u);
    CHECK(session.positionSeconds(0) == 0.0);
    CHECK(session.positionSeconds(48000) == 1.0);
    CHECK(session.positionSeconds(96000) == 0.0);
    CHECK(session.positionSeconds(96000 * 7 + 24000) == 0.5);
    CHECK(session.loopFrame(96000 * 3 + 5) == 5u);
    CHECK(session.loopNumber(96000 * 3 + 5) == 3u);
}

TEST_CASE("due() returns every line exactly once per loop, in order, however it is called") {
    const auto venue = dragoman::test::tirana();
    const std::uint64_t loop = 96000;
    const std::uint64_t end = 4 * loop + 70000; // into the fifth loop

    // Irregular spacings from a fixed sequence (1 frame to just under a whole loop).
    std::vector<std::uint64_t> irregular{0};
    for (std::uint64_t seed = 12345; irregular.back() < end;) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        const std::uint64_t step = 1 + (seed >> 33) % (seed % 3 == 0 ? loop - 1 : 5000);
        irregular.push_back(std::min(end, irregular.back() + step));
    }
    // Calls landing exactly on the lines' frames and the loop boundaries, and one frame off.
    std::vector<std::uint64_t> onEdges;
    for (std::uint64_t start = 0; start <= end; start += loop)
        for (std::uint64_t f : {0, 1, 23999, 24000, 24001, 48000, 60000, 95995, 95995, 95999})
            if (start + f <= end)
                onEdges.push_back(start + f);

    const Pattern patterns[] = {
        {"every frame", every(1, end)},
        {"every 10 ms", every(480, end)},
        {"every block of 128", every(128, end)},
        {"every 37 frames", every(37, end)},
        {"every 0.75 loop", every(72000, end)},
        {"exactly one loop apart", every(loop, end)},
        {"one loop minus a frame apart", every(loop - 1, end)},
        {"irregular", irregular},
        {"on the edges", onEdges},
        {"twice at each frame",
         [&] {
             std::vector<std::uint64_t> calls;
             for (auto f : every(4801, end)) {
                 calls.push_back(f);
                 calls.push_back(f);
             }
             return calls;
         }()},
    };
    for (const auto& pattern : patterns) {
        INFO(pattern.name);
        auto session = DemoSession::parse(venue, kShortScript, "short.events");
        std::vector<std::string> got;
        for (auto frame : pattern.calls)
            for (const auto& c : session.due(frame))
                got.push_back(key(c));
        CHECK(got == expectedUpTo(session, pattern.calls.back()));
    }
}

TEST_CASE("due() wraps at the loop end: the last lines, then the reset, then the first lines") {
    const auto venue = dragoman::test::tirana();
    auto session = DemoSession::parse(venue, kShortScript, "short.events");
    const auto& events = session.events();
    REQUIRE(events.size() == 7u);
    (void)session.due(95000); // everything up to 95000 of loop 0

    const auto wrapped = keys(session.due(96000 + 10));        // across the loop end
    std::vector<std::string> expected{key(events[6].command)}; // 1.9999 s
    for (const auto& c : session.resetCommands())
        expected.push_back(key(c));
    expected.push_back(key(events[0].command)); // the lines at 0 s of loop 1
    expected.push_back(key(events[1].command));
    CHECK(wrapped == expected);
    CHECK(session.due(96000 + 10).empty());
}

TEST_CASE("due() catches up with the current loop on a first call, a stall or a new engine") {
    const auto venue = dragoman::test::tirana();
    const std::uint64_t loop = 96000;

    // Only the current loop's reset and lines up to now.
    const auto currentLoop = [&](const DemoSession& s, std::uint64_t now) {
        std::vector<std::string> out;
        for (const auto& c : s.resetCommands())
            out.push_back(key(c));
        for (const auto& event : s.events())
            if (event.frame <= now % loop)
                out.push_back(key(event.command));
        return out;
    };

    SECTION("a first call in the middle of a loop") {
        auto session = DemoSession::parse(venue, kShortScript, "short.events");
        CHECK(keys(session.due(3 * loop + 50000)) == currentLoop(session, 3 * loop + 50000));
    }
    SECTION("more than a whole loop without calls") {
        auto session = DemoSession::parse(venue, kShortScript, "short.events");
        (void)session.due(1000);
        CHECK(keys(session.due(2 * loop + 30000)) == currentLoop(session, 2 * loop + 30000));
    }
    SECTION("a frame count that went backwards") {
        auto session = DemoSession::parse(venue, kShortScript, "short.events");
        (void)session.due(5 * loop);
        CHECK(keys(session.due(70000)) == currentLoop(session, 70000));
    }
    SECTION("restart()") {
        auto session = DemoSession::parse(venue, kShortScript, "short.events");
        (void)session.due(70000);
        session.restart();
        CHECK(keys(session.due(70000)) == currentLoop(session, 70000));
    }
}

TEST_CASE("The live session's lines come back once per loop over three loops at 10 ms calls") {
    const auto venue = dragoman::test::tirana();
    DemoSession session(venue, kLive);
    const std::uint64_t end = 3 * session.loopFrames() - 1;
    std::vector<std::string> got;
    for (std::uint64_t frame = 0; frame <= end; frame += 480)
        for (const auto& c : session.due(frame))
            got.push_back(key(c));
    for (const auto& c : session.due(end))
        got.push_back(key(c));
    CHECK(got == expectedUpTo(session, end));
    CHECK(got.size() == 3 * (session.resetCommands().size() + session.events().size()));
}

TEST_CASE("A bad demo script is refused with its line number") {
    const auto venue = dragoman::test::tirana();
    struct Case {
        const char* script;
        int line;
        const char* problem;
    };
    const Case cases[] = {
        {"0 desk en.1 mic on\n", 0, "no loop line"},
        {"0 desk en.1 mic on\n10 loop\n20 loop\n", 3, "a second loop line"},
        {"0 desk en.1 mic on\n10 loop now\n", 2, "trailing junk"},
        {"0 loop\n", 1, "longer than 0 s"},
        {"x loop\n", 1, "bad time \"x\""},
        {"-1 floor Chair en\n5 loop\n", 1, "times must be >= 0"},
        {"5 desk en.1 mic on\n5 loop\n", 1, "not before the loop line"},
        {"1 floor Chair en\n\n7 floor Chair en\n5 loop\n", 3, "not before the loop line"},
        {"1 floor Podium en\n5 loop\n", 1, "unknown floor mic \"Podium\""},
        {"1 floor\n5 loop\n", 1, "expected a floor mic"},
        {"1 floor Chair\n5 loop\n", 1, "expected a language"},
        {"1 floor Chair ../x\n5 loop\n", 1, "bad language"},
        {"1 floor Chair en loud\n5 loop\n", 1, "trailing junk \"loud\""},
        {"1 floor none please\n5 loop\n", 1, "trailing junk"},
        // The event parser's line numbers count the demo's own lines too.
        {"1 floor Chair en\n2 loop\n# c\n1 desk xx.9 mic on\n", 4, "unknown desk"},
    };
    for (const auto& c : cases) {
        INFO(c.script);
        try {
            (void)DemoSession::parse(venue, c.script, "bad.events");
            FAIL("accepted");
        } catch (const EventScriptError& error) {
            CHECK(error.file() == "bad.events");
            CHECK(error.line() == c.line);
            CHECK_THAT(error.problem(), Catch::Contains(c.problem));
        }
    }
    CHECK_THROWS_WITH(DemoSession(venue, fs::path("no-such.events")),
                      Catch::Contains("no-such.events: cannot read"));
}

TEST_CASE("clipNames() lists the floor languages and every booth's language") {
    const auto venue = dragoman::test::tirana();
    const auto session = DemoSession::parse(venue,
                                            "0 floor Chair en\n1 floor Lectern sq\n"
                                            "2 floor Chair en\n3 floor none\n4 loop\n",
                                            "x");
    CHECK(session.clipNames() == std::vector<std::string>{"floor-en", "floor-sq", "booth-en",
                                                          "booth-sq", "booth-bsm", "booth-mk"});
    CHECK(session.floorSpeech().size() == 3u); // "none" is a gap
    CHECK(session.floorSpeech().back().end == 3u * 48000u);
    CHECK(session.deskClip(*venue.deskIndex("bsm.2")) == "booth-bsm");
}

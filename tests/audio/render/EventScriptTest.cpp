#include "render/EventScript.h"

#include "support/CostInChild.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <unistd.h>

using dragoman::core::Command;
using dragoman::core::MonitorSource;
using dragoman::render::EventScriptError;
using dragoman::render::parseEventScript;
using dragoman::venue::InterlockMode;
using dragoman::venue::Slot;
using Kind = Command::Kind;

namespace {

// Tirana's shape, built in code: channels floor en sq bsm mk; booths en sq bsm mk with two
// desks each (flat desks: en.1=0 en.2=1 sq.1=2 sq.2=3 bsm.1=4 bsm.2=5 mk.1=6 mk.2=7).
dragoman::venue::Venue tiranaShape() {
    dragoman::venue::Venue venue;
    venue.name = "test";
    venue.sampleRate = 48000;
    int input = 2;
    for (const char* code : {"floor", "en", "sq", "bsm", "mk"})
        venue.channels.push_back({code, code, code, -1, true});
    for (const char* code : {"en", "sq", "bsm", "mk"}) {
        dragoman::venue::Booth booth;
        booth.code = code;
        booth.outgoing = {*venue.channelIndex(code), -1, -1};
        booth.desks = {{input, -1}, {input + 1, -1}};
        input += 2;
        venue.booths.push_back(booth);
    }
    return venue;
}

struct Expected {
    Kind kind;
    int target;
    int index = 0;
    bool flag = false;
    Slot slot = Slot::A;
    InterlockMode mode = InterlockMode::Override;
    MonitorSource monitor = MonitorSource::Channel;
    float amount = 0.0f;
};

struct ValidCase {
    const char* line;
    double time;
    Expected expected;
};

struct BadCase {
    const char* line;
    const char* problem; // a substring of the message
};

} // namespace

TEST_CASE("every valid event line becomes the command it names", "[render][events]") {
    const auto venue = tiranaShape();
    // clang-format off
    const ValidCase cases[] = {
        {"1.5 desk en.1 mic on",                1.5, {Kind::DeskMic, 0, 0, true}},
        {"0 desk sq.2 mic off",                 0.0, {Kind::DeskMic, 3, 0, false}},
        {"2 desk en.2 cough on",                2.0, {Kind::DeskCough, 1, 0, true}},
        {"2 desk en.2 cough off",               2.0, {Kind::DeskCough, 1, 0, false}},
        {"3 desk mk.1 out B",                   3.0, {Kind::DeskOut, 6, 0, false, Slot::B}},
        {"3 desk mk.1 out A",                   3.0, {Kind::DeskOut, 6, 0, false, Slot::A}},
        {"3 desk mk.1 out c",                   3.0, {Kind::DeskOut, 6, 0, false, Slot::C}},
        {"4 desk sq.1 in en",                   4.0, {Kind::DeskIn, 2, 1}},
        {"4 desk sq.1 in floor",                4.0, {Kind::DeskIn, 2, 0}},
        {"5 desk bsm.2 volume -6.5",            5.0, {Kind::DeskVolume, 5, 0, false, Slot::A, InterlockMode::Override, MonitorSource::Channel, -6.5f}},
        {"5 desk bsm.2 bass 3",                 5.0, {Kind::DeskBass, 5, 0, false, Slot::A, InterlockMode::Override, MonitorSource::Channel, 3.0f}},
        {"5 desk bsm.2 treble -12",             5.0, {Kind::DeskTreble, 5, 0, false, Slot::A, InterlockMode::Override, MonitorSource::Channel, -12.0f}},
        {"6 channel mk autofloor off",          6.0, {Kind::ChannelAutoFloor, 4, 0, false}},
        {"6 channel en autofloor on",           6.0, {Kind::ChannelAutoFloor, 1, 0, true}},
        {"7 booth en interlock interlock",      7.0, {Kind::BoothInterlock, 0, 0, false, Slot::A, InterlockMode::Interlock}},
        {"7 booth sq interlock override",       7.0, {Kind::BoothInterlock, 1, 0, false, Slot::A, InterlockMode::Override}},
        {"8 booth en autorelay on",             8.0, {Kind::BoothAutoRelay, 0, 0, true}},
        {"8 booth mk autorelay off",            8.0, {Kind::BoothAutoRelay, 3, 0, false}},
        {"9 monitor channel sq",                9.0, {Kind::Monitor, 0, 2, false, Slot::A, InterlockMode::Override, MonitorSource::Channel}},
        {"9 monitor channel floor",             9.0, {Kind::Monitor, 0, 0, false, Slot::A, InterlockMode::Override, MonitorSource::Channel}},
        {"9 monitor desk mk.2",                 9.0, {Kind::Monitor, 0, 7, false, Slot::A, InterlockMode::Override, MonitorSource::DeskFeed}},
        {"  10\tdesk en.1   mic on  # comment", 10.0, {Kind::DeskMic, 0, 0, true}},
        {"1e1 desk en.1 mic on",                10.0, {Kind::DeskMic, 0, 0, true}},
    };
    // clang-format on
    for (const auto& c : cases) {
        INFO("line: " << c.line);
        const auto events = parseEventScript(std::string("# header\n\n") + c.line, venue, "t");
        REQUIRE(events.size() == 1);
        const auto& event = events[0];
        const auto& command = event.command;
        CHECK(event.line == 3);
        CHECK(command.id == 3);
        CHECK(event.time == c.time);
        CHECK(event.frame == static_cast<std::uint64_t>(c.time * 48000));
        CHECK(command.kind == c.expected.kind);
        CHECK(command.target == c.expected.target);
        CHECK(command.index == c.expected.index);
        CHECK(command.flag == c.expected.flag);
        CHECK(command.slot == c.expected.slot);
        CHECK(command.mode == c.expected.mode);
        CHECK(command.monitor == c.expected.monitor);
        CHECK(command.amount == c.expected.amount);
    }
}

TEST_CASE("a bad event line is refused with its line number and what is wrong",
          "[render][events]") {
    const auto venue = tiranaShape();
    // clang-format off
    const BadCase cases[] = {
        {"x desk en.1 mic on",             "bad time \"x\""},
        {"-1 desk en.1 mic on",            "times must be >= 0"},
        {"nan desk en.1 mic on",           "bad time \"nan\""},
        {"inf desk en.1 mic on",           "bad time \"inf\""},
        {"1s desk en.1 mic on",            "bad time \"1s\""},
        {"12",                             "missing argument after \"12\""},
        {"1 play en",                      "unknown command \"play\""},
        {"1 desk",                         "missing argument after \"desk\" (expected a desk"},
        {"1 desk xx.9 mic on",             "unknown desk \"xx.9\""},
        {"1 desk en.3 mic on",             "unknown desk \"en.3\""},
        {"1 desk en mic on",               "unknown desk \"en\""},
        {"1 desk en.1",                    "missing argument after \"en.1\""},
        {"1 desk en.1 shout on",           "unknown verb \"shout\""},
        {"1 desk en.1 mic",                "missing argument after \"mic\" (expected on or off)"},
        {"1 desk en.1 mic maybe",          "bad value \"maybe\" for mic"},
        {"1 desk en.1 mic on please",      "trailing junk \"please\""},
        {"1 desk en.1 mic on now please",  "trailing junk \"now please\""},
        {"1 desk en.1 out D",              "bad value \"D\" for out"},
        {"1 desk en.1 out AB",             "bad value \"AB\" for out"},
        {"1 desk en.1 in xx",              "unknown channel \"xx\""},
        {"1 desk en.1 in",                 "missing argument after \"in\""},
        {"1 desk en.1 volume loud",        "bad value \"loud\" for volume"},
        {"1 desk en.1 treble",             "missing argument after \"treble\""},
        {"1 channel de autofloor on",      "unknown channel \"de\""},
        {"1 channel en autofloor",         "missing argument after \"autofloor\""},
        {"1 channel en mute on",           "unknown verb \"mute\""},
        {"1 booth en interlock sometimes", "bad value \"sometimes\" for interlock"},
        {"1 booth xx autorelay on",        "unknown booth \"xx\""},
        {"1 booth en relay on",            "unknown verb \"relay\""},
        {"1 monitor speaker en",           "unknown monitor source \"speaker\""},
        {"1 monitor desk zz.1",            "unknown desk \"zz.1\""},
        {"1 monitor channel en extra",     "trailing junk \"extra\""},
    };
    // clang-format on
    for (const auto& c : cases) {
        INFO("line: " << c.line);
        const std::string script =
            "0 desk en.1 mic on\n# comment\n\n" + std::string(c.line) + "\n5 desk en.1 mic off\n";
        try {
            parseEventScript(script, venue, "demo.events");
            FAIL("accepted");
        } catch (const EventScriptError& error) {
            CHECK(error.line() == 4);
            CHECK(error.file() == "demo.events");
            CHECK_THAT(error.what(), Catch::Contains("demo.events:4: "));
            CHECK_THAT(error.problem(), Catch::Contains(c.problem));
        }
    }
}

TEST_CASE("events come back in time order, equal times in script order", "[render][events]") {
    const auto venue = tiranaShape();
    const auto events = parseEventScript("# a session\n"
                                         "2 desk en.1 mic off\n"
                                         "1 desk en.1 mic on\n"
                                         "\n"
                                         "1 desk sq.1 in en   # same time: after line 3\n"
                                         "0.00001 channel mk autofloor off\n",
                                         venue, "t");
    REQUIRE(events.size() == 4);
    CHECK(events[0].line == 6);
    CHECK(events[0].frame == 0); // 0.48 samples rounds to the first sample
    CHECK(events[1].line == 3);
    CHECK(events[1].frame == 48000);
    CHECK(events[2].line == 5);
    CHECK(events[2].text == "1 desk sq.1 in en");
    CHECK(events[3].line == 2);
    CHECK(events[3].frame == 96000);
}

TEST_CASE("an empty or comment-only script has no events", "[render][events]") {
    const auto venue = tiranaShape();
    CHECK(parseEventScript("", venue, "t").empty());
    CHECK(parseEventScript("# nothing\n\n   \n\t# still nothing\r\n", venue, "t").empty());
}

TEST_CASE("an unreadable event script names the file", "[render][events]") {
    const auto venue = tiranaShape();
    const std::filesystem::path missing = "no-such-dir/no.events";
    try {
        dragoman::render::loadEventScript(missing, venue);
        FAIL("accepted");
    } catch (const EventScriptError& error) {
        CHECK_THAT(error.what(), Catch::Contains("no-such-dir/no.events: cannot read"));
    }
}

// An event script has no nesting; its hostile case is one endless line (100,000 "[" and "]",
// like the venue and mapping files' 100,000-deep arrays): refused at its line, at once.
TEST_CASE("a 200 KB event line is refused in under a second and 100 MB", "[render][events]") {
    // The budget a hostile file may cost before it is refused (issue 14).
    constexpr double kBudgetSeconds = 1.0;
    constexpr long kBudgetKb = 100 * 1024;
    constexpr std::size_t kDepth = 100000;
    const auto venue = tiranaShape();
    const auto file = std::filesystem::temp_directory_path() /
                      ("dragoman-events-" + std::to_string(::getpid()) + ".events");
    {
        std::ofstream out(file);
        out << "# a hostile script\n" << std::string(kDepth, '[') << std::string(kDepth, ']');
    }

    const auto cost = dragoman::test::costInChild([&] {
        try {
            dragoman::render::loadEventScript(file, venue);
            return std::string("accepted");
        } catch (const EventScriptError& e) {
            return std::to_string(e.line()) + "\n" + e.problem();
        }
    });
    std::filesystem::remove(file);

    REQUIRE(cost.finished);
    CHECK(cost.result == "2\nthe line is " + std::to_string(2 * kDepth) +
                             " bytes long; a line holds at most " +
                             std::to_string(dragoman::render::kMaxEventLineBytes));
    CHECK(cost.seconds < kBudgetSeconds);
    CHECK(cost.peakKb < kBudgetKb);
}

TEST_CASE("an event line at the line limit is read, and a script past the size limit is refused",
          "[render][events]") {
    const auto venue = tiranaShape();
    std::string line = "1 desk en.1 mic on #";
    line += std::string(dragoman::render::kMaxEventLineBytes - line.size(), 'x');
    CHECK(parseEventScript(line, venue, "t").size() == 1);
    try {
        parseEventScript(line + "x", venue, "t");
        FAIL("accepted");
    } catch (const EventScriptError& error) {
        CHECK(error.line() == 1);
    }

    const std::string huge(dragoman::render::kMaxEventScriptBytes + 1, '\n');
    try {
        parseEventScript(huge, venue, "t");
        FAIL("accepted");
    } catch (const EventScriptError& error) {
        CHECK(error.line() == 0);
        CHECK_THAT(error.problem(),
                   Catch::Contains(std::to_string(dragoman::render::kMaxEventScriptBytes)));
    }
}

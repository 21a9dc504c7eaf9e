// Mapping files: the shipped defaults load against the Tirana venue and bind what their
// documentation says; every kind of bad file is refused with the file, the JSON path and the
// problem; learnt bindings are stored atomically and replace the binding of the same control.
#include "midi/MappingFile.h"

#include "support/CostInChild.h"
#include "venue/VenueFile.h"

#include <QTemporaryDir>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

using namespace dragoman;
using midi::ActionKind;
using midi::Control;

namespace {

venue::Venue tirana() {
    return venue::load(std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/tirana.json");
}

std::filesystem::path resource(const std::string& name) {
    return std::filesystem::path(DRAGOMAN_SOURCE_DIR) / "resources" / "midi" / name;
}

const midi::Binding* find(const midi::Mapping& m, Control::Type type, int channel, int number) {
    for (const auto& b : m.bindings)
        if (b.control == Control{type, channel, number})
            return &b;
    return nullptr;
}

} // namespace

TEST_CASE(
    "The generic default: notes 36 upward on channel 1 toggle the desks' mics in venue order") {
    const auto v = tirana();
    const auto m = midi::loadMapping(resource("generic.json"), v);
    CHECK(m.fallback);
    CHECK(m.ports.empty());
    REQUIRE(static_cast<int>(m.bindings.size()) == v.deskCount());
    for (int d = 0; d < v.deskCount(); ++d) {
        const auto* b = find(m, Control::Type::Note, 0, 36 + d);
        REQUIRE(b != nullptr);
        CHECK(b->action.kind == ActionKind::Mic);
        CHECK(b->action.desk == d);
        CHECK(b->action.mode == midi::KeyMode::Toggle);
        CHECK(b->feedback);
    }
}

TEST_CASE("The controller defaults load and bind their documented layouts") {
    const auto v = tirana();
    const auto nano = midi::loadMapping(resource("korg-nanokontrol2.json"), v);
    CHECK(nano.matchesPort("a2j:nanoKONTROL2 [20] (capture): nanoKONTROL2 _ CTRL"));
    CHECK_FALSE(nano.matchesPort("a2j:X-TOUCH MINI [24] (capture): X-TOUCH MINI MIDI 1"));
    struct Row {
        Control::Type type;
        int channel;
        int number;
        ActionKind kind;
        int desk;
    };
    for (const auto& row : {Row{Control::Type::Cc, 0, 0, ActionKind::Volume, 0},
                            Row{Control::Type::Cc, 0, 7, ActionKind::Volume, 7},
                            Row{Control::Type::Cc, 0, 32, ActionKind::Mic, 0},
                            Row{Control::Type::Cc, 0, 49, ActionKind::Cough, 1},
                            Row{Control::Type::Cc, 0, 64, ActionKind::Out, 0},
                            Row{Control::Type::Cc, 0, 16, ActionKind::In, 0}}) {
        const auto* b = find(nano, row.type, row.channel, row.number);
        INFO("nanoKONTROL2 cc " << row.number);
        REQUIRE(b != nullptr);
        CHECK(b->action.kind == row.kind);
        CHECK(b->action.desk == row.desk);
    }
    CHECK_FALSE(find(nano, Control::Type::Cc, 0, 0)->feedback); // no motors: pick-up

    const auto xtouch = midi::loadMapping(resource("behringer-x-touch-mini.json"), v);
    CHECK(xtouch.matchesPort("X-TOUCH MINI:X-TOUCH MINI MIDI 1 24:0"));
    CHECK(xtouch.leds.blink == 2);
    const auto* mic = find(xtouch, Control::Type::Note, 10, 8); // top row, first button
    REQUIRE(mic != nullptr);
    CHECK(mic->action.kind == ActionKind::Mic);
    CHECK(mic->action.desk == 0);
    CHECK(mic->led == 0); // its LED answers to note 0
    const auto* trim = find(xtouch, Control::Type::Cc, 10, 11);
    REQUIRE(trim != nullptr);
    CHECK(trim->action.kind == ActionKind::InputTrim);
    CHECK(trim->action.input == 0);
}

TEST_CASE("Bad mapping files are refused with the file, the JSON path and the problem") {
    struct BadCase {
        const char* text;
        const char* path;
        const char* problem; // a fragment of the message
    };
    const auto row = GENERATE(values<BadCase>({
        {R"({"name": "x", "bindings": [)", "$", "invalid JSON at byte"},
        {R"([])", "$", "expected an object"},
        {R"({"bindings": []})", "$", "missing key \"name\""},
        {R"({"name": "x"})", "$", "missing key \"bindings\""},
        {R"({"name": "x", "bindings": [], "colour": 1})", "$.colour", "unknown key"},
        {R"({"name": "x", "bindings": [{"action": "mic", "desk": 1}]})", "$.bindings[0]",
         "exactly one of \"note\" and \"cc\""},
        {R"({"name": "x", "bindings": [{"note": 128, "action": "mic", "desk": 1}]})",
         "$.bindings[0].note", "from 0 to 127, got 128"},
        {R"({"name": "x", "bindings": [{"note": 1, "midiChannel": 17, "action": "mic", "desk": 1}]})",
         "$.bindings[0].midiChannel", "from 1 to 16"},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "dance", "desk": 1}]})",
         "$.bindings[0].action", "unknown action \"dance\""},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "mic", "desk": "fr.1"}]})",
         "$.bindings[0].desk", "no desk \"fr.1\" in this venue"},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "mic"}]})", "$.bindings[0]",
         "needs \"desk\""},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "mic", "desk": 1, "mode": "latch"}]})",
         "$.bindings[0].mode", "\"toggle\" or \"momentary\""},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "volume", "desk": 1}]})",
         "$.bindings[0].note", "needs a fader or knob"},
        {R"({"name": "x", "bindings": [{"cc": 1, "action": "volume", "desk": 1, "max": 20}]})",
         "$.bindings[0].max", "from -60 to 12"},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "out", "desk": 1, "slot": "D"}]})",
         "$.bindings[0].slot", "\"A\", \"B\", \"C\" or \"next\""},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "autofloor", "channel": "floor"}]})",
         "$.bindings[0].channel", "the floor always carries the floor"},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "in", "desk": 1}]})", "$.bindings[0]",
         "needs \"channel\""},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "pfl", "channel": "en", "desk": 1}]})",
         "$.bindings[0]", "exactly one of"},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "mic", "desk": 1, "slot": "A"}]})",
         "$.bindings[0].slot", "not used by action \"mic\""},
        {R"({"name": "x", "bindings": [{"note": 120, "repeat": 9, "action": "mic", "desk": 1}]})",
         "$.bindings[0].repeat", "go past controller number 127"},
        {R"({"name": "x", "bindings": [{"note": 1, "repeat": 2, "action": "mic", "desk": "en.1"}]})",
         "$.bindings[0].repeat", "numbered target"},
        {R"({"name": "x", "bindings": [{"note": 1, "action": "mic", "desk": 1},
                                       {"note": 1, "action": "cough", "desk": 2}]})",
         "$.bindings[1]", "note 1 on MIDI channel 1 is already bound by $.bindings[0]"},
        {R"({"name": "x", "preselect": {"en.9": ["floor"]}, "bindings": []})",
         "$.preselect[\"en.9\"]", "no desk \"en.9\""},
        {R"({"name": "x", "leds": {"on": 200}, "bindings": []})", "$.leds.on", "from 0 to 127"},
    }));
    SECTION(row.text) {
        try {
            midi::parseMapping(row.text, "venue-midi.json", tirana());
            FAIL("accepted");
        } catch (const midi::MappingError& e) {
            CHECK(e.file() == "venue-midi.json");
            CHECK(e.jsonPath() == row.path);
            CHECK_THAT(e.problem(), Catch::Matchers::Contains(row.problem));
            CHECK_THAT(
                std::string(e.what()),
                Catch::Matchers::StartsWith(std::string("venue-midi.json: ") + row.path + ": "));
        }
    }
}

TEST_CASE("Positions past the venue's desks are inactive, not errors") {
    const auto m = midi::parseMapping(
        R"({"name": "x", "bindings": [{"note": 0, "repeat": 10, "action": "mic", "desk": 1}]})",
        "x.json", tirana());
    CHECK(m.bindings.size() == 8);
    CHECK(m.inactive == 2);
}

TEST_CASE("A learnt binding is stored atomically and replaces the binding of the same control") {
    const auto v = tirana();
    QTemporaryDir dir;
    const auto file = std::filesystem::path(dir.path().toStdString()) / "learnt.json";

    midi::Binding first;
    first.control = {Control::Type::Note, 0, 60};
    first.action.kind = ActionKind::Mic;
    first.action.desk = 3;
    midi::storeBinding(file, first, v); // creates the file
    auto m = midi::loadMapping(file, v);
    REQUIRE(m.bindings.size() == 1);
    CHECK(m.bindings[0].action.desk == 3);

    midi::Binding fader;
    fader.control = {Control::Type::Cc, 2, 7};
    fader.action.kind = ActionKind::Volume;
    fader.action.desk = 1;
    fader.action.minDb = -60.0f;
    fader.action.maxDb = 12.0f;
    fader.feedback = false;
    midi::storeBinding(file, fader, v);

    midi::Binding again = first; // the same key, now sq.1's cough
    again.action.kind = ActionKind::Cough;
    again.action.desk = 2;
    again.action.mode = midi::KeyMode::Momentary;
    midi::storeBinding(file, again, v);

    m = midi::loadMapping(file, v);
    REQUIRE(m.bindings.size() == 2);
    CHECK(m.bindings[0].control == fader.control);
    CHECK(m.bindings[0].action.kind == ActionKind::Volume);
    CHECK(m.bindings[1].control == first.control);
    CHECK(m.bindings[1].action.kind == ActionKind::Cough);
    CHECK(m.bindings[1].action.desk == 2);
    // No temporary file is left beside it.
    int files = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(dir.path().toStdString()))
        ++files;
    CHECK(files == 1);
}

TEST_CASE("A console names an action in a binding's words, without its control") {
    const auto v = tirana();
    const auto mic =
        midi::parseAction(R"({"action": "mic", "desk": "sq.1", "mode": "momentary"})", v);
    CHECK(mic.kind == ActionKind::Mic);
    CHECK(mic.desk == 2);
    CHECK(mic.mode == midi::KeyMode::Momentary);
    const auto volume = midi::parseAction(R"({"action": "volume", "desk": 8})", v);
    CHECK(volume.kind == ActionKind::Volume);
    CHECK(volume.desk == 7);
    CHECK(volume.continuous());
    const auto knob = midi::parseAction(R"({"action": "in", "desk": 1})", v);
    CHECK(knob.continuous());

    struct Bad {
        const char* json;
        const char* path;
    };
    for (const auto& bad : {Bad{R"({"action": "mic", "desk": "xx.1"})", "$.desk"},
                            Bad{R"({"action": "mic", "desk": 9})", "$"},
                            Bad{R"({"action": "mic", "note": 3, "desk": 1})", "$.note"},
                            Bad{R"({"desk": 1})", "$"}, Bad{R"(["mic"])", "$"}}) {
        INFO(bad.json);
        try {
            midi::parseAction(bad.json, v);
            FAIL("accepted");
        } catch (const midi::MappingError& e) {
            CHECK(e.jsonPath() == bad.path);
        }
    }
}

TEST_CASE(
    "A 100,000-deep mapping file is refused at the depth limit in under a second and 100 MB") {
    // The budget a hostile file may cost before it is refused (issue 14).
    constexpr double kBudgetSeconds = 1.0;
    constexpr long kBudgetKb = 100 * 1024;
    constexpr std::size_t kDepth = 100000;
    const auto venue = tirana();
    QTemporaryDir dir;
    const auto file = std::filesystem::path(dir.path().toStdString()) / "deep.json";
    {
        std::ofstream out(file);
        out << std::string(kDepth, '[') << std::string(kDepth, ']');
    }

    const auto cost = test::costInChild([&] {
        try {
            midi::loadMapping(file, venue);
            return std::string("accepted");
        } catch (const midi::MappingError& e) {
            return e.jsonPath() + "\n" + e.problem();
        }
    });

    REQUIRE(cost.finished);
    std::string path = "$";
    for (std::size_t i = 0; i < midi::kMappingFileLimits.maxDepth; ++i)
        path += "[0]";
    CHECK(cost.result == path + "\nnested deeper than " +
                             std::to_string(midi::kMappingFileLimits.maxDepth) +
                             " levels of arrays and objects");
    CHECK(cost.seconds < kBudgetSeconds);
    CHECK(cost.peakKb < kBudgetKb);
}

TEST_CASE("Mapping files are parsed strictly and within their limits") {
    const auto venue = tirana();
    const auto refusal = [&](const std::string& text) -> std::pair<std::string, std::string> {
        try {
            midi::parseMapping(text, "m.json", venue);
        } catch (const midi::MappingError& e) {
            return {e.jsonPath(), e.problem()};
        }
        return {"accepted", ""};
    };

    SECTION("a duplicate key") {
        const auto [path, problem] = refusal(R"({"name": "a", "name": "b", "bindings": []})");
        CHECK(path == "$.name");
        CHECK_THAT(problem, Catch::Contains("duplicate key"));
    }
    SECTION("a name past the name limit, in characters") {
        const std::string longest(venue::kMaxNameLength, 'n');
        CHECK(refusal(R"({"name": ")" + longest + R"(", "bindings": []})").first == "accepted");
        const auto [path, problem] = refusal(R"({"name": ")" + longest + R"(n", "bindings": []})");
        CHECK(path == "$.name");
        CHECK_THAT(problem, Catch::Contains(std::to_string(venue::kMaxNameLength + 1)));
    }
    SECTION("a port name fragment past the name limit") {
        const std::string fragment(venue::kMaxNameLength + 1, 'p');
        const auto [path, problem] =
            refusal(R"({"name": "x", "ports": [")" + fragment + R"("], "bindings": []})");
        CHECK(path == "$.ports[0]");
        CHECK_THAT(problem, Catch::Contains("at most"));
    }
    SECTION("text past the size limit") {
        auto text = std::string(R"({"name": "x", "bindings": []})");
        text += std::string(midi::kMappingFileLimits.maxBytes + 1 - text.size(), ' ');
        const auto [path, problem] = refusal(text);
        CHECK(path == "$");
        CHECK_THAT(problem, Catch::Contains(std::to_string(midi::kMappingFileLimits.maxBytes)));
    }
}

// EngineController (app/control/EngineController.h): the single producer of the engine's
// command queue. Every command gets exactly one answer — the engine's, "engine busy" for a
// full queue, or "engine not answering" after the timeout — always from the event loop.
#include "ControlFixture.h"

#include <QSignalSpy>
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <vector>

using namespace dragoman;
using namespace dragoman::test;
using Outcome = control::CommandAnswer::Outcome;

namespace {

struct Collected {
    std::vector<control::CommandAnswer> answers;
    std::vector<int> order; // the tag of each answered command, in answer order
};

} // namespace

TEST_CASE("Each command is answered once with the engine's result, in posting order") {
    const auto venue = tiranaVenue();
    core::Engine engine(venue);
    control::EngineController controller(engine);
    EnginePump pump(engine);
    Collected collected;
    const int en1 = venue.deskIndex("en.1").value();
    const int en2 = venue.deskIndex("en.2").value();

    const std::vector<core::Command> commands{
        core::Command::deskMic(en1, true),
        core::Command::deskMic(en2, true),     // hands over from en.1
        core::Command::deskVolume(en1, 40.0f), // out of range
        core::Command::deskIn(99, 0),          // no such desk
        core::Command::deskOut(en1, venue::Slot::C),
    };
    for (std::size_t i = 0; i < commands.size(); ++i)
        controller.submit(commands[i], [&, i](const core::CommandResult& result) {
            collected.answers.push_back(static_cast<const control::CommandAnswer&>(result));
            collected.order.push_back(static_cast<int>(i));
        });
    CHECK(collected.answers.empty()); // never answered inside submit()
    CHECK(controller.pending() == commands.size());

    REQUIRE(waitUntil([&] { return collected.answers.size() == commands.size(); }));
    CHECK(collected.order == std::vector<int>{0, 1, 2, 3, 4});
    std::set<std::uint32_t> ids;
    for (const auto& answer : collected.answers) {
        CHECK(answer.outcome == Outcome::Answered);
        CHECK(answer.id != 0);
        ids.insert(answer.id);
    }
    CHECK(ids.size() == commands.size()); // the controller tags each command with its own id
    CHECK(collected.answers[0].accepted);
    CHECK(collected.answers[1].accepted);
    CHECK(collected.answers[1].handover == en1);
    CHECK(control::describe(collected.answers[2]) == "value out of range");
    CHECK(control::describe(collected.answers[3]) == "unknown desk, channel or booth");
    CHECK(control::describe(collected.answers[4]) == "no such outgoing channel");
    CHECK(controller.pending() == 0);
    CHECK(controller.routing().desks[static_cast<std::size_t>(en2)].mic);

    spin(20);
    CHECK(collected.answers.size() == commands.size()); // and only once
}

TEST_CASE("commandAnswered carries every answer, after the command's own callback") {
    const auto venue = tiranaVenue();
    core::Engine engine(venue);
    control::EngineController controller(engine);
    EnginePump pump(engine);
    std::vector<std::string> events;
    QObject::connect(&controller, &control::EngineController::commandAnswered,
                     [&](const control::CommandAnswer& answer) {
                         events.push_back("signal " + std::to_string(answer.target));
                     });

    controller.submit(core::Command::deskMic(0, true), [&](const control::CommandAnswer& answer) {
        events.push_back("callback " + std::to_string(answer.target));
    });
    controller.submit(core::Command::deskCough(3, true)); // no callback: the signal still fires

    REQUIRE(waitUntil([&] { return events.size() == 3; }));
    CHECK(events == std::vector<std::string>{"callback 0", "signal 0", "signal 3"});
}

TEST_CASE("routingChanged fires when an accepted command changes the routing") {
    const auto venue = tiranaVenue();
    core::Engine engine(venue);
    control::EngineController controller(engine);
    EnginePump pump(engine);
    QSignalSpy changed(&controller, &control::EngineController::routingChanged);
    bool answered = false;

    SECTION("a change") {
        controller.submit(core::Command::deskMic(0, true),
                          [&](const control::CommandAnswer&) { answered = true; });
        REQUIRE(waitUntil([&] { return answered; }));
        REQUIRE(waitUntil([&] { return changed.count() >= 1; }, 1000));
        spin(100);
        CHECK(changed.count() == 1);
    }

    SECTION("a refusal changes nothing") {
        controller.submit(core::Command::deskVolume(0, 99.0f),
                          [&](const control::CommandAnswer&) { answered = true; });
        REQUIRE(waitUntil([&] { return answered; }));
        spin(100);
        CHECK(changed.count() == 0);
    }
}

TEST_CASE("A full command queue is answered \"engine busy\" from the event loop") {
    const auto venue = tiranaVenue();
    core::EngineOptions small;
    small.commandCapacity = 4;
    core::Engine engine(venue, small); // no audio thread: nothing drains the queue
    control::ControllerOptions options;
    options.timeoutMs = 200;
    control::EngineController controller(engine, options);
    std::vector<control::CommandAnswer> answers;

    for (int i = 0; i < 64; ++i)
        controller.submit(core::Command::deskCough(0, i % 2 == 0),
                          [&](const control::CommandAnswer& answer) { answers.push_back(answer); });
    CHECK(answers.empty());

    REQUIRE(waitUntil([&] { return answers.size() >= 48; }, 2000)); // what did not fit, at once
    const auto busy =
        static_cast<std::size_t>(std::count_if(answers.begin(), answers.end(), [](const auto& a) {
            return a.outcome == Outcome::EngineBusy;
        }));
    CHECK(busy >= 48);
    CHECK(busy < 64);                        // what fitted waits for its timeout
    for (std::size_t i = 0; i < busy; ++i) { // the busy answers come first
        CHECK(answers[i].outcome == Outcome::EngineBusy);
        CHECK_FALSE(answers[i].accepted);
        CHECK(control::describe(answers[i]) == "engine busy");
    }
    CHECK(engine.stats().commandsDropped == busy);

    // What did fit is never answered by a stopped engine: it times out.
    REQUIRE(waitUntil([&] { return answers.size() == 64; }, 2000));
    for (std::size_t i = busy; i < answers.size(); ++i) {
        CHECK(answers[i].outcome == Outcome::TimedOut);
        CHECK(control::describe(answers[i]) == "engine not answering");
    }
    CHECK(controller.pending() == 0);
}

TEST_CASE("A command the engine never answers times out after the timeout, not before") {
    const auto venue = tiranaVenue();
    core::Engine engine(venue);
    control::ControllerOptions options;
    options.timeoutMs = 300;
    control::EngineController controller(engine, options);
    std::optional<control::CommandAnswer> answer;
    QElapsedTimer elapsed;
    elapsed.start();

    controller.submit(core::Command::deskMic(2, true),
                      [&](const control::CommandAnswer& a) { answer = a; });

    REQUIRE(waitUntil([&] { return answer.has_value(); }, 2000));
    CHECK(elapsed.elapsed() >= 300);
    CHECK(elapsed.elapsed() < 2000); // (a loaded machine may be late, never early)
    CHECK(answer->outcome == Outcome::TimedOut);
    CHECK(answer->kind == core::Command::Kind::DeskMic);
    CHECK(answer->target == 2);

    SECTION("a late answer from an engine that starts after all is not delivered twice") {
        EnginePump pump(engine);
        int more = 0;
        QObject::connect(&controller, &control::EngineController::commandAnswered,
                         [&](const control::CommandAnswer&) { ++more; });
        spin(100);
        CHECK(more == 0);
        CHECK(controller.routing().desks[2].mic); // it did take effect
    }
}

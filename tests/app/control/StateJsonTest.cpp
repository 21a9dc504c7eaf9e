// StateJson (app/control/StateJson.h) without a server: the device status and the words used
// for the device's clock and state, and the ids used for absent desks and channels.
#include "control/StateJson.h"

#include "ControlFixture.h"

#include <QJsonArray>
#include <catch2/catch.hpp>

using namespace dragoman;
using namespace dragoman::test;

TEST_CASE("deviceStatusJson() names the clock and state and passes every figure through") {
    struct Row {
        device::Clock clock;
        device::State state;
        const char* clockName;
        const char* stateName;
    };
    const auto row = GENERATE(values<Row>({
        {device::Clock::Device, device::State::Running, "device", "running"},
        {device::Clock::Virtual, device::State::Running, "virtual", "running"},
        {device::Clock::Virtual, device::State::Reconnecting, "virtual", "reconnecting"},
        {device::Clock::Virtual, device::State::Stopped, "virtual", "stopped"},
    }));
    auto status = testDeviceStatus();
    status.clock = row.clock;
    status.state = row.state;
    status.cycles = 1000;
    status.cycleP50 = 0.004;
    status.cycleP99 = 0.012;
    status.cycleMax = 0.0315;
    status.cycleBuckets = {{3, 600}, {11, 390}, {31, 10}};

    const auto json = control::deviceStatusJson(status);

    CHECK(json.value("clock").toString() == row.clockName);
    CHECK(json.value("state").toString() == row.stateName);
    CHECK(json.value("requested").toString() == "jack");
    CHECK(json.value("device").toString() == "system");
    CHECK(json.value("sampleRate").toDouble() == 48000.0);
    CHECK(json.value("inputLatencyMs").toDouble() == 2.5);
    CHECK(json.value("outputLatencyMs").toDouble() == 5.0);
    CHECK(json.value("cpuLoad").toDouble() == 0.25);
    CHECK(json.value("callbacks").toInt() == 1000);
    CHECK(json.value("reconnects").toInt() == 1);
    CHECK(json.value("audioThreadAllocations").toInt() == 0);
    CHECK(json.value("notice").toString() == status.notice.c_str());
    const auto cycle = json.value("cycle").toObject();
    CHECK(cycle.value("cycles").toInt() == 1000);
    CHECK(cycle.value("p50").toDouble() == 0.004);
    CHECK(cycle.value("p99").toDouble() == 0.012);
    CHECK(cycle.value("max").toDouble() == 0.0315);
    const auto buckets = cycle.value("buckets").toArray();
    REQUIRE(buckets.size() == 3);
    CHECK(buckets[2].toArray()[0].toInt() == 31);
    CHECK(buckets[2].toArray()[1].toInt() == 10);
    CHECK(json.keys().size() == 17);
}

TEST_CASE("Desks and channels a value does not name are null, the floor is \"floor\"") {
    const auto venue = tiranaVenue();
    CHECK(control::deskIdJson(venue, -1).isNull());
    CHECK(control::deskIdJson(venue, 8).isNull());
    CHECK(control::deskIdJson(venue, 7).toString() == "mk.2");
    CHECK(control::channelCodeJson(venue, 0).toString() == "floor");
    CHECK(control::channelCodeJson(venue, 4).toString() == "mk");
    CHECK(control::channelCodeJson(venue, 5).isNull());
    CHECK(control::channelCodeJson(venue, -1).isNull());
}

TEST_CASE("A silent channel's tag is empty and a relay of a relay is tagged \"−\"") {
    const auto venue = tiranaVenue();
    core::Engine engine(venue);
    control::EngineController controller(engine);
    EnginePump pump(engine);
    int answered = 0;
    const auto submit = [&](const core::Command& command) {
        controller.submit(command, [&](const control::CommandAnswer& a) {
            CHECK(a.accepted);
            ++answered;
        });
    };
    const int en1 = venue.deskIndex("en.1").value();
    const int sq1 = venue.deskIndex("sq.1").value();
    submit(core::Command::deskMic(en1, true));                            // en: + (from the floor)
    submit(core::Command::deskIn(sq1, venue.channelIndex("en").value())); // sq listens to en
    submit(core::Command::deskMic(sq1, true));                            // sq: − (relay)
    submit(core::Command::channelAutoFloor(venue.channelIndex("mk").value(), false)); // silent
    REQUIRE(waitUntil([&] { return answered == 4; }));

    const auto state = control::stateJson(controller, {});
    const auto channels = state.value("channels").toObject();
    CHECK(channels.value("en").toObject().value("tag").toString() == "+");
    CHECK(channels.value("sq").toObject().value("tag").toString() == QString::fromUtf8("\u2212"));
    CHECK(channels.value("sq").toObject().value("sourceDesk").toString() == "sq.1");
    CHECK(channels.value("mk").toObject().value("tag").toString().isEmpty());
    CHECK(channels.value("mk").toObject().value("source").toString() == "silent");
    CHECK(channels.value("floor").toObject().value("tag").toString() == "floor");
    CHECK(state.value("device").toObject().value("clock").toString() == "virtual");
}

// The remote console's reading of the router's frames (app/remote) against the router's own
// writing of them (app/control): a state written by StateJson and read back by StateReader is
// the routing the engine had; a command turned into a frame by CommandFrames is parsed by
// WriteRequests into that same command; a verdict written by WriteAnswers is read back as the
// engine's answer; the hello's venue is the venue, without its secrets.
#include "control/StateJson.h"
#include "control/WriteAnswers.h"
#include "control/WriteRequests.h"
#include "core/Engine.h"
#include "remote/CommandFrames.h"
#include "remote/RouterUrl.h"
#include "remote/StateReader.h"
#include "support/TiranaVenue.h"
#include "venue/VenueFile.h"

#include <QJsonDocument>
#include <catch2/catch.hpp>

using namespace dragoman;
using core::Command;

namespace {

// An engine run in blocks of silence, as a device would run it, with commands between blocks.
struct Running {
    explicit Running(const venue::Venue& venue)
        : engine(venue)
        , in(static_cast<std::size_t>(venue.deviceInputs), std::vector<float>(kBlock, 0.0f))
        , out(static_cast<std::size_t>(venue.deviceOutputs), std::vector<float>(kBlock, 0.0f)) {}
    void run(int blocks) {
        std::vector<const float*> inputs;
        std::vector<float*> outputs;
        for (auto& i : in)
            inputs.push_back(i.data());
        for (auto& o : out)
            outputs.push_back(o.data());
        for (int b = 0; b < blocks; ++b)
            engine.process(inputs.data(), outputs.data(), kBlock);
        core::CommandResult result;
        while (engine.nextResult(result)) {
        }
    }
    void command(const Command& c) {
        REQUIRE(engine.post(c));
        run(1);
    }
    static constexpr std::size_t kBlock = 128;
    core::Engine engine;
    std::vector<std::vector<float>> in;
    std::vector<std::vector<float>> out;
};

// The command the router parses out of `frame` (what WsHub::command does).
control::ParsedWrite parsed(const venue::Venue& venue, const QJsonObject& frame) {
    const QByteArray set =
        QJsonDocument(frame.value(QLatin1String("set")).toObject()).toJson(QJsonDocument::Compact);
    const QString type = frame.value(QLatin1String("type")).toString();
    if (type == QLatin1String("desk")) {
        const QString desk = frame.value(QLatin1String("desk")).toString();
        const auto dot = desk.indexOf('.');
        return control::parseDeskWrite(venue, desk.left(dot), desk.mid(dot + 1), set);
    }
    if (type == QLatin1String("channel"))
        return control::parseChannelWrite(venue, frame.value(QLatin1String("channel")).toString(),
                                          set);
    if (type == QLatin1String("input"))
        return control::parseInputWrite(
            venue, frame.value(QLatin1String("input")).toVariant().toString(), set);
    if (type == QLatin1String("booth"))
        return control::parseBoothWrite(venue, frame.value(QLatin1String("booth")).toString(), set);
    if (type == QLatin1String("monitor"))
        return control::parseMonitorWrite(venue, set);
    return {{}, QStringLiteral("unknown type")};
}

} // namespace

TEST_CASE("Every console command travels as the WebSocket write the router parses back into it") {
    const auto venue = test::tiranaVenue();
    const int en1 = *venue.deskIndex("en.1");
    const int mk2 = *venue.deskIndex("mk.2");
    const std::vector<Command> commands{
        Command::deskMic(en1, true),
        Command::deskMic(mk2, false),
        Command::deskCough(en1, true),
        Command::deskOut(en1, core::Slot::B),
        Command::deskIn(mk2, *venue.channelIndex("sq")),
        Command::deskIn(mk2, 0),
        Command::deskVolume(en1, -6.5f),
        Command::deskBass(en1, 3.0f),
        Command::deskTreble(en1, -2.0f),
        Command::deskCall(en1, core::DeskCall::Help),
        Command::deskCall(mk2, core::DeskCall::Slow),
        Command::channelAutoFloor(*venue.channelIndex("mk"), false),
        Command::channelTrim(0, -3.0f),
        Command::boothInterlock(*venue.boothIndex("sq"), core::InterlockMode::Interlock),
        Command::boothAutoRelay(*venue.boothIndex("en"), true),
        Command::inputTrim(3, 2.5f),
        Command::monitorSource(core::MonitorSource::Channel, *venue.channelIndex("bsm")),
        Command::monitorSource(core::MonitorSource::DeskFeed, mk2),
        Command::monitorSource(core::MonitorSource::DeskMic, en1),
        Command::monitorSource(core::MonitorSource::FloorMic, 1),
    };
    for (const auto& command : commands) {
        const QJsonObject frame = remote::commandFrame(venue, command, 42);
        const std::string text = QJsonDocument(frame).toJson(QJsonDocument::Compact).toStdString();
        INFO(core::toString(command.kind) << ": " << text);
        REQUIRE(frame.value(QLatin1String("id")).toInt() == 42);
        const auto write = parsed(venue, frame);
        REQUIRE(write.ok());
        REQUIRE(write.commands.size() == 1);
        const Command& back = write.commands.front().command;
        CHECK(back.kind == command.kind);
        CHECK(back.target == command.target);
        CHECK(back.index == command.index);
        CHECK(back.flag == command.flag);
        CHECK(back.slot == command.slot);
        CHECK(back.mode == command.mode);
        CHECK(back.monitor == command.monitor);
        CHECK(back.call == command.call);
        CHECK(back.amount == command.amount);
    }
    // A target the venue does not have is never sent.
    CHECK(remote::commandFrame(venue, Command::deskMic(venue.deskCount(), true), 1).isEmpty());
    CHECK(remote::commandFrame(venue, Command::channelTrim(99, 0.0f), 1).isEmpty());
}

TEST_CASE("A state written by the router reads back as the routing the engine had") {
    const auto venue = test::tiranaVenue();
    Running harness(venue);
    const auto desk = [&](const char* id) { return *venue.deskIndex(id); };
    harness.command(Command::deskMic(desk("en.1"), true));
    harness.command(Command::deskIn(desk("sq.1"), *venue.channelIndex("en")));
    harness.command(Command::deskMic(desk("sq.1"), true));
    harness.command(Command::deskOut(desk("mk.2"), core::Slot::B));
    harness.command(Command::deskMic(desk("mk.2"), true));
    harness.command(Command::deskCough(desk("mk.2"), true));
    harness.command(Command::deskVolume(desk("bsm.1"), -12.0f));
    harness.command(Command::deskCall(desk("bsm.1"), core::DeskCall::Help));
    harness.command(Command::channelAutoFloor(*venue.channelIndex("bsm"), false));
    harness.command(Command::channelTrim(*venue.channelIndex("sq"), -2.0f));
    harness.command(
        Command::boothInterlock(*venue.boothIndex("mk"), core::InterlockMode::Interlock));
    harness.command(Command::boothAutoRelay(*venue.boothIndex("en"), true));
    harness.command(Command::inputTrim(2, 1.5f));
    harness.command(Command::monitorSource(core::MonitorSource::DeskMic, desk("sq.1")));
    harness.run(40);
    const core::RoutingState& routing = harness.engine.routing();

    device::DeviceStatus device;
    device.clock = device::Clock::Device;
    device.state = device::State::Running;
    device.hostApi = "JACK Audio Connection Kit";
    device.xruns = 3;
    const QJsonObject state =
        control::stateJson(venue, routing, harness.engine.meters(), harness.engine.stats(), device);
    const remote::RouterState read = remote::readState(venue, state);
    CHECK(read.problems == 0);
    const auto& back = read.routing;
    CHECK(back.version == routing.version);
    REQUIRE(back.desks.size() == routing.desks.size());
    for (std::size_t d = 0; d < routing.desks.size(); ++d) {
        INFO("desk " << venue.deskId(static_cast<int>(d)));
        const auto& a = routing.desks[d];
        const auto& b = back.desks[d];
        CHECK(b.mic == a.mic);
        CHECK(b.cough == a.cough);
        CHECK(b.out == a.out);
        CHECK(b.outChannel == a.outChannel);
        CHECK(b.in == a.in);
        CHECK(b.hearing == a.hearing);
        CHECK(b.volumeDb == a.volumeDb);
        CHECK(b.bassDb == a.bassDb);
        CHECK(b.trebleDb == a.trebleDb);
        CHECK(b.slowCalls == a.slowCalls);
        CHECK(b.helpCalls == a.helpCalls);
    }
    REQUIRE(back.channels.size() == routing.channels.size());
    for (std::size_t c = 0; c < routing.channels.size(); ++c) {
        INFO("channel " << venue.channels[c].code);
        CHECK(back.channels[c].sourceDesk == routing.channels[c].sourceDesk);
        CHECK(back.channels[c].tag == routing.channels[c].tag);
        CHECK(back.channels[c].autoFloor == routing.channels[c].autoFloor);
        CHECK(back.channels[c].trimDb == routing.channels[c].trimDb);
    }
    REQUIRE(back.booths.size() == routing.booths.size());
    for (std::size_t b = 0; b < routing.booths.size(); ++b) {
        CHECK(back.booths[b].interlock == routing.booths[b].interlock);
        CHECK(back.booths[b].autoRelay == routing.booths[b].autoRelay);
        CHECK(back.booths[b].liveDesk == routing.booths[b].liveDesk);
    }
    CHECK(back.inputTrimDb == routing.inputTrimDb);
    CHECK(back.monitor == routing.monitor);
    CHECK(back.monitorIndex == routing.monitorIndex);
    CHECK(back.pivotChannel == routing.pivotChannel);
    CHECK(read.device.clock == device::Clock::Device);
    CHECK(read.device.state == device::State::Running);
    CHECK(read.device.hostApi == device.hostApi);
    CHECK(read.device.xruns == 3);

    // The meters, from a meter frame: what the router's bank reads, to a hundredth of a dB.
    core::MeterBank mirror(static_cast<int>(venue.floorMics.size()), venue.deskCount(),
                           static_cast<int>(venue.channels.size()));
    CHECK(remote::readMeters(venue, control::metersJson(venue, harness.engine.meters()), mirror) ==
          0);
    for (int c = 0; c < static_cast<int>(venue.channels.size()); ++c) {
        const auto a = harness.engine.meters().read(core::MeterPoint::Channel, c);
        const auto b = mirror.read(core::MeterPoint::Channel, c);
        CHECK(b.peakDb == Approx(a.peakDb).margin(0.02));
        CHECK(b.rmsDb == Approx(a.rmsDb).margin(0.02));
        CHECK(b.clips == a.clips);
    }
}

TEST_CASE("A refusal written by the router reads back as the engine's answer, holder and all") {
    const auto venue = test::tiranaVenue();
    const int en1 = *venue.deskIndex("en.1");
    const int sq1 = *venue.deskIndex("sq.1");
    const Command command = Command::deskMic(en1, true).withId(9);
    control::CommandAnswer refusal;
    refusal.kind = command.kind;
    refusal.target = en1;
    refusal.accepted = false;
    refusal.reason = core::Refusal::ChannelEngaged;
    refusal.holder = sq1;
    const auto verdict = control::writeVerdict(venue, {{QStringLiteral("mic"), refusal}});
    QJsonObject frame = verdict.body;
    frame.insert("type", "answer");
    frame.insert("id", 9);
    frame.insert("status", verdict.status);
    const auto answer = remote::readAnswer(venue, command, frame);
    CHECK(answer.outcome == control::CommandAnswer::Outcome::Answered);
    CHECK_FALSE(answer.accepted);
    CHECK(answer.reason == core::Refusal::ChannelEngaged);
    CHECK(answer.holder == sq1);
    CHECK(answer.id == 9);

    control::CommandAnswer busy = refusal;
    busy.outcome = control::CommandAnswer::Outcome::EngineBusy;
    const auto busyVerdict = control::writeVerdict(venue, {{QStringLiteral("mic"), busy}});
    QJsonObject busyFrame = busyVerdict.body;
    busyFrame.insert("status", busyVerdict.status);
    CHECK(remote::readAnswer(venue, command, busyFrame).outcome ==
          control::CommandAnswer::Outcome::EngineBusy);
}

TEST_CASE("The hello's venue is the venue without its secrets") {
    auto venue = test::tiranaVenue();
    venue.control.token = "a-secret-token-0123456789";
    venue.icecast.host = "icecast.example";
    venue.icecast.password = "hackme-please";
    venue::JanusServer janus;
    janus.name = "hall";
    janus.api = "http://10.0.0.5:8088/janus";
    janus.apiSecret = "janus-api-secret";
    janus.apiToken = "janus-stored-token";
    janus.adminKey = "janus-admin-key";
    janus.rtpAddress = "10.0.0.5";
    venue.webrtc.servers.push_back(janus);
    const QJsonObject json = control::venueJson(venue);
    const QByteArray text = QJsonDocument(json).toJson();
    CHECK_FALSE(text.contains("a-secret-token"));
    CHECK_FALSE(text.contains("hackme"));
    CHECK_FALSE(text.contains("janus-"));
    CHECK(text.contains("http://10.0.0.5:8088/janus")); // where it is stays: no secret
    auto expected = venue;
    expected.control.token.clear();
    expected.icecast = {};
    expected.webrtc.servers[0].apiSecret.clear();
    expected.webrtc.servers[0].apiToken.clear();
    expected.webrtc.servers[0].adminKey.clear();
    CHECK(venue::parse(text.toStdString(), "hello") == expected);
}

TEST_CASE("The router's address becomes its control WebSocket, TLS kept") {
    CHECK(remote::webSocketUrl("http://10.0.0.5:8470")->toString() ==
          QStringLiteral("ws://10.0.0.5:8470/api/ws"));
    CHECK(remote::webSocketUrl("https://router.venue:8470/")->toString() ==
          QStringLiteral("wss://router.venue:8470/api/ws"));
    CHECK(remote::webSocketUrl("wss://[::1]:9000")->toString() ==
          QStringLiteral("wss://[::1]:9000/api/ws"));
    QString error;
    CHECK_FALSE(remote::webSocketUrl("ftp://x:1", &error));
    CHECK(error.contains(QStringLiteral("http://")));
    CHECK_FALSE(remote::webSocketUrl("http://user:token@x:1", &error));
    CHECK(error.contains(QStringLiteral("DRAGOMAN_TOKEN")));
    CHECK_FALSE(remote::webSocketUrl("8470", &error));
}

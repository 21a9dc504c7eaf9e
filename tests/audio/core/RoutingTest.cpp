// The rules of the central unit, case by case, on the default venue (tirana.json):
// desks en.1 en.2 sq.1 sq.2 bsm.1 bsm.2 mk.1 mk.2 = 0..7; channels floor en sq bsm mk = 0..4;
// booth B channels: en -> sq; sq, bsm, mk -> en.
#include "core/Routing.h"

#include "support/EngineHarness.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace dragoman;
using core::Command;
using core::QualityTag;
using core::Refusal;
using venue::InterlockMode;
using venue::Slot;

namespace {

enum Desk { EN1, EN2, SQ1, SQ2, BSM1, BSM2, MK1, MK2 };
enum Channel { FLOOR, EN, SQ, BSM, MK };
enum Booth { B_EN, B_SQ, B_BSM, B_MK };

struct Fixture {
    venue::Venue venue = test::tirana();
    core::Topology topology{venue};
    core::Routing routing{venue, topology};

    core::CommandResult apply(const Command& c) { return routing.apply(c); }
    const core::RoutingState& state() const { return routing.state(); }
    int source(int channel) const {
        return state().channels[static_cast<std::size_t>(channel)].sourceDesk;
    }
    QualityTag tag(int channel) const {
        return state().channels[static_cast<std::size_t>(channel)].tag;
    }
    bool mic(int desk) const { return state().desks[static_cast<std::size_t>(desk)].mic; }
    int hearing(int desk) const { return state().desks[static_cast<std::size_t>(desk)].hearing; }
};

struct InterlockCase {
    std::string name;
    std::vector<Command> before;
    Command command;
    bool accepted;
    Refusal reason;
    int holder;
    int handover;
    int displaced;
    std::vector<std::pair<int, int>> sources; // channel -> live desk afterwards (-1 none)
};

} // namespace

TEST_CASE("Interlock: one live desk per booth and per channel, override or interlock") {
    const auto row = GENERATE(values<InterlockCase>({
        {"a desk goes live on a free channel",
         {},
         Command::deskMic(EN1, true),
         true,
         Refusal::None,
         -1,
         -1,
         -1,
         {{EN, EN1}, {SQ, -1}}},
        {"pressing mic on again changes nothing",
         {Command::deskMic(EN1, true)},
         Command::deskMic(EN1, true),
         true,
         Refusal::None,
         -1,
         -1,
         -1,
         {{EN, EN1}}},
        {"override inside a booth: the newcomer takes over (handover)",
         {Command::deskMic(EN1, true)},
         Command::deskMic(EN2, true),
         true,
         Refusal::None,
         -1,
         EN1,
         -1,
         {{EN, EN2}}},
        {"interlock inside a booth: the booth-mate is refused",
         {Command::boothInterlock(B_EN, InterlockMode::Interlock), Command::deskMic(EN1, true)},
         Command::deskMic(EN2, true),
         false,
         Refusal::BoothEngaged,
         EN1,
         -1,
         -1,
         {{EN, EN1}}},
        {"override between booths: another booth takes the channel, the holder goes off",
         {Command::deskMic(EN1, true), Command::deskOut(SQ1, Slot::B)},
         Command::deskMic(SQ1, true),
         true,
         Refusal::None,
         -1,
         -1,
         EN1,
         {{EN, SQ1}, {SQ, -1}}},
        {"interlock between booths: the channel is engaged and the holder named",
         {Command::boothInterlock(B_EN, InterlockMode::Interlock), Command::deskMic(EN1, true),
          Command::deskOut(SQ1, Slot::B)},
         Command::deskMic(SQ1, true),
         false,
         Refusal::ChannelEngaged,
         EN1,
         -1,
         -1,
         {{EN, EN1}}},
        {"the holding booth's mode decides, not the newcomer's",
         {Command::boothInterlock(B_SQ, InterlockMode::Interlock), Command::deskMic(EN1, true),
          Command::deskOut(SQ1, Slot::B)},
         Command::deskMic(SQ1, true),
         true,
         Refusal::None,
         -1,
         -1,
         EN1,
         {{EN, SQ1}}},
        {"a live desk moves to its B channel when it is free",
         {Command::deskMic(SQ1, true)},
         Command::deskOut(SQ1, Slot::B),
         true,
         Refusal::None,
         -1,
         -1,
         -1,
         {{EN, SQ1}, {SQ, -1}}},
        {"a live desk cannot move onto an engaged channel and stays where it was",
         {Command::boothInterlock(B_EN, InterlockMode::Interlock), Command::deskMic(EN1, true),
          Command::deskMic(SQ1, true)},
         Command::deskOut(SQ1, Slot::B),
         false,
         Refusal::ChannelEngaged,
         EN1,
         -1,
         -1,
         {{EN, EN1}, {SQ, SQ1}}},
        {"a live desk moving onto a held channel under override displaces the holder",
         {Command::deskMic(EN1, true), Command::deskMic(MK1, true)},
         Command::deskOut(MK1, Slot::B),
         true,
         Refusal::None,
         -1,
         -1,
         EN1,
         {{EN, MK1}, {MK, -1}}},
        {"a booth without a C channel refuses C",
         {},
         Command::deskOut(EN1, Slot::C),
         false,
         Refusal::NoSuchSlot,
         -1,
         -1,
         -1,
         {}},
        {"mic off frees the channel",
         {Command::deskMic(EN1, true)},
         Command::deskMic(EN1, false),
         true,
         Refusal::None,
         -1,
         -1,
         -1,
         {{EN, -1}}},
        {"an unknown desk is refused",
         {},
         Command::deskMic(99, true),
         false,
         Refusal::UnknownTarget,
         -1,
         -1,
         -1,
         {}},
        {"an unknown channel for incoming select is refused",
         {},
         Command::deskIn(EN1, 9),
         false,
         Refusal::UnknownTarget,
         -1,
         -1,
         -1,
         {}},
        {"volume above +12 dB is refused",
         {},
         Command::deskVolume(EN1, 20.0f),
         false,
         Refusal::OutOfRange,
         -1,
         -1,
         -1,
         {}},
        {"bass beyond 12 dB is refused",
         {},
         Command::deskBass(EN1, -13.0f),
         false,
         Refusal::OutOfRange,
         -1,
         -1,
         -1,
         {}},
        {"the floor channel always carries the floor",
         {},
         Command::channelAutoFloor(FLOOR, false),
         false,
         Refusal::OutOfRange,
         -1,
         -1,
         -1,
         {}},
        {"an unknown booth is refused",
         {},
         Command::boothAutoRelay(7, true),
         false,
         Refusal::UnknownTarget,
         -1,
         -1,
         -1,
         {}},
    }));
    SECTION(row.name) {
        Fixture f;
        for (const auto& c : row.before)
            REQUIRE(f.apply(c).accepted);
        const auto result = f.apply(row.command);
        CHECK(result.accepted == row.accepted);
        CHECK(result.reason == row.reason);
        CHECK(result.holder == row.holder);
        CHECK(result.handover == row.handover);
        CHECK(result.displaced == row.displaced);
        for (const auto& [channel, desk] : row.sources)
            CHECK(f.source(channel) == desk);
        // The invariants hold whatever happened: one live desk per booth and per channel.
        for (const auto& booth : f.state().booths) {
            int live = 0;
            for (int d = 0; d < f.topology.desks; ++d)
                live +=
                    f.mic(d) && &f.state().booths[static_cast<std::size_t>(
                                    f.topology.deskBooth[static_cast<std::size_t>(d)])] == &booth;
            CHECK(live <= 1);
        }
    }
}

TEST_CASE("A displaced or handed-over desk's mic goes off") {
    Fixture f;
    f.apply(Command::deskMic(EN1, true));
    f.apply(Command::deskMic(EN2, true));
    CHECK_FALSE(f.mic(EN1));
    CHECK(f.mic(EN2));
    f.apply(Command::deskOut(SQ1, Slot::B));
    f.apply(Command::deskMic(SQ1, true));
    CHECK_FALSE(f.mic(EN2));
    CHECK(f.source(EN) == SQ1);
    CHECK(f.source(SQ) == -1);
}

struct TagCase {
    std::string name;
    std::vector<Command> commands;
    std::vector<std::pair<int, QualityTag>> tags;
};

TEST_CASE("Auto-floor and quality tags follow who feeds a channel and what they hear") {
    const auto row = GENERATE(values<TagCase>({
        {"idle channels carry the floor",
         {},
         {{FLOOR, QualityTag::Floor}, {EN, QualityTag::Floor}, {MK, QualityTag::Floor}}},
        {"auto-floor off: an idle channel is silent",
         {Command::channelAutoFloor(EN, false)},
         {{EN, QualityTag::Silent}, {SQ, QualityTag::Floor}}},
        {"interpreting from the floor is +",
         {Command::deskMic(EN1, true)},
         {{EN, QualityTag::Plus}}},
        {"auto-floor off does not matter while a desk is live",
         {Command::channelAutoFloor(EN, false), Command::deskMic(EN1, true)},
         {{EN, QualityTag::Plus}}},
        {"relay from an interpreted channel is -",
         {Command::deskMic(EN1, true), Command::deskIn(SQ1, EN), Command::deskMic(SQ1, true)},
         {{EN, QualityTag::Plus}, {SQ, QualityTag::Minus}}},
        {"relay of relay stays -",
         {Command::deskMic(EN1, true), Command::deskIn(SQ1, EN), Command::deskMic(SQ1, true),
          Command::deskIn(BSM1, SQ), Command::deskMic(BSM1, true)},
         {{EN, QualityTag::Plus}, {SQ, QualityTag::Minus}, {BSM, QualityTag::Minus}}},
        {"relay from a channel that carries the floor is still +",
         {Command::deskIn(MK1, SQ), Command::deskMic(MK1, true)},
         {{MK, QualityTag::Plus}}},
        {"relay from a silent channel is -",
         {Command::channelAutoFloor(SQ, false), Command::deskIn(MK1, SQ),
          Command::deskMic(MK1, true)},
         {{MK, QualityTag::Minus}}},
        {"when the relay source goes off, the relay falls back to +",
         {Command::deskMic(EN1, true), Command::deskIn(SQ1, EN), Command::deskMic(SQ1, true),
          Command::deskMic(EN1, false)},
         {{EN, QualityTag::Floor}, {SQ, QualityTag::Plus}}},
        {"retour: the sq booth works into English on B, others relay from it",
         {Command::deskOut(SQ1, Slot::B), Command::deskMic(SQ1, true), Command::deskIn(MK1, EN),
          Command::deskMic(MK1, true)},
         {{EN, QualityTag::Plus}, {SQ, QualityTag::Floor}, {MK, QualityTag::Minus}}},
    }));
    SECTION(row.name) {
        Fixture f;
        for (const auto& c : row.commands)
            REQUIRE(f.apply(c).accepted);
        for (const auto& [channel, tag] : row.tags) {
            INFO("channel " << channel);
            CHECK(core::toString(f.tag(channel)) == core::toString(tag));
        }
    }
}

TEST_CASE("Auto-relay: a live pivot booth replaces the floor for the desks that follow it") {
    Fixture f;
    REQUIRE(f.apply(Command::boothAutoRelay(B_EN, true)).accepted);
    REQUIRE(f.apply(Command::deskIn(BSM1, MK)).accepted); // bsm.1 chose its own relay

    SECTION("an idle pivot changes nothing") {
        CHECK(f.hearing(SQ1) == FLOOR);
        CHECK(f.state().pivotChannel == -1);
    }
    SECTION("a live pivot feeds every desk of the other booths that listens to the floor") {
        f.apply(Command::deskMic(EN1, true));
        CHECK(f.state().pivotChannel == EN);
        CHECK(f.hearing(SQ1) == EN);
        CHECK(f.hearing(MK2) == EN);
        CHECK(f.hearing(EN2) == FLOOR); // the pivot booth itself keeps the floor
        CHECK(f.hearing(BSM1) == MK);   // an explicit relay choice stands
        f.apply(Command::deskMic(SQ1, true));
        CHECK(f.tag(SQ) == QualityTag::Minus); // interpreted via the pivot
        f.apply(Command::deskMic(EN1, false));
        CHECK(f.hearing(SQ1) == FLOOR);
        CHECK(f.tag(SQ) == QualityTag::Plus);
    }
    SECTION("a desk never follows the pivot onto the channel it feeds itself") {
        f.apply(Command::deskMic(EN1, true));
        f.apply(Command::deskOut(SQ2, Slot::B)); // sq.2's B channel is en, the pivot's channel
        CHECK(f.hearing(SQ2) == FLOOR);
    }
    SECTION("auto-relay off restores the floor") {
        f.apply(Command::deskMic(EN1, true));
        f.apply(Command::boothAutoRelay(B_EN, false));
        CHECK(f.hearing(SQ1) == FLOOR);
    }
}

TEST_CASE("Cough, incoming select and volume are desk state, and every accepted change bumps the "
          "version") {
    Fixture f;
    const auto v0 = f.state().version;
    f.apply(Command::deskCough(EN1, true));
    CHECK(f.state().desks[EN1].cough);
    f.apply(Command::deskIn(EN1, SQ));
    CHECK(f.state().desks[EN1].in == SQ);
    CHECK(f.hearing(EN1) == SQ);
    f.apply(Command::deskVolume(EN1, -6.0f));
    CHECK(f.state().desks[EN1].volumeDb == -6.0f);
    CHECK(f.state().version == v0 + 3);
    f.apply(Command::deskVolume(EN1, 99.0f)); // refused: no version change
    CHECK(f.state().version == v0 + 3);
    f.apply(Command::deskVolume(EN1, -6.0f)); // accepted, but nothing changes
    f.apply(Command::monitorSource(core::MonitorSource::Channel, 0));
    CHECK(f.state().version == v0 + 3);
}

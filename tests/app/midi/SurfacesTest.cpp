// MIDI surfaces against a real JACK server (a jackd dummy per test, stopped by its pid): a
// virtual controller — RtMidi clients of the test's own — plays into Dragoman's virtual port or
// appears as a hot-plugged device, the engine runs on its own thread, and every action goes
// through the EngineController.
#include "app/control/ControlFixture.h"
#include "midi/DefaultMappings.h"
#include "midi/MappingFile.h"
#include "midi/MidiLearn.h"
#include "midi/MidiSurfaces.h"
#include "midi/SurfacesJson.h"
#include "support/JackServer.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <RtMidi.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>
#include <unistd.h>

using namespace dragoman;
using midi::MidiMessage;

namespace {

std::string uniqueName(const char* prefix) {
    static int counter = 0;
    return std::string(prefix) + std::to_string(::getpid()) + "x" + std::to_string(++counter);
}

midi::Mapping mappingFrom(const std::string& json, const venue::Venue& venue) {
    return midi::parseMapping(json, "test.json", venue);
}

midi::Mapping generic(const venue::Venue& venue) {
    return midi::loadMapping(std::string(DRAGOMAN_SOURCE_DIR) + "/resources/midi/generic.json",
                             venue);
}

// The engine, its controller and MIDI surfaces on a JACK server of the test's own.
struct MidiFixture {
    explicit MidiFixture(std::vector<midi::Mapping> mappings = {}, bool virtualPorts = true)
        : venue(test::tiranaVenue())
        , engine(venue)
        , controller(engine)
        , pump(engine)
        , client(uniqueName("dm"))
        , surfaces(controller,
                   mappings.empty() ? std::vector<midi::Mapping>{generic(venue)}
                                    : std::move(mappings),
                   options(client, virtualPorts)) {
        const auto problems = surfaces.start();
        for (const auto& p : problems)
            WARN(p);
        REQUIRE(problems.empty());
    }

    static midi::SurfacesOptions options(const std::string& client, bool virtualPorts) {
        midi::SurfacesOptions o;
        o.clientName = client;
        o.virtualPorts = virtualPorts;
        o.scanIntervalMs = 100; // hot-plug, faster than the default second
        return o;
    }

    const core::DeskStatus& desk(int d) {
        return controller.routing().desks[static_cast<std::size_t>(d)];
    }

    bool hasSurface(const std::string& fragment) const {
        const auto list = surfaces.surfaces();
        return std::any_of(list.begin(), list.end(), [&](const midi::SurfaceInfo& s) {
            return s.input.find(fragment) != std::string::npos;
        });
    }

    test::JackServer jack; // first: every JACK client below needs it, and goes before it
    venue::Venue venue;
    core::Engine engine;
    control::EngineController controller;
    test::EnginePump pump;
    std::string client;
    midi::MidiSurfaces surfaces;
};

// A software controller: RtMidi clients of the test. Its output either connects to a port of
// Dragoman's or is a virtual port Dragoman finds by itself (hot-plug); what comes back is kept.
class Controller {
public:
    explicit Controller(std::string name)
        : name_(std::move(name))
        , out_(std::make_unique<RtMidiOut>(RtMidi::UNIX_JACK, name_))
        , in_(RtMidi::UNIX_JACK, name_) {
        in_.setCallback(&Controller::received, this);
        in_.ignoreTypes(false, false, false);
    }
    // RtMidi's JACK output frees its ring buffer before it closes its client (see
    // MidiSurfaces::retire): its port is closed, and a cycle let go by, before it is deleted.
    ~Controller() {
        in_.closePort();
        closeOutput();
    }
    Controller(const Controller&) = delete;
    Controller& operator=(const Controller&) = delete;

    void connectTo(const std::string& dragomanIn, const std::string& dragomanOut) {
        REQUIRE(open(*out_, dragomanIn));
        REQUIRE(open(in_, dragomanOut));
    }
    // Plugs in as a device: virtual ports Dragoman sees appear.
    void plug() {
        out_->openVirtualPort("out");
        if (!in_.isPortOpen())
            in_.openVirtualPort("in");
    }
    void unplug() {
        closeOutput();
        out_ = std::make_unique<RtMidiOut>(RtMidi::UNIX_JACK, name_);
    }

    void send(const MidiMessage& m) {
        const unsigned char bytes[3] = {m.status, m.data1, m.data2};
        out_->sendMessage(bytes, static_cast<std::size_t>(m.size()));
    }
    void sendBytes(const std::vector<unsigned char>& bytes) { out_->sendMessage(&bytes); }

    std::vector<std::vector<unsigned char>> received() {
        std::lock_guard lock(mutex_);
        return received_;
    }
    bool got(const std::vector<unsigned char>& message) {
        const auto all = received();
        return std::find(all.begin(), all.end(), message) != all.end();
    }
    void forget() {
        std::lock_guard lock(mutex_);
        received_.clear();
    }

private:
    void closeOutput() {
        out_->closePort();
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // the test's period: 2.7 ms
    }
    template <typename Port> static bool open(Port& port, const std::string& name) {
        for (unsigned i = 0; i < port.getPortCount(); ++i)
            if (port.getPortName(i) == name) {
                port.openPort(i, "test");
                return port.isPortOpen();
            }
        return false;
    }
    static void received(double, std::vector<unsigned char>* message, void* self) {
        auto& c = *static_cast<Controller*>(self);
        std::lock_guard lock(c.mutex_);
        c.received_.push_back(*message);
    }

    // What the callback writes to is declared first, so it outlives the RtMidi clients.
    std::mutex mutex_;
    std::vector<std::vector<unsigned char>> received_;
    std::string name_;
    std::unique_ptr<RtMidiOut> out_;
    RtMidiIn in_;
};

// Connects `pad` to Dragoman's virtual ports and waits until a message gets through (a JACK
// connection takes effect in a later cycle): an unbound controller, counted and ignored.
void connect(MidiFixture& f, Controller& pad) {
    pad.connectTo(f.surfaces.virtualInput(), f.surfaces.virtualOutput());
    const auto received = [&] {
        std::uint64_t n = 0;
        for (const auto& s : f.surfaces.surfaces())
            n += s.isVirtual ? s.messages : 0;
        return n;
    };
    const auto before = received();
    for (int i = 0; i < 250 && received() == before; ++i) {
        pad.send(MidiMessage::controlChange(15, 127, 0));
        test::spin(20);
    }
    REQUIRE(received() > before);
}

constexpr int kSq1 = 2; // flat desk index of sq.1 in the Tirana venue
constexpr int kSq = 2;  // channel index of Albanian

} // namespace

TEST_CASE("A note on Dragoman's virtual port takes the desk live, and the LED note comes back") {
    MidiFixture f;
    REQUIRE(f.surfaces.virtualInput() == f.client + ":in");
    REQUIRE(f.surfaces.virtualOutput() == f.client + ":out");
    Controller pad(uniqueName("pad"));
    connect(f, pad);

    // Generic default: note 36 + 2 = the third desk in venue order (sq.1), toggled.
    pad.send(MidiMessage::noteOn(0, 36 + kSq1, 100));
    REQUIRE(test::waitUntil([&] { return f.desk(kSq1).mic; }));
    CHECK(f.controller.routing().channels[kSq].sourceDesk == kSq1);
    CHECK(test::waitUntil([&] { return pad.got({0x90, 36 + kSq1, 127}); }));

    pad.send(MidiMessage::noteOff(0, 36 + kSq1)); // a release does not toggle
    test::spin(50);
    CHECK(f.desk(kSq1).mic);

    pad.forget();
    pad.send(MidiMessage::noteOn(0, 36 + kSq1, 100));
    REQUIRE(test::waitUntil([&] { return !f.desk(kSq1).mic; }));
    CHECK(f.controller.routing().channels[kSq].sourceDesk == -1);
    CHECK(test::waitUntil([&] { return pad.got({0x90, 36 + kSq1, 0}); }));

    // A change made elsewhere (the console, the HTTP API) lights the LED too.
    pad.forget();
    f.controller.submit(core::Command::deskMic(kSq1, true));
    CHECK(test::waitUntil([&] { return pad.got({0x90, 36 + kSq1, 127}); }));
}

TEST_CASE("Bad MIDI on the port is dropped and counted, and good messages around it still work") {
    MidiFixture f;
    Controller pad(uniqueName("pad"));
    connect(f, pad);
    std::vector<unsigned char> flood{0xF0};
    flood.insert(flood.end(), 3000, 0x11);
    flood.push_back(0xF7);
    pad.sendBytes(flood);
    // The flood goes out in a JACK cycle of its own: under ThreadSanitizer, what the test's
    // RtMidi output queues behind it in the same cycle does not arrive.
    test::spin(30);
    pad.sendBytes({0x42, 0x42});      // stray data
    pad.sendBytes({0xF4});            // undefined
    pad.sendBytes({0x90, 36 + kSq1}); // truncated (the next status cuts it)
    pad.send(MidiMessage::noteOn(0, 36 + kSq1, 90));
    REQUIRE(test::waitUntil([&] { return f.desk(kSq1).mic; }));
    const auto list = f.surfaces.surfaces();
    const auto v =
        std::find_if(list.begin(), list.end(), [](const auto& s) { return s.isVirtual; });
    REQUIRE(v != list.end());
    CHECK(v->dropped >= 4);
    CHECK(v->commands == 1);
}

TEST_CASE("A hot-plugged fader changes the desk volume only after picking up the current value") {
    auto v = test::tiranaVenue();
    const auto box = mappingFrom(R"({"name": "fader box", "ports": ["faderbox"], "bindings": [
        {"cc": 0, "action": "volume", "desk": 1},
        {"cc": 1, "action": "volume", "desk": 2, "feedback": true},
        {"note": 36, "action": "mic", "desk": 1}]})",
                                 v);
    MidiFixture f({box, generic(v)}, false);
    Controller faders(uniqueName("faderbox"));
    faders.plug();
    REQUIRE(test::waitUntil([&] { return f.hasSurface("faderbox"); }, 3000));
    // Its output was found too, and the state lists it.
    const auto state = midi::surfacesJson(f.surfaces);
    const auto surface = state["surfaces"].toArray().first().toObject();
    CHECK(surface["input"].toString().contains("faderbox"));
    CHECK(surface["output"].toString().contains("faderbox"));
    CHECK(surface["mappings"].toArray().first().toString() == "fader box");

    // 0 dB sits at controller value 106 of the -60..+12 dB travel.
    const auto cc = [&](int number, int value) {
        faders.send(MidiMessage::controlChange(0, number, value));
    };
    const auto volume = [&](int d) { return f.desk(d).volumeDb; };
    const auto at = [](int value) { return -60.0f + 72.0f * static_cast<float>(value) / 127.0f; };

    struct Move {
        int value;
        bool follows; // the desk's volume follows this move
    };
    const Move moves[] = {
        {20, false}, // far below 0 dB: nothing happens
        {60, false}, // still below
        {110, true}, // crossed 106: picked up
        {90, true},  // and follows from now on
        {100, true},
    };
    for (const auto& move : moves) {
        INFO("fader to " << move.value);
        const float before = volume(0);
        cc(0, move.value);
        if (move.follows) {
            CHECK(test::waitUntil([&] { return volume(0) == at(move.value); }));
        } else {
            test::spin(60);
            CHECK(volume(0) == before);
        }
    }

    // Changed elsewhere (-20 dB = value 71): the fader at 100 has to come back to it first.
    f.controller.submit(core::Command::deskVolume(0, -20.0f));
    REQUIRE(test::waitUntil([&] { return volume(0) == -20.0f; }));
    cc(0, 95);
    test::spin(60);
    CHECK(volume(0) == -20.0f);
    cc(0, 65); // crossed 71
    CHECK(test::waitUntil([&] { return volume(0) == at(65); }));

    // A motorised fader (feedback) is moved to a change made elsewhere instead, and moving it
    // back does not echo.
    faders.forget();
    f.controller.submit(core::Command::deskVolume(1, -20.0f));
    CHECK(test::waitUntil([&] { return faders.got({0xB0, 1, 71}); }));
    cc(1, 71); // the motor fader reports where it was moved: an echo, nothing changes
    REQUIRE(test::waitUntil([&] { return f.surfaces.surfaces().front().echoes == 1; }));
    CHECK(volume(1) == -20.0f);
    test::spin(400); // the hand is off it
    cc(1, 80);
    CHECK(test::waitUntil([&] { return volume(1) == at(80); }));
    test::spin(100);
    CHECK_FALSE(faders.got({0xB0, 1, 80})); // never sent back what it sent
}

TEST_CASE("Unplugging a controller releases it and plugging it back restores its bindings") {
    auto v = test::tiranaVenue();
    const auto box = mappingFrom(
        R"({"name": "key box", "ports": ["keybox"], "bindings": [{"note": 40, "action": "mic", "desk": "sq.1"}]})",
        v);
    MidiFixture f({box}, false);
    Controller keys(uniqueName("keybox"));
    keys.plug();
    REQUIRE(test::waitUntil([&] { return f.hasSurface("keybox"); }, 3000));
    QSignalSpy changed(&f.surfaces, &midi::MidiSurfaces::surfacesChanged);

    keys.send(MidiMessage::noteOn(0, 40, 127));
    REQUIRE(test::waitUntil([&] { return f.desk(kSq1).mic; }));

    keys.unplug();
    REQUIRE(test::waitUntil([&] { return !f.hasSurface("keybox"); }, 3000));
    CHECK(changed.count() >= 1);

    keys.plug();
    REQUIRE(test::waitUntil([&] { return f.hasSurface("keybox"); }, 3000));
    keys.send(MidiMessage::noteOn(0, 40, 127));
    CHECK(test::waitUntil([&] { return !f.desk(kSq1).mic; }));
}

TEST_CASE("Every action reaches the engine through the controller, and its LED follows") {
    auto v = test::tiranaVenue();
    const auto all = mappingFrom(R"({"name": "all actions",
        "preselect": {"sq.1": ["floor", "en", "mk"]}, "bindings": [
        {"note": 60, "action": "cough", "desk": "sq.1"},
        {"note": 61, "action": "out", "desk": "sq.1", "slot": "B"},
        {"note": 62, "action": "in", "desk": "sq.1", "channel": "en"},
        {"note": 63, "action": "preselect", "desk": "sq.1", "key": 3},
        {"note": 64, "action": "autofloor", "channel": "mk"},
        {"note": 65, "action": "pfl", "mic": "sq.1"},
        {"note": 66, "action": "mic", "desk": "sq.1", "mode": "momentary"},
        {"note": 67, "action": "slow", "desk": "sq.1"},
        {"note": 68, "action": "help", "desk": "sq.1"},
        {"cc": 20, "action": "in", "desk": "sq.1"},
        {"cc": 21, "action": "channelTrim", "channel": "sq"},
        {"cc": 22, "action": "inputTrim", "input": 4}]})",
                                 v);
    MidiFixture f({all});
    Controller pad(uniqueName("pad"));
    connect(f, pad);
    const auto trimAt = [](int value) {
        return -24.0f + 36.0f * static_cast<float>(value) / 127.0f;
    };

    struct Step {
        const char* name;
        std::vector<MidiMessage> send;
        std::function<bool(const core::RoutingState&)> done;
        std::vector<unsigned char> led; // expected back, empty = none
    };
    const std::vector<Step> steps = {
        {"cough held",
         {MidiMessage::noteOn(0, 60, 127)},
         [](const auto& r) { return r.desks[kSq1].cough; },
         {0x90, 60, 127}},
        {"cough released",
         {MidiMessage::noteOff(0, 60)},
         [](const auto& r) { return !r.desks[kSq1].cough; },
         {0x90, 60, 0}},
        {"outgoing B",
         {MidiMessage::noteOn(0, 61, 127)},
         [](const auto& r) { return r.desks[kSq1].out == venue::Slot::B; },
         {0x90, 61, 127}},
        {"incoming en",
         {MidiMessage::noteOn(0, 62, 127)},
         [](const auto& r) { return r.desks[kSq1].in == 1; },
         {0x90, 62, 127}},
        {"pre-select key 3 (mk)",
         {MidiMessage::noteOn(0, 63, 127)},
         [](const auto& r) { return r.desks[kSq1].in == 4; },
         {0x90, 63, 127}},
        {"auto-floor of mk off",
         {MidiMessage::noteOn(0, 64, 127)},
         [](const auto& r) { return !r.channels[4].autoFloor; },
         {0x90, 64, 0}},
        {"PFL on sq.1's mic",
         {MidiMessage::noteOn(0, 65, 127)},
         [](const auto& r) {
             return r.monitor == core::MonitorSource::DeskMic && r.monitorIndex == kSq1;
         },
         {0x90, 65, 127}},
        {"momentary mic held",
         {MidiMessage::noteOn(0, 66, 127)},
         [](const auto& r) { return r.desks[kSq1].mic; },
         {0x90, 66, 127}},
        {"momentary mic released",
         {MidiMessage::noteOff(0, 66)},
         [](const auto& r) { return !r.desks[kSq1].mic; },
         {0x90, 66, 0}},
        {"slow and help keys: a call each, none on release",
         {MidiMessage::noteOn(0, 67, 127), MidiMessage::noteOff(0, 67),
          MidiMessage::noteOn(0, 68, 127)},
         [](const auto& r) { return r.desks[kSq1].slowCalls == 1 && r.desks[kSq1].helpCalls == 1; },
         {}},
        {"incoming knob to the floor",
         {MidiMessage::controlChange(0, 20, 0)},
         [](const auto& r) { return r.desks[kSq1].in == 0; },
         {0x90, 63, 0}},
        {"incoming knob to the end: the last channel",
         {MidiMessage::controlChange(0, 20, 127)},
         [](const auto& r) { return r.desks[kSq1].in == 4; },
         {}},
        {"channel trim picked up at 0 dB, then down",
         {MidiMessage::controlChange(0, 21, 85), MidiMessage::controlChange(0, 21, 40)},
         [&](const auto& r) { return r.channels[kSq].trimDb == trimAt(40); },
         {}},
        {"input trim picked up at 0 dB, then up",
         {MidiMessage::controlChange(0, 22, 84), MidiMessage::controlChange(0, 22, 127)},
         [&](const auto& r) { return r.inputTrimDb[4] == trimAt(127); },
         {}},
    };
    for (const auto& step : steps) {
        INFO(step.name);
        pad.forget();
        for (const auto& m : step.send)
            pad.send(m);
        CHECK(test::waitUntil([&] { return step.done(f.controller.routing()); }));
        if (!step.led.empty())
            CHECK(test::waitUntil([&] { return pad.got(step.led); }));
    }
}

TEST_CASE("A plugged-in nanoKONTROL2 gets its own mapping, not the generic one") {
    auto v = test::tiranaVenue();
    MidiFixture f(midi::loadMappings({}, std::string(DRAGOMAN_SOURCE_DIR) + "/resources/midi", v),
                  false);
    Controller nano(uniqueName("nanoKONTROL2-"));
    nano.plug();
    REQUIRE(test::waitUntil([&] { return f.hasSurface("nanoKONTROL2"); }, 3000));
    const auto list = f.surfaces.surfaces();
    REQUIRE(list.size() == 1);
    CHECK(list[0].mappings == std::vector<std::string>{"Korg nanoKONTROL2"});

    // Strip 3's S button (CC 34, 127 pressed, 0 released) is sq.1's mic, its LED the same CC.
    nano.send(MidiMessage::controlChange(0, 34, 127));
    nano.send(MidiMessage::controlChange(0, 34, 0));
    REQUIRE(test::waitUntil([&] { return f.desk(kSq1).mic; }));
    CHECK(test::waitUntil([&] { return nano.got({0xB0, 34, 127}); }));
    // The generic map's note for sq.1 does nothing here.
    nano.send(MidiMessage::noteOn(0, 36 + kSq1, 127));
    test::spin(60);
    CHECK(f.desk(kSq1).mic);
    // R (CC 66) steps sq.1 to its next outgoing slot, and its LED lights off A.
    nano.send(MidiMessage::controlChange(0, 66, 127));
    REQUIRE(test::waitUntil([&] { return f.desk(kSq1).out == venue::Slot::B; }));
    CHECK(test::waitUntil([&] { return nano.got({0xB0, 66, 127}); }));
}

TEST_CASE("A mic key blinks while another desk holds its channel") {
    MidiFixture f;
    Controller pad(uniqueName("pad"));
    connect(f, pad);
    // en.2 goes live: en.1 (note 36) sees its channel engaged, en.2 (note 37) is lit.
    f.controller.submit(core::Command::deskMic(1, true));
    REQUIRE(test::waitUntil([&] { return pad.got({0x90, 37, 127}); }));
    pad.forget();
    test::spin(1100); // four blink periods
    const auto got = pad.received();
    const auto count = [&](unsigned char velocity) {
        return std::count(got.begin(), got.end(), std::vector<unsigned char>{0x90, 36, velocity});
    };
    CHECK(count(127) >= 2);
    CHECK(count(0) >= 2);
    CHECK(std::count(got.begin(), got.end(), std::vector<unsigned char>{0x90, 37, 127}) == 0);
}

TEST_CASE("When the JACK server dies and comes back, the virtual ports and bindings come back") {
    MidiFixture f;
    const auto in = f.surfaces.virtualInput();
    // SIGTERM: a crash (SIGKILL) would leave the server's slot in JACK's shared registry, which
    // holds eight servers machine-wide.
    f.jack.kill();
    REQUIRE(test::waitUntil([&] { return f.surfaces.surfaces().empty(); }, 3000));
    f.jack.restart();
    REQUIRE(test::waitUntil([&] { return f.surfaces.virtualInput() == in; }, 3000));
    Controller pad(uniqueName("pad"));
    connect(f, pad);
    pad.send(MidiMessage::noteOn(0, 36 + kSq1, 100));
    CHECK(test::waitUntil([&] { return f.desk(kSq1).mic; }));
    CHECK(test::waitUntil([&] { return pad.got({0x90, 36 + kSq1, 127}); }));
}

TEST_CASE("Learn mode binds the next control moved and stores it in the learn file") {
    QTemporaryDir dir;
    const auto file = std::filesystem::path(dir.path().toStdString()) / "learnt.json";
    MidiFixture f;
    midi::MidiLearn learn(f.surfaces, file);
    QSignalSpy learnt(&learn, &midi::MidiLearn::learnt);
    Controller pad(uniqueName("pad"));
    connect(f, pad);

    midi::Action cough;
    cough.kind = midi::ActionKind::Cough;
    cough.desk = kSq1;
    cough.mode = midi::KeyMode::Momentary;
    learn.arm(cough);
    CHECK(learn.armed());
    pad.send(MidiMessage::noteOn(0, 36, 127)); // the generic map's first desk: learnt instead
    REQUIRE(test::waitUntil([&] { return learnt.count() == 1; }));
    CHECK_FALSE(learn.armed());
    CHECK_FALSE(f.desk(0).mic);

    const auto stored = midi::loadMapping(file, f.venue);
    REQUIRE(stored.bindings.size() == 1);
    CHECK(stored.bindings[0].control == midi::Control{midi::Control::Type::Note, 0, 36});
    CHECK(stored.bindings[0].action == cough);

    pad.send(MidiMessage::noteOff(0, 36)); // release of the learnt press
    pad.send(MidiMessage::noteOn(0, 36, 127));
    REQUIRE(test::waitUntil([&] { return f.desk(kSq1).cough; }));
    CHECK_FALSE(f.desk(0).mic); // the learnt binding comes before the generic one
    pad.send(MidiMessage::noteOff(0, 36));
    CHECK(test::waitUntil([&] { return !f.desk(kSq1).cough; }));

    // A level waits for a fader: a key press is not taken.
    midi::Action volume;
    volume.kind = midi::ActionKind::Volume;
    volume.desk = kSq1;
    volume.minDb = core::kVolumeMinDb;
    volume.maxDb = core::kVolumeMaxDb;
    learn.arm(volume);
    pad.send(MidiMessage::noteOn(0, 37, 127));
    test::spin(60);
    CHECK(learn.armed());
    pad.send(MidiMessage::controlChange(0, 7, 64));
    REQUIRE(test::waitUntil([&] { return learnt.count() == 2; }));
    CHECK(midi::loadMapping(file, f.venue).bindings.size() == 2);
}

TEST_CASE("MIDI input to engine command latency: median over 1,000 messages below 2 ms") {
    auto v = test::tiranaVenue();
    const auto map = mappingFrom(R"({"name": "latency", "bindings": [
        {"note": 60, "action": "cough", "desk": 1, "mode": "momentary", "feedback": false}]})",
                                 v);
    MidiFixture f({map});
    Controller pad(uniqueName("pad"));
    connect(f, pad);
    // The pad's port is read through the virtual input only (a scan that saw it before it was
    // connected lets it go at the next scan).
    test::spin(250);
    REQUIRE(f.surfaces.surfaces().size() == 1);

    constexpr int kMessages = 1000;
    std::vector<std::int64_t> sentNs(kMessages), receivedNs(kMessages), submittedNs(kMessages);
    std::atomic<int> submitted{0};
    QObject::connect(&f.surfaces, &midi::MidiSurfaces::commandSubmitted,
                     [&](const core::Command&, qint64 received) {
                         const int i = submitted.load();
                         if (i >= kMessages)
                             return;
                         submittedNs[static_cast<std::size_t>(i)] = midi::steadyNowNs();
                         receivedNs[static_cast<std::size_t>(i)] = received;
                         submitted.store(i + 1);
                     });
    std::atomic<bool> stalled{false};
    std::thread sender([&] {
        std::mt19937 random(7);
        for (int i = 0; i < kMessages; ++i) {
            // A random pause spreads the sends over the JACK cycle (2.67 ms at 128 frames).
            std::this_thread::sleep_for(std::chrono::microseconds(random() % 3000));
            sentNs[static_cast<std::size_t>(i)] = midi::steadyNowNs();
            pad.send(i % 2 == 0 ? MidiMessage::noteOn(0, 60, 127) : MidiMessage::noteOff(0, 60));
            // Seconds, not milliseconds: a loaded machine can stop the JACK graph for that long.
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
            while (submitted.load() <= i) {
                if (std::chrono::steady_clock::now() > deadline) {
                    stalled = true;
                    return;
                }
                std::this_thread::sleep_for(std::chrono::microseconds(50));
            }
        }
    });
    test::waitUntil([&] { return submitted.load() == kMessages || stalled.load(); }, 60000);
    sender.join();
    REQUIRE_FALSE(stalled.load());
    REQUIRE(submitted.load() == kMessages);

    const auto median = [](std::vector<double> x) {
        std::sort(x.begin(), x.end());
        return x[x.size() / 2];
    };
    const auto percentile = [](std::vector<double> x, double p) {
        std::sort(x.begin(), x.end());
        return x[static_cast<std::size_t>(p * static_cast<double>(x.size() - 1))];
    };
    std::vector<double> total, transport, handover;
    for (std::size_t i = 0; i < kMessages; ++i) {
        total.push_back(static_cast<double>(submittedNs[i] - sentNs[i]) * 1e-6);
        transport.push_back(static_cast<double>(receivedNs[i] - sentNs[i]) * 1e-6);
        handover.push_back(static_cast<double>(submittedNs[i] - receivedNs[i]) * 1e-6);
    }
    std::printf("MIDI send -> EngineController::submit over %d messages (JACK dummy, 48 kHz, "
                "128-frame period): median %.3f ms, p90 %.3f ms, max %.3f ms; of which JACK "
                "transport (send -> Dragoman's MIDI thread) median %.3f ms, hand-over to the "
                "control thread median %.3f ms\n",
                kMessages, median(total), percentile(total, 0.9), percentile(total, 1.0),
                median(transport), median(handover));
    std::fflush(stdout);
    CHECK(median(total) < 2.0);
}

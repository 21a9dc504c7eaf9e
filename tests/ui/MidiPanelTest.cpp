// The console's MIDI surfaces box against real MIDI: a JACK dummy server, Dragoman's MIDI
// surfaces on it, and a software controller (an RtMidi client of the test) playing into
// Dragoman's virtual input. The engine runs on its own "audio" thread.
#include "console/MidiPanel.h"

#include "ConsoleFixture.h"
#include "midi/DefaultMappings.h"
#include "midi/MappingFile.h"
#include "midi/MidiLearn.h"
#include "midi/MidiSurfaces.h"
#include "support/JackServer.h"

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <catch2/catch.hpp>
#include <chrono>
#include <rtmidi/RtMidi.h>
#include <thread>
#include <unistd.h>

using namespace dragoman;
using namespace dragoman::test;

namespace {

const std::string kClient = "dm-panel-" + std::to_string(::getpid());

// The engine, its controller, MIDI surfaces with the shipped mappings and a learn file.
struct MidiConsole {
    JackServer server;
    venue::Venue venue = tiranaVenue();
    core::Engine engine{venue};
    control::EngineController controller{engine};
    TonePump pump{engine, {}};
    QTemporaryDir folder;
    std::filesystem::path learnFile =
        std::filesystem::path(folder.path().toStdString()) / "surfaces.json";
    midi::MidiSurfaces surfaces{
        controller,
        midi::loadMappings({}, std::filesystem::path(DRAGOMAN_SOURCE_DIR) / "resources/midi",
                           venue),
        [] {
            midi::SurfacesOptions options;
            options.clientName = kClient;
            options.scanIntervalMs = 100;
            return options;
        }()};
    midi::MidiLearn learn{surfaces, learnFile};

    MidiConsole() { REQUIRE(surfaces.start().empty()); }
};

// Plays notes into Dragoman's virtual MIDI input, once a note gets through.
class Pad {
public:
    explicit Pad(midi::MidiSurfaces& surfaces)
        : out_(RtMidi::UNIX_JACK, "pad-" + std::to_string(::getpid())) {
        for (unsigned i = 0; i < out_.getPortCount(); ++i)
            if (out_.getPortName(i) == surfaces.virtualInput())
                out_.openPort(i, "out");
        REQUIRE(out_.isPortOpen());
        const auto heard = [&] {
            std::uint64_t n = 0;
            for (const auto& s : surfaces.surfaces())
                n += s.messages;
            return n;
        };
        const auto before = heard();
        for (int i = 0; i < 250 && heard() == before; ++i) { // a connection takes a cycle or two
            send(0xB0 | 15, 127, 0);                         // an unbound controller
            spin(20);
        }
        REQUIRE(heard() > before);
    }
    void send(unsigned char status, unsigned char data1, unsigned char data2) {
        const unsigned char bytes[3] = {status, data1, data2};
        out_.sendMessage(bytes, 3);
    }

    // RtMidi's JACK output frees its ring buffer before it closes its client (see
    // MidiSurfaces::retire): its port is closed, and a cycle let go by, before it is deleted.
    ~Pad() {
        out_.closePort();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Pad(const Pad&) = delete;
    Pad& operator=(const Pad&) = delete;

private:
    RtMidiOut out_;
};

bool micOn(control::EngineController& controller, int desk) {
    return controller.routing().desks[static_cast<std::size_t>(desk)].mic;
}

} // namespace

TEST_CASE("The MIDI box lists the surfaces and learns a key for the action picked, at once") {
    MidiConsole c;
    console::MidiPanel panel(c.venue, c.surfaces, &c.learn);
    panel.show();
    REQUIRE(waitUntil(
        [&] { return panel.surfacesText().contains(QString::fromStdString(kClient + ":in")); }));
    Pad pad(c.surfaces);

    // Mic (toggle) of en.2, learnt from note 60.
    panel.kindBox()->setCurrentIndex(panel.kindBox()->findText(QStringLiteral("Mic (toggle)")));
    panel.targetBox()->setCurrentIndex(panel.targetBox()->findText(QStringLiteral("en.2")));
    QSignalSpy logged(&panel, &console::MidiPanel::logLine);
    QTest::mouseClick(panel.learnButton(), Qt::LeftButton);
    REQUIRE(c.learn.armed());
    CHECK(panel.statusText().contains(QStringLiteral("mic en.2")));
    pad.send(0x90, 60, 100);
    REQUIRE(waitUntil([&] { return !c.learn.armed(); }));
    CHECK_FALSE(panel.learnButton()->isChecked());
    CHECK(panel.statusText().contains(QStringLiteral("note 60")));
    CHECK(panel.statusText().contains(QStringLiteral("mic en.2")));
    REQUIRE(logged.count() == 1);
    const auto stored = midi::loadMapping(c.learnFile, c.venue);
    REQUIRE(stored.bindings.size() == 1);
    CHECK(stored.bindings[0].action == panel.selectedAction());

    const int en2 = *c.venue.deskIndex("en.2");
    CHECK_FALSE(micOn(c.controller, en2)); // learning took the press
    pad.send(0x80, 60, 0);
    pad.send(0x90, 60, 100);
    CHECK(waitUntil([&] { return micOn(c.controller, en2); }));

    // Cancelled by the button: the next key does what it did before (nothing bound: nothing).
    QTest::mouseClick(panel.learnButton(), Qt::LeftButton);
    REQUIRE(c.learn.armed());
    QTest::mouseClick(panel.learnButton(), Qt::LeftButton);
    CHECK_FALSE(c.learn.armed());
    CHECK(panel.statusText().contains(QStringLiteral("cancelled")));
}

TEST_CASE("Without a learn file the MIDI box says how to learn and offers no button") {
    MidiConsole c;
    console::MidiPanel panel(c.venue, c.surfaces, nullptr);
    CHECK_FALSE(panel.learnButton()->isEnabled());
    CHECK(panel.statusText().contains(QStringLiteral("--midi FILE")));
}

TEST_CASE("The MIDI box offers every desk for desk actions and the channels for channel ones") {
    MidiConsole c;
    console::MidiPanel panel(c.venue, c.surfaces, &c.learn);
    panel.kindBox()->setCurrentIndex(panel.kindBox()->findText(QStringLiteral("Volume (fader)")));
    CHECK(panel.targetBox()->count() == c.venue.deskCount());
    CHECK(panel.selectedAction().kind == midi::ActionKind::Volume);
    CHECK(panel.selectedAction().maxDb > panel.selectedAction().minDb);
    panel.kindBox()->setCurrentIndex(panel.kindBox()->findText(QStringLiteral("Auto-floor")));
    CHECK(panel.targetBox()->count() == static_cast<int>(c.venue.channels.size()) - 1); // no floor
    panel.kindBox()->setCurrentIndex(panel.kindBox()->findText(QStringLiteral("PFL")));
    CHECK(panel.targetBox()->count() == static_cast<int>(c.venue.channels.size()));
    CHECK(panel.selectedAction().monitor == core::MonitorSource::Channel);
}

// The console against a running engine: its keys send the EngineController's commands and
// what it shows is the engine's state and meters, read back at the meter rate.
#include "ConsoleFixture.h"
#include "console/VenueEdits.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace dragoman;
using console::DeskLook;

namespace {

constexpr int kChair = 0; // the Chair's floor mic
constexpr int kEn1Mic = 2;

// The colour a desk tile is painted in: its state bar on the left edge.
QColor tileColour(console::DeskTile* tile) {
    const QImage image = tile->grab().toImage();
    return image.pixelColor(4, image.height() / 2);
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("Clicking a desk's mic key puts it live: the channel's source changes and the booth map "
          "turns it from idle to live on A") {
    test::ConsoleFixture f({{kEn1Mic, 1000.0, -20.0}});
    const int en1 = f.desk("en.1");
    const int en = f.channel("en");
    auto* panel = f.window->openDesk(en1);
    auto* tile = f.window->view()->boothMap()->tile(en1);
    f.window->refresh();
    REQUIRE(tile->view().look == DeskLook::Idle);
    CHECK(tileColour(tile) == console::deskColour(DeskLook::Idle));
    CHECK(f.window->view()->strip(en)->sourceText() == QStringLiteral("floor (auto)"));
    CHECK(f.window->view()->strip(en)->tagText() == QStringLiteral("FLOOR"));

    QTest::mouseClick(panel->micKey(), Qt::LeftButton);
    REQUIRE(f.waitForRouting([&](const core::RoutingState& r) {
        return r.channels[static_cast<std::size_t>(en)].sourceDesk == en1;
    }));
    CHECK(f.window->view()->strip(en)->sourceText() == QStringLiteral("desk en.1"));
    CHECK(f.window->view()->strip(en)->tagText() == QStringLiteral("+"));
    CHECK(tile->view().look == DeskLook::LiveA);
    CHECK(tileColour(tile) == console::deskColour(DeskLook::LiveA));
    CHECK(panel->micOn());
    CHECK(f.window->view()->eventLog()->text().contains(QStringLiteral("en.1 mic on: A on en")));

    SECTION("on a retour channel the desk shows live on B") {
        QTest::mouseClick(panel->outKey(core::Slot::B), Qt::LeftButton);
        REQUIRE(f.waitForRouting([&](const core::RoutingState& r) {
            return r.channels[static_cast<std::size_t>(f.channel("sq"))].sourceDesk == en1;
        }));
        CHECK(tile->view().look == DeskLook::LiveRetour);
        CHECK(tileColour(tile) == console::deskColour(DeskLook::LiveRetour));
    }
    SECTION("clicking again takes it off the air") {
        QTest::mouseClick(panel->micKey(), Qt::LeftButton);
        REQUIRE(f.waitForRouting([&](const core::RoutingState& r) {
            return r.channels[static_cast<std::size_t>(en)].sourceDesk == -1;
        }));
        CHECK(tile->view().look == DeskLook::Idle);
        CHECK(f.window->view()->strip(en)->sourceText() == QStringLiteral("floor (auto)"));
    }
}

TEST_CASE("Under interlock a second booth's desk asking for the held channel is refused, and the "
          "refusal shows on its panel, on the booth map and in the event log") {
    test::ConsoleFixture f({});
    const int en1 = f.desk("en.1");
    const int sq1 = f.desk("sq.1");
    REQUIRE(f.command(core::Command::boothInterlock(0, core::InterlockMode::Interlock)).accepted);
    REQUIRE(f.command(core::Command::deskMic(en1, true)).accepted); // en.1 holds en
    auto* panel = f.window->openDesk(sq1);
    QTest::mouseClick(panel->outKey(core::Slot::B), Qt::LeftButton); // sq's B is en
    REQUIRE(f.waitForRouting([&](const core::RoutingState& r) {
        return r.desks[static_cast<std::size_t>(sq1)].out == core::Slot::B;
    }));

    QTest::mouseClick(panel->micKey(), Qt::LeftButton);
    auto* tile = f.window->view()->boothMap()->tile(sq1);
    REQUIRE(test::waitUntil([&] {
        f.window->refresh();
        return tile->view().look == DeskLook::Engaged;
    }));
    CHECK(tile->view().holder == QStringLiteral("en.1"));
    CHECK(tileColour(tile) == console::deskColour(DeskLook::Engaged));
    CHECK(panel->statusText().contains(QStringLiteral("ENGAGED")));
    CHECK(panel->statusText().contains(QStringLiteral("EN.1")));
    CHECK_FALSE(panel->micOn());
    CHECK(f.controller.routing().channels[static_cast<std::size_t>(f.channel("en"))].sourceDesk ==
          en1);
    const QString line = f.window->view()->eventLog()->lastLine();
    INFO(line.toStdString());
    CHECK(line.contains(QStringLiteral("sq.1")));
    CHECK(line.contains(QStringLiteral("channel engaged")));
    CHECK(line.contains(QStringLiteral("held by en.1")));
}

TEST_CASE("A -20 dBFS tone reads -20 dBFS on the channel strip's meter, within 0.5 dB") {
    struct Case {
        const char* name;
        int input;
        const char* channel;
        const char* liveDesk; // nullptr: the channel carries the floor
    };
    const auto c = GENERATE(Case{"the floor channel from the Chair", kChair, "floor", nullptr},
                            Case{"a channel on auto-floor", kChair, "mk", nullptr},
                            Case{"a channel fed by a live desk", kEn1Mic, "en", "en.1"});
    INFO(c.name);
    test::ConsoleFixture f({{c.input, 997.0, -20.0}});
    if (c.liveDesk)
        REQUIRE(f.command(core::Command::deskMic(f.desk(c.liveDesk), true)).accepted);
    auto* strip = f.window->view()->strip(f.channel(c.channel));
    // Past the meters' rise and the 3 s of short-term loudness.
    test::spin(3300);
    f.window->refresh();
    CHECK(strip->meter()->peakDb() == Approx(-20.0).margin(0.5));
    CHECK(strip->meter()->truePeakDb() == Approx(-20.0).margin(0.5));
    CHECK(strip->meter()->rmsDb() == Approx(-23.0).margin(0.5)); // a sine's RMS: peak - 3 dB
    const auto loudness = f.loudness.read(f.channel(c.channel));
    CHECK(loudness.momentaryLufs == Approx(-23.0).margin(0.5));
    CHECK(loudness.shortTermLufs == Approx(-23.0).margin(0.5));
    CHECK_FALSE(strip->alarms().clip);
}

TEST_CASE("A clipping channel lights the strip's clip alarm and logs it") {
    test::ConsoleFixture f({{kChair, 1000.0, 1.0}}); // over full scale
    auto* strip = f.window->view()->strip(0);
    REQUIRE(test::waitUntil([&] {
        f.window->refresh();
        return strip->alarms().clip;
    }));
    CHECK(strip->meter()->clipped());
    CHECK(f.window->view()->eventLog()->text().contains(QStringLiteral("channel floor: clip")));
}

TEST_CASE("The desk panel's keys and keyboard shortcuts send the desk's commands") {
    test::ConsoleFixture f({});
    const int sq2 = f.desk("sq.2");
    auto* panel = f.window->openDesk(sq2);
    panel->activateWindow();
    QApplication::setActiveWindow(panel);
    REQUIRE(QTest::qWaitForWindowActive(panel));
    auto desk = [&] { return f.controller.routing().desks[static_cast<std::size_t>(sq2)]; };

    QTest::keyClick(panel, Qt::Key_M);
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().mic; }));
    QTest::keyClick(panel, Qt::Key_B);
    REQUIRE(
        f.waitForRouting([&](const core::RoutingState&) { return desk().out == core::Slot::B; }));
    QTest::keyClick(panel, Qt::Key_4); // channel 4: mk
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().in == 4; }));
    QTest::keyClick(panel, Qt::Key_F1, Qt::ControlModifier); // store mk in P1
    QTest::keyClick(panel, Qt::Key_0);                       // floor
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().in == 0; }));
    QTest::keyClick(panel, Qt::Key_F1); // recall mk
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().in == 4; }));
    QTest::keyClick(panel, Qt::Key_Down);
    QTest::keyClick(panel, Qt::Key_Down);
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().volumeDb == -2.0f; }));
    QTest::keyClick(panel, Qt::Key_Up, Qt::ShiftModifier);
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().bassDb == 1.0f; }));
    QTest::keyClick(panel, Qt::Key_Down, Qt::ControlModifier);
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().trebleDb == -1.0f; }));

    QTest::keyPress(panel, Qt::Key_Space); // cough, held
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().cough; }));
    QTest::keyRelease(panel, Qt::Key_Space);
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return !desk().cough; }));

    // Slow and help are commands too: counted in the desk's state, logged for the technician.
    const auto* log = f.window->view()->eventLog();
    QTest::keyClick(panel, Qt::Key_S);
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().slowCalls == 1; }));
    CHECK(test::waitUntil([&] {
        return log->lastLine().contains(QStringLiteral("sq.2 asks the speaker to slow down"));
    }));
    QTest::keyClick(panel, Qt::Key_H);
    REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().helpCalls == 1; }));
    CHECK(test::waitUntil(
        [&] { return log->lastLine().contains(QStringLiteral("sq.2 calls the technician")); }));

    SECTION("the cough key mutes while held") {
        QTest::mousePress(panel->coughKey(), Qt::LeftButton);
        REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return desk().cough; }));
        QTest::mouseRelease(panel->coughKey(), Qt::LeftButton);
        REQUIRE(f.waitForRouting([&](const core::RoutingState&) { return !desk().cough; }));
    }
}

TEST_CASE("The technician's strips, inputs and monitor selector drive auto-floor and the monitor") {
    test::ConsoleFixture f({});
    auto* view = f.window->view();
    const int mk = f.channel("mk");
    QTest::mouseClick(view->strip(mk)->autoFloorKey(), Qt::LeftButton);
    REQUIRE(f.waitForRouting([&](const core::RoutingState& r) {
        return !r.channels[static_cast<std::size_t>(mk)].autoFloor;
    }));
    CHECK(view->strip(mk)->tagText() == QStringLiteral("—"));
    CHECK(view->strip(mk)->sourceText() == QStringLiteral("silent"));

    QTest::mouseClick(view->strip(mk)->monitorKey(), Qt::LeftButton);
    REQUIRE(f.waitForRouting([&](const core::RoutingState& r) {
        return r.monitor == core::MonitorSource::Channel && r.monitorIndex == mk;
    }));
    CHECK(view->monitor()->currentIndex() ==
          view->monitor()->indexOf(core::MonitorSource::Channel, mk));

    const int item = view->monitor()->indexOf(core::MonitorSource::DeskFeed, f.desk("bsm.2"));
    view->monitor()->setCurrentIndex(item);
    Q_EMIT view->monitor()->activated(item);
    REQUIRE(f.waitForRouting([&](const core::RoutingState& r) {
        return r.monitor == core::MonitorSource::DeskFeed && r.monitorIndex == f.desk("bsm.2");
    }));
    CHECK(view->devicePanel()->text(QStringLiteral("Host API")) ==
          QStringLiteral("JACK Audio Connection Kit"));
    CHECK(view->devicePanel()->text(QStringLiteral("Clock")) == QStringLiteral("device"));
}

TEST_CASE("The event log saves to a file") {
    test::ConsoleFixture f({});
    REQUIRE(f.command(core::Command::deskMic(f.desk("mk.1"), true)).accepted);
    f.waitForRouting([](const core::RoutingState&) { return true; });
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("events.txt"));
    QString error;
    REQUIRE(f.window->view()->eventLog()->save(path, &error));
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    CHECK(text.contains(QStringLiteral("mk.1 mic on: A on mk")));
    CHECK_FALSE(
        f.window->view()->eventLog()->save(dir.filePath(QStringLiteral("no/such/dir/x.txt"))));
}

TEST_CASE("Auto-floor defaults are saved into the venue file atomically, and a bad edit leaves the "
          "file as it was") {
    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath(QStringLiteral("venue.json")).toStdString();
    std::filesystem::copy_file(std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/tirana.json",
                               file);
    test::ConsoleFixture f({}, file);
    const int sq = f.channel("sq");
    REQUIRE(f.command(core::Command::channelAutoFloor(sq, false)).accepted);
    f.waitForRouting([](const core::RoutingState&) { return true; });
    QString error;
    REQUIRE(f.window->saveAutoFloorDefaults(&error));
    const auto saved = venue::load(file);
    CHECK_FALSE(saved.channels[static_cast<std::size_t>(sq)].autoFloor);
    CHECK(saved.channels[static_cast<std::size_t>(f.channel("en"))].autoFloor);

    const std::string before = readFile(file);
    auto bad = saved;
    bad.channels[2].code = bad.channels[1].code; // two channels with one code
    CHECK_THROWS_AS(console::saveVenue(bad, file), venue::VenueError);
    CHECK(readFile(file) == before);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(dir.path().toStdString()))
        ++files;
    CHECK(files == 1); // no temporary left behind
}

TEST_CASE("The console's window layout persists in the settings") {
    QSettings().clear();
    {
        test::ConsoleFixture f({});
        f.window->resize(1300, 820);
        f.window->close();
    }
    test::ConsoleFixture f({});
    INFO(f.window->width() << "x" << f.window->height() << ", minimum "
                           << f.window->minimumSizeHint().width() << "x"
                           << f.window->minimumSizeHint().height());
    CHECK(f.window->size() == QSize(1300, 820));
}

TEST_CASE("Device faults and recoveries reach the event log and the device panel") {
    test::ConsoleFixture f({});
    f.window->refresh();
    f.device.clock = device::Clock::Virtual;
    f.device.state = device::State::Reconnecting;
    f.device.lastError = "Device unavailable";
    f.window->refresh();
    auto* log = f.window->view()->eventLog();
    CHECK(log->lastLine().contains(QStringLiteral("device lost (Device unavailable)")));
    CHECK(f.window->view()->devicePanel()->text(QStringLiteral("Clock")) ==
          QStringLiteral("virtual"));
    CHECK(f.window->view()->devicePanel()->text(QStringLiteral("State")) ==
          QStringLiteral("reconnecting"));
    f.device = test::testDevice();
    f.device.reconnects = 1;
    f.device.xruns = 2;
    f.window->refresh();
    CHECK(
        log->text().contains(QStringLiteral("on the device: JACK Audio Connection Kit / system")));
    CHECK(log->lastLine().contains(QStringLiteral("2 xrun(s), 2 in all")));
    CHECK(f.window->view()->devicePanel()->text(QStringLiteral("Reconnects")) ==
          QStringLiteral("1"));
}

TEST_CASE("The device panel shows the WebRTC server's state as the router reports it") {
    test::ConsoleFixture f({});
    f.window->refresh();
    auto* panel = f.window->view()->devicePanel();
    CHECK(panel->text(QStringLiteral("WebRTC")) ==
          QStringLiteral("running · Janus 42 · 0 listeners"));
    f.webrtc = {QStringLiteral("restarting · restarts: 1 (last: killed or crashed)"), false};
    f.window->refresh();
    CHECK(panel->text(QStringLiteral("WebRTC")) ==
          QStringLiteral("restarting · restarts: 1 (last: killed or crashed)"));
}

TEST_CASE("A desk feed held above the sustained limit shows the limiter at work and logs it") {
    // -12 dBFS on the floor: above Tirana's sustained limit (94 dB SPL = -16 dBFS) on every
    // desk listening to the floor.
    test::ConsoleFixture f({{kChair, 1000.0, -12.0}});
    const int en2 = f.desk("en.2");
    auto* tile = f.window->view()->boothMap()->tile(en2);
    REQUIRE(test::waitUntil([&] {
        f.window->refresh();
        return tile->view().gainReductionDb > 1.0f;
    }));
    CHECK(f.window->view()->eventLog()->text().contains(
        QStringLiteral("en.2 headphones: loud for too long, the lower limit is on")));
}

TEST_CASE("A live desk whose channel stays silent raises the signal-loss alarm") {
    test::ConsoleFixture f({}); // every mic silent
    const int bsm = f.channel("bsm");
    REQUIRE(f.command(core::Command::deskMic(f.desk("bsm.2"), true)).accepted);
    auto* strip = f.window->view()->strip(bsm);
    f.window->refresh();
    CHECK_FALSE(strip->alarms().signalLost);
    REQUIRE(test::waitUntil(
        [&] {
            f.window->refresh();
            return strip->alarms().signalLost;
        },
        console::ChannelStrip::kSignalLossMs + 2000));
    CHECK(
        f.window->view()->eventLog()->text().contains(QStringLiteral("channel bsm: signal lost")));
    // A floor channel with no live desk never raises it.
    CHECK_FALSE(f.window->view()->strip(f.channel("mk"))->alarms().signalLost);
}

TEST_CASE("A desk with a booth tablet connected is marked on the booth map, and the log says when "
          "it comes and goes") {
    test::ConsoleFixture f({});
    const int en1 = f.desk("en.1");
    const int mk1 = f.desk("mk.1");
    auto* tile = f.window->view()->boothMap()->tile(en1);
    f.window->refresh();
    REQUIRE(tile->view().panels == 0);
    const QImage without = tile->grab().toImage();

    f.panels.assign(static_cast<std::size_t>(f.venue.deskCount()), 0);
    f.panels[static_cast<std::size_t>(en1)] = 1;
    f.panels[static_cast<std::size_t>(mk1)] = 2;
    f.window->refresh();
    CHECK(tile->view().panels == 1);
    CHECK(tile->toolTip().contains(QStringLiteral("booth tablet connected")));
    CHECK(tile->grab().toImage() != without); // the tablet mark is drawn
    const auto* log = f.window->view()->eventLog();
    CHECK(log->text().contains(QStringLiteral("en.1 booth tablet connected")));
    CHECK(log->text().contains(QStringLiteral("mk.1 booth tablet connected (2 now)")));

    f.panels[static_cast<std::size_t>(mk1)] = 1;
    f.panels[static_cast<std::size_t>(en1)] = 0;
    f.window->refresh();
    CHECK(tile->view().panels == 0);
    CHECK_FALSE(tile->toolTip().contains(QStringLiteral("booth tablet")));
    CHECK(log->text().contains(QStringLiteral("en.1 booth tablet gone")));
    CHECK(log->text().contains(QStringLiteral("mk.1 booth tablet gone (1 still connected)")));
    CHECK(tile->grab().toImage() == without);
}

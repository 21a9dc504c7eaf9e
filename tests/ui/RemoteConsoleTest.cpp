// The console on another computer (`dragoman --router URL`, app/remote): the console's own
// windows, fed by a real `dragoman --headless --demo --audio virtual` on a loopback port over
// its control WebSocket. The remote windows must show what the router's GET /api/state says,
// their meters must move, their keys must act on the router, a remote desk panel must count as
// one of its desk's panels, and a router that goes away must be shown at once and come back by
// itself. Screenshots land beside the console's own (tests/ui/screenshots/).
#include "remote/RemoteConsole.h"

#include "console/BoothMap.h"
#include "console/ChannelStrip.h"
#include "console/DeskPanel.h"
#include "console/EventLog.h"
#include "console/Labels.h"
#include "e2e/DragomanProcess.h"
#include "remote/RouterUrl.h"
#include "support/QtWait.h"

#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sys/wait.h>
#include <thread>

using namespace dragoman;
using test::Dragoman;
using test::json;
using test::kToken;
using test::waitUntil;
using namespace std::chrono_literals;

namespace {

void screenshot(QWidget* widget, const QString& name) {
    QStringList folders{QStringLiteral(DRAGOMAN_BINARY_DIR "/tests/ui/screenshots")};
    if (const QByteArray extra = qgetenv("DRAGOMAN_SCREENSHOT_DIR"); !extra.isEmpty())
        folders << QString::fromLocal8Bit(extra);
    const QImage image = widget->grab().toImage();
    for (const QString& folder : folders) {
        QDir().mkpath(folder);
        image.save(folder + QLatin1Char('/') + name + QStringLiteral(".png"));
    }
}

remote::RemoteSettings settingsFor(const Dragoman& router, const std::string& token,
                                   const QString& panel = {}) {
    remote::RemoteSettings settings;
    settings.url = *remote::webSocketUrl(QStringLiteral("http://127.0.0.1:%1").arg(router.port()));
    settings.token = QByteArray::fromStdString(token);
    settings.panel = panel;
    return settings;
}

std::string deskToken(const Dragoman& router, const std::string& desk) {
    const auto reply = test::http("GET", router.api("/desk-tokens/" + desk), "", kToken);
    REQUIRE(reply.status == 200);
    return json::parse(reply.body)["token"].get<std::string>();
}

// Polls the router's state until `ready` holds, the event loop turning meanwhile (the remote
// console's socket is served by it); false after `ms`.
template <typename Ready> bool routerShows(const Dragoman& router, Ready&& ready, int ms = 3000) {
    return waitUntil(
        [&] {
            const json state = router.state();
            return !state.is_null() && ready(state);
        },
        ms);
}

bool isLive(console::DeskLook look) {
    return look == console::DeskLook::LiveA || look == console::DeskLook::LiveRetour;
}

// The router's state and the remote console's widgets at one routing version (the demo keeps
// changing it): every desk's tile, live or not, as the router says; every channel's source.
void checkSameState(Dragoman& router, remote::RemoteConsole& remote) {
    auto& controller = remote.controller();
    const auto& venue = controller.venue();
    for (int attempt = 0; attempt < 20; ++attempt) {
        const json state = router.state();
        REQUIRE_FALSE(state.is_null());
        const auto version = state["routingVersion"].get<std::uint64_t>();
        waitUntil([&] { return controller.routing().version >= version; }, 3000);
        if (controller.routing().version != version)
            continue; // it moved on meanwhile: again
        remote.window()->refresh();
        auto* map = remote.window()->view()->boothMap();
        for (int d = 0; d < venue.deskCount(); ++d) {
            const std::string id = venue.deskId(d);
            INFO("desk " << id << " at routing version " << version);
            CHECK(isLive(map->tile(d)->view().look) == state["desks"][id]["live"].get<bool>());
            CHECK(controller.routing().desks[static_cast<std::size_t>(d)].in ==
                  *venue.channelIndex(state["desks"][id]["in"].get<std::string>()));
        }
        for (std::size_t c = 0; c < venue.channels.size(); ++c) {
            const auto& code = venue.channels[c].code;
            const auto& source = state["channels"][code]["sourceDesk"];
            INFO("channel " << code);
            CHECK(controller.routing().channels[c].sourceDesk ==
                  (source.is_null() ? -1 : *venue.deskIndex(source.get<std::string>())));
        }
        return;
    }
    FAIL("the remote console never caught up with the router's routing version");
}

} // namespace

TEST_CASE("The console on another computer shows the router's state, its meters move, and its "
          "desk panel's keys act on the router",
          "[remote]") {
    test::TokenEnvironment token;
    Dragoman router({"--audio", "virtual", "--demo"});
    REQUIRE(router.waitFor([](const json& s) { return !s.is_null(); }, 8s) < 8s);
    INFO(router.output());

    remote::RemoteConsole technician(settingsFor(router, kToken));
    technician.start();
    REQUIRE(waitUntil([&] { return technician.window() != nullptr; }, 8000));
    auto* window = technician.window();
    CHECK(window->isVisible());
    CHECK_FALSE(technician.showsDown());
    CHECK(technician.controller().venue().name == router.state()["venue"].get<std::string>());

    // The same desks live, the same sources.
    checkSameState(router, technician);

    // The meters move: the floor's strip shows other figures a few frames later.
    auto* floor = window->view()->strip(0);
    window->refresh();
    const QString before = floor->figuresText();
    const float peakBefore = floor->meter()->peakDb();
    test::spin(400);
    window->refresh();
    CHECK(floor->figuresText() != before);
    CHECK(floor->meter()->peakDb() != peakBefore);
    CHECK(technician.controller().counters().meterFrames > 3);
    screenshot(window, QStringLiteral("remote-console-technician"));

    // en.2 (the demo leaves it alone for its first half minute) made live through the HTTP API:
    // the remote booth map shows it live.
    const int en2 = *technician.controller().venue().deskIndex("en.2");
    REQUIRE(router.post("/desks/en/2", {{"mic", true}}).status == 200);
    CHECK(waitUntil(
        [&] {
            window->refresh();
            return isLive(window->view()->boothMap()->tile(en2)->view().look);
        },
        3000));

    // The desk panel of en.2 on another computer (the technician's token, opened on one desk):
    // its MIC key turns the router's en.2 off and on again, and the router counts the panel.
    remote::RemoteConsole desk(settingsFor(router, kToken, QStringLiteral("en.2")));
    desk.start();
    REQUIRE(waitUntil([&] { return desk.deskPanel() != nullptr; }, 8000));
    auto* panel = desk.deskPanel();
    CHECK(panel->isVisible());
    CHECK_FALSE(desk.window()->isVisible()); // the desk's panel only
    CHECK(waitUntil([&] { return panel->micOn(); }, 3000));
    panel->micKey()->click();
    CHECK(
        routerShows(router, [](const json& s) { return !s["desks"]["en.2"]["mic"].get<bool>(); }));
    CHECK(waitUntil([&] { return !panel->micOn(); }, 3000));
    panel->micKey()->click();
    CHECK(routerShows(router, [](const json& s) { return s["desks"]["en.2"]["mic"].get<bool>(); }));
    CHECK(waitUntil([&] { return panel->micOn(); }, 3000));
    CHECK(router.state()["desks"]["en.2"]["panels"] == 1);
    screenshot(panel, QStringLiteral("remote-console-desk"));

    // A desk's own token opens that desk's panel without --desk, and counts too; the
    // technician's remote console shows and logs the panels as they come and go.
    const std::string en2Token = deskToken(router, "en.2");
    {
        remote::RemoteConsole tablet(settingsFor(router, en2Token));
        tablet.start();
        REQUIRE(waitUntil([&] { return tablet.deskPanel() != nullptr; }, 8000));
        CHECK(tablet.deskPanel()->desk() == en2);
        CHECK(router.state()["desks"]["en.2"]["panels"] == 2);
        CHECK(waitUntil(
            [&] {
                window->refresh();
                return window->view()->boothMap()->tile(en2)->view().panels == 2;
            },
            3000));
    }
    CHECK(routerShows(router, [](const json& s) { return s["desks"]["en.2"]["panels"] == 1; }));
    auto* log = window->view()->eventLog();
    CHECK(waitUntil([&] { return log->text().contains(QStringLiteral("en.2 booth tablet gone")); },
                    3000));
    INFO(log->text().toStdString());
    CHECK(log->text().contains(QStringLiteral("en.2 booth tablet connected")));

    // A desk token may not open another desk's panel: refused, and no window.
    remote::RemoteConsole wrong(settingsFor(router, en2Token, QStringLiteral("sq.1")));
    QString why;
    QObject::connect(&wrong, &remote::RemoteConsole::refused, [&](const QString& w) { why = w; });
    wrong.start();
    CHECK(waitUntil([&] { return !why.isEmpty(); }, 5000));
    CHECK(why.contains(QStringLiteral("en.2")));
    CHECK(wrong.window() == nullptr);
}

TEST_CASE("A router that goes away is shown as disconnected at once, and the console shows the "
          "router's true state again when it is back",
          "[remote]") {
    test::TokenEnvironment token;
    auto router = std::make_unique<Dragoman>(std::vector<std::string>{"--audio", "virtual"});
    const int port = router->port();
    REQUIRE(router->waitFor([](const json& s) { return !s.is_null(); }, 8s) < 8s);
    REQUIRE(router->post("/desks/en/1", {{"mic", true}}).status == 200);

    remote::RemoteConsole console(settingsFor(*router, kToken, QStringLiteral("en.1")));
    console.start();
    REQUIRE(waitUntil([&] { return console.deskPanel() != nullptr; }, 8000));
    auto* panel = console.deskPanel();
    auto* window = console.window();
    CHECK(waitUntil([&] { return panel->micOn(); }, 3000));
    CHECK(panel->isEnabled());

    // The router stops: the panel says so at once, greyed under the banner.
    router->process().stop();
    QElapsedTimer down;
    down.start();
    REQUIRE(waitUntil([&] { return console.showsDown(); }, 3000));
    const qint64 shownAfterMs = down.elapsed();
    INFO("shown disconnected after " << shownAfterMs << " ms");
    CHECK(shownAfterMs < 1500);
    CHECK_FALSE(panel->isEnabled());
    CHECK_FALSE(window->view()->isEnabled());
    auto* banner = panel->findChild<QLabel*>(QStringLiteral("linkBanner"));
    REQUIRE(banner);
    CHECK(banner->isVisible());
    CHECK(banner->text().contains(QStringLiteral("disconnected")));
    CHECK_FALSE(console.controller().up());
    screenshot(panel, QStringLiteral("remote-console-disconnected"));

    // A command while the router is away is answered at once, not left hanging.
    bool answered = false;
    control::CommandAnswer answer;
    console.controller().submit(core::Command::deskMic(panel->desk(), false),
                                [&](const control::CommandAnswer& a) {
                                    answered = true;
                                    answer = a;
                                });
    CHECK(waitUntil([&] { return answered; }, 1000));
    CHECK(answer.outcome == control::CommandAnswer::Outcome::Unreachable);

    // A new router on the same port (no desk live: a fresh start): the console finds it by
    // itself and shows its state, not the one it held.
    router.reset();
    std::vector<std::string> args{"--audio", "virtual"};
    Dragoman again(args, port);
    REQUIRE(waitUntil([&] { return !console.showsDown(); }, 10000));
    CHECK(panel->isEnabled());
    CHECK_FALSE(banner->isVisible());
    CHECK(waitUntil([&] { return !panel->micOn(); }, 3000));
    CHECK(again.state()["desks"]["en.1"]["mic"] == false);
    CHECK(again.state()["desks"]["en.1"]["panels"] == 1);
    // And it is live again: a key acts on the new router.
    panel->micKey()->click();
    CHECK(routerShows(again, [](const json& s) { return s["desks"]["en.1"]["mic"].get<bool>(); }));
    CHECK(console.controller().counters().drops == 1);
}

TEST_CASE("dragoman --router URL --desk ID opens that desk's panel of the router, with the token "
          "from the environment or a file, never from the command line",
          "[remote]") {
    test::TokenEnvironment token;
    Dragoman router({"--audio", "virtual"});
    REQUIRE(router.waitFor([](const json& s) { return !s.is_null(); }, 8s) < 8s);
    const std::string url = "http://127.0.0.1:" + std::to_string(router.port());
    const std::string logs =
        std::string(DRAGOMAN_BINARY_DIR) + "/tests/ui/remote-" + std::to_string(router.port());
    const auto panels = [](const char* desk, int count) {
        return [desk, count](const json& s) { return s["desks"][desk]["panels"] == count; };
    };

    // The technician's token from DRAGOMAN_TOKEN; en.2's panel counts on the router.
    {
        test::ChildProcess console({test::dragomanBinary(), "--router", url, "--desk", "en.2"},
                                   logs + "-env.log");
        CHECK(router.waitFor(panels("en.2", 1), 10s) < 10s);
        INFO(console.output());
        CHECK(console.running());
    }
    CHECK(router.waitFor(panels("en.2", 0), 5s) < 5s); // gone with the program

    // A desk's token from a file, without --desk: that desk's panel.
    const std::string en1Token = deskToken(router, "en.1");
    const std::string tokenFile = logs + "-token";
    std::ofstream(tokenFile) << en1Token << "\n";
    ::unsetenv("DRAGOMAN_TOKEN");
    {
        test::ChildProcess console(
            {test::dragomanBinary(), "--router", url, "--token-file", tokenFile},
            logs + "-file.log");
        CHECK(router.waitFor(panels("en.1", 1), 10s) < 10s);
        INFO(console.output());
        CHECK(console.running());
    }

    // No token at all: refused at once with a message, status 2, nothing opened.
    test::ChildProcess none({test::dragomanBinary(), "--router", url}, logs + "-none.log");
    for (int i = 0; i < 100 && none.running(); ++i)
        std::this_thread::sleep_for(50ms);
    const int status = none.stop();
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    CHECK_THAT(none.output(), Catch::Contains("DRAGOMAN_TOKEN"));
    std::remove(tokenFile.c_str());
}

TEST_CASE("Over TLS the console trusts the router's certificate by its fingerprint, and no other",
          "[remote]") {
    test::TokenEnvironment token;
    // The router's self-signed certificate is made and kept under a data folder of this test's.
    const std::filesystem::path data = std::filesystem::path(DRAGOMAN_BINARY_DIR) / "tests/ui" /
                                       ("remote-tls-" + std::to_string(::getpid()));
    std::filesystem::remove_all(data);
    ::setenv("XDG_DATA_HOME", data.c_str(), 1);
    struct Cleanup {
        std::filesystem::path data;
        ~Cleanup() {
            ::unsetenv("XDG_DATA_HOME");
            std::filesystem::remove_all(data);
        }
    } cleanup{data};
    // Beyond loopback the control port speaks TLS only (reached here through 127.0.0.1).
    const int port = test::freeLoopbackPort();
    Dragoman router({"--audio", "virtual", "--http", "0.0.0.0:" + std::to_string(port)});
    std::smatch match;
    const std::regex banner("TLS fingerprint: SHA-256 ([0-9A-F:]{95})");
    std::string output;
    REQUIRE(waitUntil(
        [&] {
            output = router.output();
            return std::regex_search(output, match, banner) &&
                   output.find("control API: https://") != std::string::npos;
        },
        10000));
    INFO(output);
    const QString fingerprint = QString::fromStdString(match[1].str());

    auto settings = [&](const QString& pin) {
        remote::RemoteSettings s;
        s.url = *remote::webSocketUrl(QStringLiteral("https://127.0.0.1:%1").arg(port));
        s.token = QByteArray::fromStdString(kToken);
        s.fingerprint = pin;
        return s;
    };
    remote::RemoteConsole pinned(settings(fingerprint));
    QString wrongPin = fingerprint;
    wrongPin[0] = wrongPin[0] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
    remote::RemoteConsole wrong(settings(wrongPin));
    remote::RemoteConsole unpinned(settings({}));
    pinned.start();
    wrong.start();
    unpinned.start();
    REQUIRE(waitUntil([&] { return pinned.window() != nullptr; }, 10000));
    CHECK(pinned.controller().ready());
    // The others saw the same certificate for as long and never got in: the router's
    // self-signed certificate is no authority's, and a fingerprint that is not its own is not
    // trusted either.
    test::spin(2000);
    CHECK_FALSE(wrong.controller().ready());
    CHECK(wrong.window() == nullptr);
    CHECK_FALSE(unpinned.controller().ready());
    CHECK(unpinned.window() == nullptr);
}

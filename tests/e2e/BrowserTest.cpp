// End to end in a real browser: headless Chromium opens the listeners' page that
// `dragoman --listen` serves, tunes channels as a listener's tap would, and hears in each what
// the router sends it (JACK tones: floor 440 Hz, en.1 1 kHz live on English).
#include "e2e/DragomanProcess.h"
#include "support/HeadlessChromium.h"
#include "support/JackPeer.h"
#include "support/JackServer.h"
#include "support/Signals.h"

#include <catch2/catch.hpp>

using namespace dragoman;
using namespace dragoman::test;
using namespace std::chrono_literals;

TEST_CASE("A listener's browser tunes channels on the listeners' page and hears each one") {
    JackServer server;
    TokenEnvironment token;
    const int listenPort = freeLoopbackPortPair();
    Dragoman dragoman({"--audio", "jack", "--listen", "127.0.0.1:" + std::to_string(listenPort)});
    dragoman.waitFor(onDevice, 10s);
    INFO(dragoman.output());
    REQUIRE(onDevice(dragoman.state()));
    JackPeer peer("tones", {sine(440, -20, 48000), sine(1000, -20, 48000)}, 0, 0);
    peer.connect(peer.outputPort(0), port("in_0"));
    peer.connect(peer.outputPort(1), port("in_2"));
    REQUIRE(dragoman.post("/desks/en/1", {{"mic", true}}).status == 200);

    HeadlessChromium browser("http://127.0.0.1:" + std::to_string(listenPort) + "/");
    INFO(browser.log());
    REQUIRE(browser.waitFor("window.dragoman && dragoman.status().channels === 5", 10000));
    // The page lists the channels in their own names, English live.
    CHECK(browser.evaluate("document.querySelector('[data-code=mk] .native').textContent") ==
          QStringLiteral("Македонски"));
    CHECK(browser.waitFor(
        "document.querySelector('[data-code=en] .state').classList.contains('live')", 5000));

    const std::vector<std::pair<QString, double>> rows{{"en", 1000.0}, {"floor", 440.0}};
    for (const auto& [code, hz] : rows) {
        INFO("channel " << code.toStdString());
        REQUIRE(browser.evaluate("dragoman.tune('" + code + "')").toBool());
        REQUIRE(browser.waitFor("dragoman.status().playing && dragoman.status().time > 1.5 && "
                                "dragoman.status().channel === '" +
                                    code + "'",
                                15000));
        const auto status = browser.evaluate("dragoman.status()").toObject();
        INFO(QJsonDocument(status).toJson().toStdString());
        CHECK(status.value("error").isNull());
        CHECK(std::abs(status.value("peakHz").toDouble() - hz) < 15.0); // 5.9 Hz bins
        CHECK(status.value("levelDb").toDouble() > -60.0);
    }
    CHECK(dragoman.state()["channels"]["floor"]["listeners"] == 1); // the page's one stream
}

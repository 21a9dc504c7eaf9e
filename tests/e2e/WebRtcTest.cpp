// End to end over WebRTC: `dragoman --webrtc` starts its private Janus, and headless Chromium
// opens the listeners' page, which plays each channel through Janus (RTCPeerConnection) and
// hears in it what the router sends (JACK tones: floor 440 Hz, en.1 1 kHz live on English; sq
// has no live desk, so it carries the floor). Janus offers no loopback ICE candidates, so the
// test runs inside a network namespace of its own with a veth pair (NetworkNamespace.h), and
// Janus is told to use that pair's first end. A listener's request that tries to reach any Janus
// request but watching is refused. The switch from en to sq leaves no silence over 150 ms (the
// page's gap meter on what plays), and after Janus is killed the page plays again within 3 s.
// The WebRTC listener gets 10 ms packets with in-band FEC, the channels' own 20 ms frames being
// re-encoded for Janus (webrtc/WebRtcOpus.h).
#include "e2e/DragomanProcess.h"
#include "support/HeadlessChromium.h"
#include "support/JackPeer.h"
#include "support/JackServer.h"
#include "support/NetworkNamespace.h"
#include "support/Signals.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>

using namespace dragoman;
using namespace dragoman::test;
using namespace std::chrono_literals;

namespace {

bool webrtcRunning(const json& s) {
    return onDevice(s) && s.contains("webrtc") && s["webrtc"]["state"] == "running";
}

} // namespace

TEST_CASE("A listener's browser tunes channels over WebRTC through the private Janus") {
    NetworkNamespace ns;
    JackServer server;
    TokenEnvironment token;
    const int listenPort = freeLoopbackPortPair();
    const std::string listeners = "http://127.0.0.1:" + std::to_string(listenPort);
    Dragoman dragoman({"--audio", "jack", "--listen", "127.0.0.1:" + std::to_string(listenPort),
                       "--webrtc", "--webrtc-interface", ns.interfaceA()});
    dragoman.waitFor(webrtcRunning, 15s);
    INFO(dragoman.output());
    const auto started = dragoman.state();
    INFO(started.dump());
    REQUIRE(webrtcRunning(started));
    const auto& webrtc = started["webrtc"];
    CHECK(webrtc["restarts"] == 0);
    CHECK(webrtc["pid"].get<long>() > 0);
    CHECK(webrtc["mountpoints"].size() == 5);
    CHECK(webrtc["api"].get<std::string>().rfind("http://127.0.0.1:", 0) == 0);

    JackPeer peer("tones", {sine(440, -20, 48000), sine(1000, -20, 48000)}, 0, 0);
    peer.connect(peer.outputPort(0), port("in_0"));
    peer.connect(peer.outputPort(1), port("in_2"));
    REQUIRE(dragoman.post("/desks/en/1", {{"mic", true}}).status == 200);

    { // A listener can only watch.
        const auto post = [&](const std::string& path, const std::string& body) {
            return http("POST", listeners + path, body).status;
        };
        // Janus requests by name, through the relay or beside it, are refused.
        CHECK(post("/webrtc/watch", R"({"channel": "en", "request": "destroy", "id": 2})") == 400);
        CHECK(post("/webrtc/watch", R"({"request": "create", "type": "rtp"})") == 400);
        CHECK(post("/webrtc/create", R"({"type": "rtp", "id": 99})") == 404);
        CHECK(post("/webrtc/destroy", R"({"id": 2})") == 404);
        CHECK(post("/janus", R"({"janus": "create", "transaction": "x"})") == 404);
        CHECK(post("/webrtc/watch", R"({"channel": "xx"})") == 404);
        CHECK(post("/webrtc/watch", "not json") == 400);
        // A session's other requests carry only what they need.
        const auto watch = http("POST", listeners + "/webrtc/watch", R"({"channel": "en"})");
        REQUIRE(watch.status == 200);
        const auto id = json::parse(watch.body)["id"].get<std::string>();
        CHECK(post("/webrtc/start",
                   json{{"id", id}, {"sdp", "v=0"}, {"body", {{"request", "destroy"}}}}.dump()) ==
              400);
        CHECK(post("/webrtc/start", json{{"id", id}, {"sdp", "destroy"}}.dump()) == 400);
        CHECK(post("/webrtc/trickle",
                   json{{"id", id}, {"candidate", {{"candidate", "c"}, {"janus", "destroy"}}}}
                       .dump()) == 400);
        CHECK(post("/webrtc/hangup", json{{"id", "not-a-session"}}.dump()) == 404);
        CHECK(post("/webrtc/hangup", json{{"id", id}}.dump()) == 200);
        const auto after = dragoman.state()["webrtc"];
        INFO(after.dump());
        CHECK(after["signalling"]["badRequests"] ==
              6);                                    // two watches, not json, two starts, trickle
        CHECK(after["signalling"]["notFound"] == 2); // channel xx, the unknown session
        CHECK(after["signalling"]["hangups"] == 1);
        CHECK(after["mountpoints"].size() == 5);
        CHECK(after["restarts"] == 0);
        // The RTP to Janus's mountpoints: sent, none dropped or refused by the socket.
        CHECK(after["rtp"]["datagramsSent"].get<double>() > 0);
        CHECK(after["rtp"]["queueDrops"] == 0);
        CHECK(after["rtp"]["sendErrors"] == 0);
    }

    { // The page plays en, then sq, over WebRTC, each with its own tone.
        // Janus ignores mDNS (.local) candidates; the browser's real ones are inside the
        // namespace.
        HeadlessChromium browser(listeners + "/",
                                 {"--disable-features=WebRtcHideLocalIpsWithMdns"});
        INFO(browser.log());
        REQUIRE(browser.waitFor("window.dragoman && dragoman.status().channels === 5", 10000));
        // The channel one hears is `code`, over WebRTC, and it carries `hz`.
        const auto hears = [&](const QString& code, double hz, int timeoutMs) {
            return browser.waitFor("(s => s.mode === 'webrtc' && s.connection === 'connected' && "
                                   "s.playing && s.audible === '" +
                                       code + "' && s.levelDb > -60 && Math.abs(s.peakHz - " +
                                       QString::number(hz) + ") < 15)(dragoman.status())",
                                   timeoutMs);
        };
        const auto status = [&] {
            return QJsonDocument(browser.evaluate("dragoman.status()").toObject())
                .toJson()
                .toStdString();
        };
        const std::vector<std::pair<QString, double>> rows{{"en", 1000.0}, {"sq", 440.0}};
        for (const auto& [code, hz] : rows) {
            INFO("channel " << code.toStdString());
            REQUIRE(browser.evaluate("dragoman.tune('" + code + "')").toBool());
            const bool heard = hears(code, hz, 15000);
            INFO(status());
            INFO(dragoman.state()["webrtc"].dump());
            REQUIRE(heard); // 5.9 Hz bins
            const auto now = browser.evaluate("dragoman.status()").toObject();
            CHECK(now.value("note").isNull());
            if (code == "sq") {
                // The switch from en: the old channel played until the new one's sound came.
                CHECK(now.value("gapMs").toDouble() <= 150.0);
                CHECK(now.value("gapMs").toDouble() >= 0.0); // a number: the gap meter runs
            }
            // Packets on the new connection: 10 ms frames with in-band FEC, although the
            // venue's channels (and their RTP listeners) have 20 ms frames.
            QJsonObject stats;
            for (int i = 0; i < 30 && !(stats.value("packetsReceived").toDouble() > 50); ++i) {
                std::this_thread::sleep_for(100ms);
                stats = browser.evaluate("dragoman.webrtcStats()").toObject();
            }
            const auto from = std::chrono::steady_clock::now();
            std::this_thread::sleep_for(2s);
            const auto later = browser.evaluate("dragoman.webrtcStats()").toObject();
            const double rate =
                (later.value("packetsReceived").toDouble() -
                 stats.value("packetsReceived").toDouble()) /
                std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
            INFO(QJsonDocument(later).toJson().toStdString());
            INFO("packets a second: " << rate);
            CHECK(stats.value("packetsReceived").toDouble() > 50);
            CHECK(rate > 85.0); // 100 a second; 20 ms frames would give 50
            CHECK(rate < 115.0);
            CHECK(later.value("codec").toString().contains("useinbandfec=1"));
            CHECK(later.value("packetsLost").toDouble() == 0);
        }
        const auto s = dragoman.state()["webrtc"]["signalling"];
        INFO(s.dump());
        CHECK(s["watches"].get<int>() >= 2);
        CHECK(s["starts"].get<int>() >= 2);
        CHECK(s["sessions"] == 1); // the first channel's session was hung up on the switch
        // The WebRTC listener is counted on its channel, for the technician and the listeners.
        const auto state = dragoman.state();
        CHECK(state["channels"]["sq"]["listeners"] == 1);
        CHECK(state["channels"]["en"]["listeners"] == 0);
        const auto list = json::parse(http("GET", listeners + "/channels.json").body);
        CHECK(list["channels"][2]["code"] == "sq");
        CHECK(list["channels"][2]["listeners"] == 1);

        // Janus killed: Dragoman starts it again and the page plays sq again by itself.
        const auto janusPid = dragoman.state()["webrtc"]["pid"].get<long>();
        REQUIRE(::kill(static_cast<pid_t>(janusPid), SIGKILL) == 0);
        const auto killed = std::chrono::steady_clock::now();
        REQUIRE(browser.waitFor("dragoman.status().connection !== 'connected' || "
                                "dragoman.status().levelDb < -60",
                                5000));
        const bool back = hears("sq", 440.0, 10000);
        const auto after = std::chrono::steady_clock::now() - killed;
        INFO(status());
        INFO(dragoman.state()["webrtc"].dump());
        REQUIRE(back);
        const auto restarted = dragoman.state()["webrtc"];
        CHECK(restarted["restarts"] == 1);
        CHECK(restarted["pid"].get<long>() != janusPid);
        CHECK(restarted["state"] == "running");
        const auto seconds = std::chrono::duration<double>(after).count();
        INFO("playing again " << seconds << " s after Janus was killed");
        CHECK(seconds < 3.0);
        CHECK(browser.evaluate("dragoman.status().mode").toString() == "webrtc");
    }
}

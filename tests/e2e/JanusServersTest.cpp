// End to end over WebRTC with two external Janus servers (the venue's webrtc.servers), as a
// large venue runs them on machines of their own: the test starts two Janus instances on the
// two ends of a veth pair in a network namespace of its own (NetworkNamespace.h), each with
// the test's configuration (HTTP API with a secret, the streaming plugin with an admin_key and
// no mountpoints), and Dragoman with a venue naming both. Dragoman makes every channel's
// mountpoint on each (nobody without its secret can destroy or edit one), and 20 WebRTC
// listeners in one headless Chromium (webrtc-crowd.js: the listeners' signalling, each track
// played by an <audio> element) are spread over both. One Janus is killed: its listeners get
// packets again from the other within 5 s. It is started again: its mountpoints are back
// without a Dragoman restart, and a new watch lands there. When Dragoman stops, it destroys
// its mountpoints on both. A second case gives both servers one multicast group (the same
// address and ports), which Dragoman sends each channel to once and both join.
#include "e2e/DragomanProcess.h"
#include "support/HeadlessChromium.h"
#include "support/JackPeer.h"
#include "support/JackServer.h"
#include "support/JanusInstance.h"
#include "support/NetworkNamespace.h"
#include "support/Signals.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>

using namespace dragoman;
using namespace dragoman::test;
using namespace std::chrono_literals;

namespace {

constexpr int kListeners = 20;
constexpr long long kFirstId = 7001;

const json* server(const json& state, const std::string& name) {
    if (!state.contains("webrtc") || !state["webrtc"].contains("servers"))
        return nullptr;
    for (const auto& s : state["webrtc"]["servers"])
        if (s["name"] == name)
            return &s;
    return nullptr;
}

bool serverRunning(const json& state, const std::string& name) {
    const auto* s = server(state, name);
    return s && (*s)["state"] == "running";
}

// The state once Dragoman is on its device with both servers running (or after 20 s).
json serversUp(Dragoman& dragoman) {
    dragoman.waitFor(
        [](const json& s) { return onDevice(s) && serverRunning(s, "a") && serverRunning(s, "b"); },
        20s);
    return dragoman.state();
}

// The state once the servers' listeners add up to `total` (or after 5 s).
json spreadOver(Dragoman& dragoman, int total) {
    json state;
    dragoman.waitFor(
        [&](const json& s) {
            state = s;
            const auto* sa = server(s, "a");
            const auto* sb = server(s, "b");
            return sa && sb &&
                   (*sa)["listeners"].get<int>() + (*sb)["listeners"].get<int>() == total;
        },
        5s);
    return state;
}

// The ids of the mountpoints a Janus lists (its own API).
std::set<long long> listed(JanusInstance& janus) {
    std::set<long long> ids;
    const auto answer = janus.streaming({{"request", "list"}});
    if (answer.contains("list"))
        for (const auto& m : answer["list"])
            ids.insert(m["id"].get<long long>());
    return ids;
}

bool hasAll(const std::set<long long>& ids, int channels) {
    for (int c = 0; c < channels; ++c)
        if (!ids.count(kFirstId + c))
            return false;
    return true;
}

// A file removed when the test ends, pass or fail.
struct RemovedAtEnd {
    std::string path;
    ~RemovedAtEnd() { std::remove(path.c_str()); }
};

// Where a server receives its channels' RTP: an address and the first channel's port.
struct RtpAt {
    std::string address;
    int firstPort;
};

// The Tirana venue naming both servers.
std::string venueFile(const JanusInstance& a, const RtpAt& rtpA, const JanusInstance& b,
                      const RtpAt& rtpB) {
    std::ifstream in(tirana());
    auto venue = json::parse(in);
    const auto entry = [](const std::string& name, const JanusInstance& j, const RtpAt& rtp) {
        return json{{"name", name},
                    {"api", j.api()},
                    {"apiSecret", j.settings().apiSecret},
                    {"adminKey", j.settings().adminKey},
                    {"rtpAddress", rtp.address},
                    {"firstRtpPort", rtp.firstPort},
                    {"firstMountpointId", kFirstId}};
    };
    venue["webrtc"] = {{"servers", {entry("a", a, rtpA), entry("b", b, rtpB)}},
                       {"sessionsPerAddress", 32}};
    const auto file = std::string(DRAGOMAN_BINARY_DIR) + "/tests/e2e/janus-servers-" +
                      std::to_string(::getpid()) + ".json";
    std::ofstream(file) << venue.dump(2);
    return file;
}

std::string readText(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

using Snapshot = std::vector<json>;

// The listeners of webrtc-crowd.js in `browser`, seen from the test.
class Crowd {
public:
    explicit Crowd(HeadlessChromium& browser)
        : browser_(browser) {}

    // Starts `count` listeners spread over the five channels.
    bool start(int count) {
        return browser_
                   .evaluate(QString::fromStdString(
                       readText(std::string(DRAGOMAN_SOURCE_DIR) + "/tests/e2e/webrtc-crowd.js")))
                   .toBool() &&
               browser_.evaluate(
                           QStringLiteral("crowd.start(%1, ['floor', 'en', 'sq', 'bsm', 'mk'])")
                               .arg(count))
                       .toInt() == count;
    }
    Snapshot snapshot() const {
        const auto value = browser_.evaluate("crowd.snapshot()");
        return json::parse(QJsonDocument(value.toArray()).toJson().toStdString()).get<Snapshot>();
    }
    // How many listeners watched again since `baseline`.
    static int movedSince(const Snapshot& baseline, const Snapshot& now) {
        int moved = 0;
        for (std::size_t i = 0; i < now.size() && i < baseline.size(); ++i)
            moved += now[i]["watches"].get<int>() > baseline[i]["watches"].get<int>() ? 1 : 0;
        return moved;
    }
    // Every listener connected and getting packets (its packet count grew over 250 ms on one
    // connection), and at least `moved` of them on a new connection since `baseline`.
    bool allPlaying(int timeoutMs, Snapshot* last, const Snapshot& baseline = {},
                    int moved = 0) const {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        Snapshot before = snapshot();
        while (std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(250ms);
            Snapshot now = snapshot();
            int playing = 0;
            for (std::size_t i = 0; i < now.size() && i < before.size(); ++i)
                playing +=
                    now[i]["connected"] == true && now[i]["watches"] == before[i]["watches"] &&
                            now[i]["packets"].get<double>() > before[i]["packets"].get<double>()
                        ? 1
                        : 0;
            *last = now;
            if (playing == static_cast<int>(now.size()) && !now.empty() &&
                movedSince(baseline, now) >= moved)
                return true;
            before = std::move(now);
        }
        return false;
    }

private:
    HeadlessChromium& browser_;
};

// A tone on the floor mic (every channel carries it) and `count` WebRTC listeners on the
// listeners' page in one headless Chromium.
struct Audience {
    Audience(const std::string& listeners, int count)
        : peer("tones", {sine(440, -20, 48000)}, 0, 0)
        // Janus ignores mDNS (.local) candidates; the browser's real ones are inside the
        // namespace.
        , browser(listeners + "/", {"--disable-features=WebRtcHideLocalIpsWithMdns"})
        , crowd(browser) {
        peer.connect(peer.outputPort(0), port("in_0"));
        INFO(browser.log());
        REQUIRE(browser.waitFor("window.dragoman && dragoman.status().channels === 5", 10000));
        REQUIRE(crowd.start(count));
    }
    // Once every page plays (the test stops here when they do not): Dragoman's state with all
    // `count` listeners counted on the two servers, and how many are on each.
    struct Spread {
        json state;
        int onA = 0;
        int onB = 0;
    };
    Spread playingSpread(Dragoman& dragoman, int count) {
        INFO(browser.log());
        Snapshot last;
        const bool playing = crowd.allPlaying(40000, &last);
        INFO(json(last).dump());
        REQUIRE(playing);
        Spread spread{spreadOver(dragoman, count)};
        INFO(spread.state["webrtc"].dump());
        spread.onA = (*server(spread.state, "a"))["listeners"].get<int>();
        spread.onB = (*server(spread.state, "b"))["listeners"].get<int>();
        CHECK(spread.onA + spread.onB == count);
        return spread;
    }
    JackPeer peer;
    HeadlessChromium browser;
    Crowd crowd;
};

// Two Janus servers on the namespace's two addresses, a venue naming them with where each
// receives its channels' RTP, and Dragoman (JACK, listeners' port, --webrtc) on that venue.
struct TwoServers {
    TwoServers(const NetworkNamespace& ns, const RtpAt& rtpA, const RtpAt& rtpB)
        : a({ns.addressA(), 8088, ns.interfaceA(), 20000, 20499})
        , b({ns.addressB(), 8089, ns.interfaceB(), 20500, 20999})
        , venueGoes{venueFile(a, rtpA, b, rtpB)}
        , listenPort(freeLoopbackPortPair())
        , listeners("http://127.0.0.1:" + std::to_string(listenPort))
        , dragoman({"--audio", "jack", "--listen", "127.0.0.1:" + std::to_string(listenPort),
                    "--webrtc", "--venue", venueGoes.path}) {}
    // The state once Dragoman is on its device with both servers running; the test stops
    // here when they are not.
    json up() {
        const auto state = serversUp(dragoman);
        INFO(dragoman.output());
        INFO(state["webrtc"].dump());
        REQUIRE(serverRunning(state, "a"));
        REQUIRE(serverRunning(state, "b"));
        return state;
    }
    JackServer jack;
    TokenEnvironment token;
    JanusInstance a;
    JanusInstance b;
    RemovedAtEnd venueGoes;
    int listenPort;
    std::string listeners;
    Dragoman dragoman;
};

} // namespace

TEST_CASE("WebRTC listeners are spread over two external Janus servers and move when one dies") {
    NetworkNamespace ns;
    TwoServers servers(ns, {ns.addressA(), 5002}, {ns.addressB(), 5102});
    auto& a = servers.a;
    auto& b = servers.b;
    auto& dragoman = servers.dragoman;
    const std::string& listeners = servers.listeners;
    const auto started = servers.up();
    INFO(dragoman.output());
    CHECK(started["webrtc"]["state"] == "running");
    CHECK(!started["webrtc"].contains("pid")); // no private Janus beside them
    const int channels = static_cast<int>(started["channels"].size());
    REQUIRE(channels == 5);

    { // Each server lists every channel's mountpoint; without its secret none can be destroyed
      // or edited (the test asks as anyone with the server's API secret could).
        for (auto* janus : {&a, &b}) {
            INFO(janus->api());
            CHECK(hasAll(listed(*janus), channels));
        }
        const auto destroy = a.streaming({{"request", "destroy"}, {"id", kFirstId}});
        INFO(destroy.dump());
        CHECK(destroy.contains("error_code"));
        const auto guessed = a.streaming(
            {{"request", "destroy"}, {"id", kFirstId + 1}, {"secret", "guessed-secret"}});
        CHECK(guessed["error_code"] == 457); // unauthorized
        const auto edit = a.streaming(
            {{"request", "edit"}, {"id", kFirstId + 2}, {"new_description", "hijacked"}});
        CHECK(edit.contains("error_code"));
        const auto disable = b.streaming({{"request", "disable"}, {"id", kFirstId + 3}});
        CHECK(disable.contains("error_code"));
        CHECK(hasAll(listed(a), channels));
        CHECK(hasAll(listed(b), channels));
        const auto info = a.streaming({{"request", "info"}, {"id", kFirstId + 2}});
        CHECK(info["info"]["description"] != "hijacked");
    }

    Audience audience(listeners, kListeners);
    auto& crowd = audience.crowd;
    INFO(audience.browser.log());

    // Spread over both by their viewers: 10 each, give or take 2.
    const auto [state, onA, onB] = audience.playingSpread(dragoman, kListeners);
    INFO(state["webrtc"].dump());
    CHECK(std::abs(onA - kListeners / 2) <= 2);
    CHECK(std::abs(onB - kListeners / 2) <= 2);
    std::printf("spread: %d listeners on a, %d on b\n", onA, onB);
    // Counted per channel for the technician and the listeners (4 on each of the 5 channels).
    for (const auto& code : {"floor", "en", "sq", "bsm", "mk"})
        CHECK(state["channels"][code]["listeners"] == kListeners / channels);
    const auto list = json::parse(http("GET", listeners + "/channels.json").body);
    for (const auto& c : list["channels"])
        CHECK(c["listeners"] == kListeners / channels);
    // Janus's own viewer counts (asked with the mountpoints' secrets) agree with the sessions.
    json viewers;
    dragoman.waitFor(
        [&viewers, wantA = onA, wantB = onB](const json& s) {
            viewers = s;
            return (*server(s, "a"))["viewers"] == wantA && (*server(s, "b"))["viewers"] == wantB;
        },
        5s);
    CHECK((*server(viewers, "a"))["viewers"] == onA);
    CHECK((*server(viewers, "b"))["viewers"] == onB);
    // Without a mountpoint's secret, Janus does not tell anyone its viewers.
    CHECK(!a.streaming({{"request", "info"}, {"id", kFirstId}})["info"].contains("viewers"));

    // Janus a killed: its listeners get packets from b within 5 s.
    const auto beforeKill = crowd.snapshot();
    Snapshot last;
    a.kill();
    const auto killed = std::chrono::steady_clock::now();
    const bool moved = crowd.allPlaying(15000, &last, beforeKill, onA);
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
    INFO(json(last).dump());
    INFO(dragoman.state()["webrtc"].dump());
    REQUIRE(moved);
    const int watchedAgain = Crowd::movedSince(beforeKill, last);
    CHECK(watchedAgain == onA); // those on a, and only those
    std::printf("%d listeners of the killed Janus playing again from the other after %.2f s\n",
                watchedAgain, seconds);
    CHECK(seconds < 5.0);
    const auto afterKill = dragoman.state();
    INFO(afterKill["webrtc"].dump());
    CHECK((*server(afterKill, "a"))["state"] == "down");
    CHECK((*server(afterKill, "b"))["listeners"] == kListeners);
    CHECK((*server(afterKill, "a"))["losses"] == 1);

    // Janus a started again: its mountpoints are back (its own list says so) with the same
    // Dragoman, and a new watch lands there (the server with the fewest viewers).
    a.start();
    const auto back = dragoman.waitFor([](const json& s) { return serverRunning(s, "a"); }, 15s);
    INFO("a running again after " << back.count() << " ms");
    REQUIRE(serverRunning(dragoman.state(), "a"));
    CHECK(hasAll(listed(a), channels));
    REQUIRE(audience.browser.evaluate("crowd.rewatch(0)").toBool());
    json rewatched;
    dragoman.waitFor(
        [&](const json& s) {
            rewatched = s;
            const auto* sa = server(s, "a");
            return sa && (*sa)["listeners"] == 1;
        },
        15s);
    INFO(rewatched["webrtc"].dump());
    CHECK((*server(rewatched, "a"))["listeners"] == 1);
    CHECK((*server(rewatched, "b"))["listeners"] == kListeners - 1);
    CHECK(crowd.allPlaying(10000, &last));

    // Dragoman stopped: it destroyed its mountpoints on both servers (with their secrets).
    const auto stopping = std::chrono::steady_clock::now();
    CHECK(WIFEXITED(dragoman.process().stop(15s))); // SIGTERM: a clean stop, not a SIGKILL
    std::printf("Dragoman stopped in %.2f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - stopping).count());
    CHECK(listed(a).empty());
    CHECK(listed(b).empty());
}

TEST_CASE("Two external Janus servers that join one multicast group both play every channel") {
    NetworkNamespace ns;
    // The group's route inside the namespace: out of the pair's first end, where Dragoman sends
    // and both servers join (the sender's own copy, IP_MULTICAST_LOOP, reaches them).
    REQUIRE(std::system(("ip route add 224.0.0.0/4 dev " + ns.interfaceA()).c_str()) == 0);
    const RtpAt group{"239.255.42.1", 5002}; // one group, the same ports on both servers
    TwoServers servers(ns, group, group);
    auto& a = servers.a;
    auto& b = servers.b;
    auto& dragoman = servers.dragoman;
    const std::string& listeners = servers.listeners;
    const auto started = servers.up();
    INFO(dragoman.output());
    const int channels = static_cast<int>(started["channels"].size());
    for (auto* janus : {&a, &b}) {
        INFO(janus->api());
        CHECK(hasAll(listed(*janus), channels));
        // Each mountpoint joined the group (Janus's own log says so) rather than binding a port
        // of the server's address.
        const auto log = janus->log();
        std::size_t joined = 0;
        for (auto at = log.find("IP_ADD_MEMBERSHIP ok"); at != std::string::npos;
             at = log.find("IP_ADD_MEMBERSHIP ok", at + 1))
            ++joined;
        CHECK(joined == static_cast<std::size_t>(channels));
    }

    constexpr int kCrowd = 10;
    Audience audience(listeners, kCrowd);
    INFO(audience.browser.log());
    // Listeners on both servers, all playing: each server got every channel from the group.
    const auto [state, onA, onB] = audience.playingSpread(dragoman, kCrowd);
    INFO(state["webrtc"].dump());
    CHECK(onA >= 3);
    CHECK(onB >= 3);
    std::printf("one multicast group: %d listeners on a, %d on b, all playing\n", onA, onB);
}

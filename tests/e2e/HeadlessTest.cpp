// End to end: the real `dragoman --headless` binary, a real JACK server (dummy driver), real
// JACK peers playing and recording, and the HTTP API driven by curl, all on this machine.
// Tirana venue: inputs 0 Chair, 2 en.1 mic; outputs 1 en line-out, 5 en.1 headphones.
#include "e2e/DragomanProcess.h"
#include "support/ChildProcess.h"
#include "support/Http.h"
#include "support/JackPeer.h"
#include "support/JackServer.h"
#include "support/RawClient.h"
#include "support/Signals.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <thread>

using namespace dragoman;
using namespace dragoman::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Connects a fresh peer: floor tone 440 Hz -> Chair, 1 kHz -> en.1's mic; records the en
// line-out and en.1's headphones for `seconds`.
struct Listen {
    double floor440, floor1k, phones440, phones1k; // en line-out and en.1 headphones, dBFS
};

Listen listen(test::JackPeer& peer) {
    peer.record();
    REQUIRE(peer.waitRecorded(3s));
    const auto en = peer.recording(0);
    const auto phones = peer.recording(1);
    const auto level = [](const std::vector<float>& x, double hz) {
        return test::toDb(test::toneAmplitude(x, hz, x.size() / 4, x.size()));
    };
    return {level(en, 440), level(en, 1000), level(phones, 440), level(phones, 1000)};
}

std::unique_ptr<test::JackPeer> connectPeer() {
    auto peer = std::make_unique<test::JackPeer>(
        "peer",
        std::vector<std::vector<float>>{test::sine(440, -20, 48000), test::sine(1000, -20, 48000)},
        2, 24000);
    peer->connect(peer->outputPort(0), port("in_0"));
    peer->connect(peer->outputPort(1), port("in_2"));
    peer->connect(port("out_1"), peer->inputPort(0));
    peer->connect(port("out_5"), peer->inputPort(1));
    return peer;
}

double rmsDbOf(const std::string& pcm, std::size_t* count = nullptr) {
    std::vector<float> samples(pcm.size() / sizeof(float));
    std::memcpy(samples.data(), pcm.data(), samples.size() * sizeof(float));
    if (count)
        *count = samples.size();
    double energy = 0.0;
    for (float s : samples)
        energy += static_cast<double>(s) * s;
    return samples.empty() ? -200.0 : 10.0 * std::log10(energy / samples.size() + 1e-20);
}

} // namespace

TEST_CASE("On JACK, dragoman routes the floor and a live desk as the HTTP API says") {
    test::JackServer server;
    TokenEnvironment token;
    Dragoman dragoman({"--audio", "jack"});
    dragoman.waitFor(onDevice, 10s);
    const auto s = dragoman.state();
    INFO(dragoman.output());
    REQUIRE(onDevice(s));
    CHECK(s["device"]["blockSize"] == 128);
    CHECK(s["device"]["sampleRate"] == 48000.0);

    auto peer = connectPeer();
    std::this_thread::sleep_for(200ms);
    auto heard = listen(*peer);
    CHECK(heard.floor440 > -20.5); // auto-floor: the en channel carries the floor
    CHECK(heard.floor1k < -60.0);

    auto reply = dragoman.post("/desks/en/1", {{"mic", true}});
    CHECK(reply.status == 200);
    std::this_thread::sleep_for(100ms);
    heard = listen(*peer);
    CHECK(heard.floor1k > -20.5); // the interpreter is on air
    CHECK(heard.floor440 < -60.0);
    CHECK(heard.phones440 > -20.5); // and hears the floor
    CHECK(heard.phones1k < -60.0);
    const auto state = dragoman.state();
    CHECK(state["channels"]["en"]["sourceDesk"] == "en.1");
    CHECK(state["channels"]["en"]["tag"] == "+");

    // Interlock: another booth cannot take English while en.1 holds it.
    CHECK(dragoman.post("/booths/en", {{"interlock", "interlock"}}).status == 200);
    reply = dragoman.post("/desks/sq/1", {{"out", "B"}, {"mic", true}});
    CHECK(reply.status == 409);
    CHECK(json::parse(reply.body)["results"].back()["holder"] == "en.1");

    // Writes need the token.
    CHECK(dragoman.post("/desks/en/1", {{"mic", false}}, "").status == 401);
    CHECK(dragoman.post("/desks/en/1", {{"mic", false}}, "wrong-token-wrong-token").status == 401);

    CHECK(dragoman.post("/desks/en/1", {{"mic", false}}).status == 200);
    std::this_thread::sleep_for(100ms);
    heard = listen(*peer);
    CHECK(heard.floor440 > -20.5); // mic off: the floor is back
    CHECK(heard.floor1k < -60.0);
}

TEST_CASE(
    "When the JACK server dies, dragoman keeps its state and resumes within 5 s of its return") {
    test::JackServer server;
    TokenEnvironment token;
    Dragoman dragoman({"--audio", "jack"});
    dragoman.waitFor(onDevice, 10s);
    INFO(dragoman.output());
    REQUIRE(onDevice(dragoman.state()));
    REQUIRE(dragoman.post("/desks/en/1", {{"mic", true}, {"volume", -3}}).status == 200);

    server.kill();
    dragoman.waitFor([](const json& s) { return s["device"]["clock"] == "virtual"; }, 5s);
    auto s = dragoman.state();
    CHECK(s["device"]["clock"] == "virtual");
    CHECK(s["device"]["state"] == "reconnecting");
    CHECK_FALSE(s["device"]["lastError"].get<std::string>().empty());
    CHECK(s["channels"]["en"]["sourceDesk"] == "en.1"); // nothing lost
    CHECK(s["desks"]["en.1"]["volume"] == -3.0);
    // The API still works while the device is away.
    CHECK(dragoman.post("/desks/en/1", {{"volume", -6}}).status == 200);

    server.restart();
    const auto resumed = dragoman.waitFor(onDevice, 10s);
    s = dragoman.state();
    REQUIRE(onDevice(s));
    CHECK(resumed < 5s);
    CHECK(s["device"]["reconnects"] == 1);
    CHECK(s["channels"]["en"]["sourceDesk"] == "en.1");
    CHECK(s["desks"]["en.1"]["volume"] == -6.0);
    CHECK(dragoman.process().running());

    auto peer = connectPeer();
    std::this_thread::sleep_for(200ms);
    const auto heard = listen(*peer);
    CHECK(heard.floor1k > -20.5); // en.1 is still on air through the new JACK server
}

TEST_CASE("Without a sound card, --demo runs on the virtual clock with moving meters and desks") {
    Dragoman dragoman({"--audio", "virtual", "--demo"});
    dragoman.waitFor([](const json& s) { return s["desks"]["mk.1"]["mic"] == true; }, 8s);
    const auto first = dragoman.state();
    INFO(dragoman.output());
    REQUIRE_FALSE(first.is_null());
    CHECK(first["device"]["clock"] == "virtual");
    CHECK(first["desks"]["mk.1"]["mic"] == true); // the scripted session has begun
    std::this_thread::sleep_for(1500ms);
    const auto second = dragoman.state();
    CHECK(second["device"]["callbacks"].get<std::uint64_t>() >
          first["device"]["callbacks"].get<std::uint64_t>());
    CHECK(second["floorMics"][0]["meters"]["peakDb"] != first["floorMics"][0]["meters"]["peakDb"]);
    CHECK(second["floorMics"][0]["meters"]["peakDb"].get<double>() > -60.0); // speech
    // The cough at 6 s in the script.
    dragoman.waitFor([](const json& s) { return s["desks"]["sq.1"]["cough"] == true; }, 8s);
    CHECK(dragoman.state()["desks"]["sq.1"]["cough"] == true);
    CHECK(dragoman.output().find("virtual clock") != std::string::npos);
}

TEST_CASE("A listener tunes a channel with ffmpeg from the listeners' SDP and hears it") {
    const int listenPort = test::freeLoopbackPortPair(); // + 1: the streams
    Dragoman dragoman(
        {"--audio", "virtual", "--demo", "--listen", "127.0.0.1:" + std::to_string(listenPort)});
    const std::string base = "http://127.0.0.1:" + std::to_string(listenPort);
    dragoman.waitFor([](const json& s) { return s["desks"]["mk.1"]["mic"] == true; }, 8s);
    INFO(dragoman.output());

    auto list = test::http("GET", base + "/channels.json");
    REQUIRE(list.status == 200);
    const auto channels = json::parse(list.body)["channels"];
    REQUIRE(channels.size() == 5);
    CHECK(channels[0]["code"] == "floor");
    CHECK(channels[4]["nativeName"] == "Македонски");
    CHECK(channels[4]["live"] == true); // mk.1 is on air
    CHECK(channels[4]["tag"] == "+");

    // ffmpeg opens the SDP that subscribes it, and decodes two seconds of Macedonian.
    const int rtpPort = test::freeLoopbackPort() & ~1;
    const auto sdp = test::http("GET", base + "/sdp/mk.sdp?port=" + std::to_string(rtpPort));
    REQUIRE(sdp.status == 200);
    CHECK(sdp.body.find("a=rtpmap:96 opus/48000/2") != std::string::npos);
    const std::string sdpFile =
        std::string(DRAGOMAN_BINARY_DIR) + "/tests/e2e/mk-" + std::to_string(rtpPort) + ".sdp";
    {
        std::ofstream out(sdpFile);
        out << sdp.body;
    }
    const std::string pcm =
        test::capture("timeout 15 ffmpeg -v error -protocol_whitelist file,udp,rtp -i " + sdpFile +
                      " -t 2 -ac 1 -f f32le - 2>/dev/null");
    std::vector<float> samples(pcm.size() / sizeof(float));
    std::memcpy(samples.data(), pcm.data(), samples.size() * sizeof(float));
    CHECK(samples.size() >= 90000); // ~2 s at 48 kHz
    double energy = 0.0;
    for (float s : samples)
        energy += static_cast<double>(s) * s;
    const double rmsDb =
        samples.empty() ? -200.0 : 10.0 * std::log10(energy / samples.size() + 1e-20);
    CHECK(rmsDb > -45.0); // the interpreter's speech, not silence

    list = test::http("GET", base + "/channels.json");
    CHECK(json::parse(list.body)["channels"][4]["listeners"] == 1);
    CHECK(dragoman.state()["channels"]["mk"]["listeners"] == 1); // the technician sees it too
    CHECK(dragoman.state()["channels"]["sq"]["listeners"] == 0);
    // The listeners' server only answers reads.
    CHECK(test::http("POST", base + "/channels.json", "{}").status >= 400);
    std::remove(sdpFile.c_str());
}

TEST_CASE(
    "Listeners hear a channel as live Ogg Opus over HTTP and a stalled one is dropped alone") {
    const int listenPort = test::freeLoopbackPortPair(); // + 1: the streams
    const int streamPort = listenPort + 1;
    Dragoman dragoman(
        {"--audio", "virtual", "--demo", "--listen", "127.0.0.1:" + std::to_string(listenPort)});
    const std::string base = "http://127.0.0.1:" + std::to_string(listenPort);
    const std::string url = "http://127.0.0.1:" + std::to_string(streamPort) + "/stream/mk.opus";
    dragoman.waitFor([](const json& s) { return s["desks"]["mk.1"]["mic"] == true; }, 8s);
    INFO(dragoman.output());
    CHECK(dragoman.output().find("/stream/CODE.opus") != std::string::npos);

    const auto channelsNow = [&] {
        const auto list = test::http("GET", base + "/channels.json");
        return list.status == 200 ? json::parse(list.body)["channels"] : json();
    };
    const auto channels = channelsNow();
    REQUIRE(channels.size() == 5);
    CHECK(channels[4]["stream"] == url);

    // A plain player sees one Opus stream: 48 kHz, mono.
    const auto probe = json::parse(
        test::capture("timeout 15 ffprobe -v error -show_streams -of json " + url), nullptr, false);
    REQUIRE(probe.is_object());
    REQUIRE(probe["streams"].size() == 1);
    CHECK(probe["streams"][0]["codec_name"] == "opus");
    CHECK(probe["streams"][0]["sample_rate"] == "48000");
    CHECK(probe["streams"][0]["channels"] == 1);

    // Two listeners at once both decode ~2 s of the interpreter's speech.
    std::string pcm[2];
    {
        std::thread other([&] {
            pcm[1] = test::capture("timeout 15 ffmpeg -v error -t 2 -i " + url +
                                   " -f f32le - 2>/dev/null");
        });
        pcm[0] =
            test::capture("timeout 15 ffmpeg -v error -t 2 -i " + url + " -f f32le - 2>/dev/null");
        other.join();
    }
    for (const auto& decoded : pcm) {
        std::size_t samples = 0;
        const double level = rmsDbOf(decoded, &samples);
        CHECK(samples >= 90000); // ~2 s at 48 kHz
        CHECK(samples <= 100000);
        CHECK(level > -45.0); // speech, not silence
    }

    // Requests the server does not serve.
    CHECK(test::http("GET", "http://127.0.0.1:" + std::to_string(streamPort) + "/stream/xx.opus")
              .status == 404);
    CHECK(test::http("POST", url, "{}").status == 405);
    {
        RawClient bad(streamPort, "NONSENSE\r\n\r\n");
        REQUIRE(bad.connected());
        std::string reply;
        for (int i = 0; i < 20 && bad.read(reply, 100ms);)
            ++i;
        CHECK(reply.rfind("HTTP/1.0 400", 0) == 0);
    }

    // A listener that never reads (a tiny receive window) falls behind and is dropped after
    // ~2 s of audio; the other keeps receiving.
    dragoman.waitFor([&](const json&) { return channelsNow()[4]["listeners"] == 0; }, 5s);
    const std::string get = "GET /stream/mk.opus HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    RawClient stalled(streamPort, get, 1024);
    RawClient reader(streamPort, get);
    REQUIRE(stalled.connected());
    REQUIRE(reader.connected());
    std::atomic<std::size_t> received{0};
    std::atomic<bool> readerOpen{true};
    std::atomic<bool> stop{false};
    std::string head;
    std::thread reading([&] {
        std::string data;
        while (!stop && readerOpen) {
            readerOpen = reader.read(data, 50ms);
            received = data.size();
        }
        head = data.substr(0, 200);
    });
    dragoman.waitFor([&](const json&) { return channelsNow()[4]["listeners"] == 2; }, 5s);
    CHECK(channelsNow()[4]["listeners"] == 2);
    const auto waited =
        dragoman.waitFor([&](const json&) { return channelsNow()[4]["listeners"] == 1; }, 20s);
    CHECK(channelsNow()[4]["listeners"] == 1);
    CHECK(waited >= 1500ms); // not before its backlog passed ~2 s of audio
    const std::size_t atDrop = received;
    std::this_thread::sleep_for(1s);
    CHECK(received > atDrop + 1000); // the reader still gets pages
    CHECK(readerOpen);
    stop = true;
    reading.join();
    CHECK(head.rfind("HTTP/1.0 200 OK\r\n", 0) == 0);
    CHECK(head.find("Content-Type: audio/ogg") != std::string::npos);
    CHECK(head.find("Cache-Control: no-store") != std::string::npos);
    CHECK(head.find("OggS") != std::string::npos);
    // The stalled connection was closed by the server.
    std::string rest;
    bool open = true;
    for (int i = 0; i < 100 && open; ++i)
        open = stalled.read(rest, 100ms);
    CHECK_FALSE(open);
}

TEST_CASE("Through RTP every channel carries exactly what is routed to it") {
    test::JackServer server;
    TokenEnvironment token;
    const int listenPort = test::freeLoopbackPortPair(); // + 1: the streams
    Dragoman dragoman({"--audio", "jack", "--listen", "127.0.0.1:" + std::to_string(listenPort)});
    dragoman.waitFor(onDevice, 10s);
    INFO(dragoman.output());
    REQUIRE(onDevice(dragoman.state()));

    // Floor 440 Hz; en.1's mic 1 kHz; sq.1's mic 700 Hz. en.1 and sq.1 go live.
    test::JackPeer peer(
        "tones",
        {test::sine(440, -20, 48000), test::sine(1000, -20, 48000), test::sine(700, -20, 48000)}, 0,
        0);
    peer.connect(peer.outputPort(0), port("in_0"));
    peer.connect(peer.outputPort(1), port("in_2"));
    peer.connect(peer.outputPort(2), port("in_4"));
    REQUIRE(dragoman.post("/desks/en/1", {{"mic", true}}).status == 200);
    REQUIRE(dragoman.post("/desks/sq/1", {{"mic", true}}).status == 200);

    // One ffmpeg per channel, all at once, each subscribed through its own SDP.
    const std::string base = "http://127.0.0.1:" + std::to_string(listenPort);
    const std::string dir = std::string(DRAGOMAN_BINARY_DIR) + "/tests/e2e";
    const std::vector<std::string> codes{"floor", "en", "sq", "bsm", "mk"};
    std::string command;
    const int firstPort = test::freeLoopbackPort() & ~1;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const int rtpPort = firstPort + 2 * static_cast<int>(i) + 100;
        const auto sdp =
            test::http("GET", base + "/sdp/" + codes[i] + ".sdp?port=" + std::to_string(rtpPort));
        REQUIRE(sdp.status == 200);
        const std::string file = dir + "/rtp-" + std::to_string(rtpPort);
        std::ofstream(file + ".sdp") << sdp.body;
        command += "timeout 15 ffmpeg -v error -protocol_whitelist file,udp,rtp -i " + file +
                   ".sdp -t 1.5 -ac 1 -f f32le -y " + file + ".raw & ";
    }
    test::capture(command + "wait");

    const auto decoded = [&](std::size_t i) {
        const std::string file =
            dir + "/rtp-" + std::to_string(firstPort + 2 * static_cast<int>(i) + 100);
        std::ifstream in(file + ".raw", std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        std::vector<float> samples(bytes.size() / sizeof(float));
        std::memcpy(samples.data(), bytes.data(), samples.size() * sizeof(float));
        std::remove((file + ".raw").c_str());
        std::remove((file + ".sdp").c_str());
        return samples;
    };
    const std::vector<double> expected{440, 1000, 700, 440, 440};
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const auto x = decoded(i);
        INFO("channel " << codes[i] << ", " << x.size() << " samples");
        REQUIRE(x.size() > 48000);
        const auto level = [&](double hz) {
            return test::toDb(test::toneAmplitude(x, hz, x.size() / 4, x.size()));
        };
        CHECK(level(expected[i]) > -23.0); // sent at -20 dBFS, through Opus at 32 kb/s
        for (double other : {440.0, 700.0, 1000.0})
            if (other != expected[i])
                CHECK(level(other) < level(expected[i]) - 25.0);
    }
    // The sender's counters in /api/state: what it sent, and nothing that did not go out.
    const auto rtp = dragoman.state()["listeners"]["rtp"];
    INFO(rtp.dump());
    CHECK(rtp["datagramsSent"].get<double>() > 5 * 50); // five channels, 50 packets a second
    CHECK(rtp["queueDrops"] == 0);
    CHECK(rtp["sendErrors"] == 0);
    CHECK(rtp["invalidPackets"] == 0);
}

TEST_CASE(
    "A channel with a fixed RTP destination in the venue is sent there and described by its SDP") {
    // The Tirana venue with English sent to a receiver on this machine.
    const int rtpPort = (test::freeLoopbackPort() & ~1) + 200;
    auto venueJson = json::parse(std::ifstream(tirana()));
    venueJson["channels"][0]["rtp"] = {{"address", "127.0.0.1"}, {"port", rtpPort}};
    const std::string venueFile = std::string(DRAGOMAN_BINARY_DIR) + "/tests/e2e/fixed-rtp-" +
                                  std::to_string(rtpPort) + ".json";
    std::ofstream(venueFile) << venueJson.dump(2);

    const int listenPort = test::freeLoopbackPortPair(); // + 1: the streams
    Dragoman dragoman({"--audio", "virtual", "--demo", "--venue", venueFile, "--listen",
                       "127.0.0.1:" + std::to_string(listenPort)});
    const std::string base = "http://127.0.0.1:" + std::to_string(listenPort);
    dragoman.waitFor([](const json& s) { return !s.is_null(); }, 8s);
    INFO(dragoman.output());

    const auto list = json::parse(test::http("GET", base + "/channels.json").body);
    CHECK(list["channels"][1]["rtp"]["port"] == rtpPort);
    CHECK(list["channels"][2]["rtp"].is_null());
    CHECK(test::http("GET", base + "/sdp/sq.sdp").status == 404); // no fixed destination

    const auto sdp = test::http("GET", base + "/sdp/en.sdp");
    REQUIRE(sdp.status == 200);
    CHECK(sdp.body.find("m=audio " + std::to_string(rtpPort) + " RTP/AVP 96") != std::string::npos);
    const std::string sdpFile = venueFile + ".sdp";
    std::ofstream(sdpFile) << sdp.body;
    const std::string pcm =
        test::capture("timeout 15 ffmpeg -v error -protocol_whitelist file,udp,rtp -i " + sdpFile +
                      " -t 2 -ac 1 -f f32le - 2>/dev/null");
    std::vector<float> samples(pcm.size() / sizeof(float));
    std::memcpy(samples.data(), pcm.data(), samples.size() * sizeof(float));
    CHECK(samples.size() >= 90000);
    double energy = 0.0;
    for (float s : samples)
        energy += static_cast<double>(s) * s;
    CHECK(10.0 * std::log10(energy / std::max<std::size_t>(samples.size(), 1) + 1e-20) > -45.0);
    std::remove(sdpFile.c_str());
    std::remove(venueFile.c_str());
}

TEST_CASE("/api/state gives every channel's momentary and short-term loudness, as the console") {
    Dragoman dragoman({"--audio", "virtual", "--demo"});
    INFO(dragoman.output());
    // The demo's speech reaches every channel: each measures above silence (-70 LUFS) within
    // a few seconds (the short-term window is 3 s).
    const auto heard = [](const json& s) {
        for (const auto& [code, channel] : s["channels"].items())
            if (!channel.contains("loudness") ||
                channel["loudness"]["shortTermLufs"].get<double>() <= -70.0)
                return false;
        return true;
    };
    dragoman.waitFor(heard, 10s);
    const auto state = dragoman.state();
    INFO(state["channels"].dump());
    REQUIRE(heard(state));
    for (const auto& [code, channel] : state["channels"].items()) {
        INFO(code);
        const double momentary = channel["loudness"]["momentaryLufs"].get<double>();
        const double shortTerm = channel["loudness"]["shortTermLufs"].get<double>();
        CHECK(momentary >= -70.0);
        CHECK(momentary < 0.0);
        CHECK(shortTerm < 0.0);
        // Speech at a sane level: its RMS meter (dBFS) and its loudness agree within 20 dB.
        CHECK(std::abs(shortTerm - channel["meters"]["rmsDb"].get<double>()) < 20.0);
    }
}

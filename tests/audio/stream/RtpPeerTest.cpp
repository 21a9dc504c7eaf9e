// RTP distribution against real peers: ffmpeg playing a channel from its SDP on loopback, and
// multicast inside a network namespace the test creates and removes.
#include "RtpTestSupport.h"
#include "stream/RtpPacket.h"
#include "stream/RtpSender.h"
#include "support/ChildProcess.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace dragoman;
using namespace dragoman::stream;
using namespace std::chrono_literals;

namespace {

bool onPath(const std::string& program) {
    return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

std::filesystem::path scratchDir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() /
               ("dragoman-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// A network namespace of this test's own, removed when it goes (pass or fail).
class NetworkNamespace {
public:
    NetworkNamespace()
        : name_("dragoman-test-" + std::to_string(::getpid())) {
        std::system(("ip netns del " + name_ + " >/dev/null 2>&1").c_str());
        created_ = std::system(("ip netns add " + name_ + " >/dev/null 2>&1").c_str()) == 0;
    }
    ~NetworkNamespace() {
        if (created_)
            std::system(("ip netns del " + name_ + " >/dev/null 2>&1").c_str());
    }
    bool created() const { return created_; }
    const std::string& name() const { return name_; }
    int exec(const std::string& command) const {
        return std::system(("ip netns exec " + name_ + " " + command).c_str());
    }

private:
    std::string name_;
    bool created_ = false;
};

} // namespace

TEST_CASE("ffmpeg plays a channel from its SDP: the sine's frequency at its level",
          "[rtp][sdp][ffmpeg]") {
    if (!onPath("ffmpeg")) {
        WARN("SKIPPED: ffmpeg is not installed (apt-get install ffmpeg)");
        return;
    }
    const auto dir = scratchDir("rtp-ffmpeg");
    RtpSenderConfig config;
    config.channels = 2;
    config.bindAddress = "127.0.0.1";
    config.senderReportInterval = 500ms;
    RtpSender sender(config);
    const Endpoint destination{0x7f000001u, test::freePortPair()};
    REQUIRE(sender.addDestination(1, destination));
    const auto sdpPath = (dir / "ch.sdp").string();
    {
        std::ofstream sdp(sdpPath);
        sdp << sender.sdp(1, {"Albanian", "Shqip", "sq", 20.0, false}, destination);
    }
    const auto wavPath = (dir / "out.wav").string();
    test::ChildProcess ffmpeg({"ffmpeg", "-nostdin", "-hide_banner", "-y", "-protocol_whitelist",
                               "file,udp,rtp", "-i", sdpPath, "-t", "2", "-f", "wav", wavPath},
                              (dir / "ffmpeg.log").string());
    sender.start();
    std::this_thread::sleep_for(300ms); // ffmpeg opens its sockets

    constexpr double kHz = 1000.0;
    constexpr double kDbfs = -12.0;
    test::SinePackets packets(1, kHz, kDbfs);
    const auto deadline = std::chrono::steady_clock::now() + 12s;
    // Twice real time: ffmpeg's RTP demuxer orders by sequence number, not by arrival time.
    while (ffmpeg.running() && std::chrono::steady_clock::now() < deadline) {
        sender.onPacket(packets.next());
        std::this_thread::sleep_for(10ms);
    }
    const bool finished = !ffmpeg.running();
    INFO(ffmpeg.output());
    REQUIRE(finished);
    const auto audio = test::readWavChannel0(wavPath);
    REQUIRE(audio.size() >= 48000 * 3 / 2);
    const auto begin = audio.size() / 4;
    const auto end = begin + 48000 / 2;
    const double level = test::toDb(test::toneAmplitude(audio, kHz, begin, end));
    const double other = test::toDb(test::toneAmplitude(audio, 440.0, begin, end));
    INFO("level " << level << " dBFS, 440 Hz " << other << " dBFS");
    CHECK(std::abs(level - kDbfs) <= 1.0);
    CHECK(other < kDbfs - 30.0);
    CHECK(sender.stats().queueDrops == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("GStreamer plays a channel from its SDP: the sine's frequency at its level",
          "[rtp][sdp][gstreamer]") {
    if (!onPath("gst-launch-1.0") || std::system("gst-inspect-1.0 sdpdemux >/dev/null 2>&1") != 0 ||
        std::system("gst-inspect-1.0 rtpopusdepay >/dev/null 2>&1") != 0) {
        WARN("SKIPPED: GStreamer with sdpdemux and rtpopusdepay is not installed "
             "(gstreamer1.0-tools, -plugins-good, -plugins-bad)");
        return;
    }
    const auto dir = scratchDir("rtp-gstreamer");
    RtpSenderConfig config;
    config.channels = 1;
    config.bindAddress = "127.0.0.1";
    RtpSender sender(config);
    const Endpoint destination{0x7f000001u, test::freePortPair()};
    REQUIRE(sender.addDestination(0, destination));
    const auto sdpPath = (dir / "ch.sdp").string();
    {
        std::ofstream sdp(sdpPath);
        sdp << sender.sdp(0, {"Macedonian", "Македонски", "mk", 20.0, true}, destination);
    }
    const auto rawPath = (dir / "out.raw").string();
    test::ChildProcess gst({"gst-launch-1.0",
                            "-q",
                            "filesrc",
                            "location=" + sdpPath,
                            "!",
                            "sdpdemux",
                            "!",
                            "rtpopusdepay",
                            "!",
                            "opusdec",
                            "!",
                            "audioconvert",
                            "!",
                            "audioresample",
                            "!",
                            "audio/x-raw,format=S16LE,rate=48000,channels=1",
                            "!",
                            "filesink",
                            "buffer-mode=unbuffered",
                            "location=" + rawPath},
                           (dir / "gst.log").string());
    sender.start();
    std::this_thread::sleep_for(300ms); // gst-launch opens its sockets

    constexpr double kHz = 1000.0;
    constexpr double kDbfs = -12.0;
    test::SinePackets packets(0, kHz, kDbfs);
    for (int i = 0; i < 100 && gst.running(); ++i) { // 2 s in real time (its jitter buffer)
        sender.onPacket(packets.next());
        std::this_thread::sleep_for(20ms);
    }
    std::this_thread::sleep_for(400ms);
    INFO(gst.output());
    REQUIRE(gst.running());
    gst.stop();
    std::ifstream in(rawPath, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    std::vector<float> audio(bytes.size() / 2);
    for (std::size_t i = 0; i < audio.size(); ++i) {
        std::int16_t v;
        std::memcpy(&v, bytes.data() + 2 * i, sizeof v);
        audio[i] = static_cast<float>(v) / 32768.0f;
    }
    REQUIRE(audio.size() >= 48000);
    const auto begin = audio.size() / 4;
    const auto end = begin + 48000 / 2;
    const double level = test::toDb(test::toneAmplitude(audio, kHz, begin, end));
    INFO("level " << level << " dBFS");
    CHECK(std::abs(level - kDbfs) <= 1.0);
    std::filesystem::remove_all(dir);
}

// Runs only inside the namespace that the next test creates (hidden tag, environment guard).
TEST_CASE("multicast inside the namespace (run by the multicast test)", "[.multicast-inner]") {
    if (std::getenv("DRAGOMAN_NETNS_INNER") == nullptr)
        return;
    const char* group = "239.255.42.10";
    const auto port = test::freePortPair();
    // The receiver joins the group on the loopback interface.
    test::UdpSocket receiver(port, "0.0.0.0");
    REQUIRE(receiver.ok());
    ip_mreq join{};
    inet_pton(AF_INET, group, &join.imr_multiaddr);
    inet_pton(AF_INET, "127.0.0.1", &join.imr_interface);
    REQUIRE(::setsockopt(receiver.fd(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) == 0);

    RtpSenderConfig config;
    config.channels = 1;
    config.multicastTtl = 1;
    config.multicastInterface = "127.0.0.1";
    RtpSender sender(config);
    const auto destination = Endpoint::parse(group, port);
    REQUIRE(destination);
    REQUIRE(sender.addDestination(0, *destination));
    const auto sdp = sender.sdp(0, {"Floor", "", "floor", 20.0, false}, *destination);
    CHECK(sdp.find("c=IN IP4 239.255.42.10/1\r\n") != std::string::npos);
    sender.start();
    test::SinePackets packets(0, 1000.0, -12.0);
    for (int i = 0; i < 20; ++i)
        sender.onPacket(packets.next());
    int received = 0;
    while (received < 20) {
        const auto d = receiver.receive(1000ms);
        if (!d)
            break;
        const auto v = parseRtpPacket(*d);
        if (v && v->header.ssrc == sender.ssrc(0))
            ++received;
    }
    CHECK(received == 20);
}

TEST_CASE("Multicast RTP reaches a group member inside a network namespace", "[rtp][multicast]") {
    if (::geteuid() != 0 || !onPath("ip")) {
        WARN("SKIPPED: multicast needs a network namespace (root and iproute2)");
        return;
    }
    NetworkNamespace ns;
    if (!ns.created()) {
        WARN("SKIPPED: network namespaces are not permitted here (ip netns add failed)");
        return;
    }
    REQUIRE(ns.exec("ip link set lo up") == 0);
    REQUIRE(ns.exec("ip link set lo multicast on") == 0);
    REQUIRE(ns.exec("ip route add 224.0.0.0/4 dev lo") == 0);
    const auto self = std::filesystem::read_symlink("/proc/self/exe").string();
    const auto dir = scratchDir("rtp-multicast");
    const auto log = (dir / "inner.log").string();
    const int status = ns.exec("env DRAGOMAN_NETNS_INNER=1 '" + self +
                               "' '[.multicast-inner]' > '" + log + "' 2>&1");
    std::ifstream in(log);
    const std::string output((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
    INFO(output);
    CHECK(status == 0);
    // The inner case ran its assertions (it returns early, with none, outside the namespace).
    const std::string passed = "All tests passed (";
    const auto at = output.find(passed);
    REQUIRE(at != std::string::npos);
    CHECK(std::atoi(output.c_str() + at + passed.size()) >= 5); // "(6 assertions in 1 test case)"
    std::filesystem::remove_all(dir);
}

// The fanout case: one RtpSender thread sending 5 channels to 2,000 unicast subscribers on
// loopback (400 each), as listeners who tuned in through /sdp/CODE.sdp?port=N would be.
// The subscribers are real UDP sockets that never read (the kernel drops what overflows their
// buffers, as it would for a slow phone), so the figures are the sender's alone.
#include "bench/Bench.h"
#include "stream/RtpSender.h"

#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dragoman::bench {

namespace {

constexpr int kChannels = 5;
constexpr int kSubscribers = 2000;
constexpr std::uint32_t kFrameSamples = 960; // 20 ms
constexpr std::uint16_t kPacketBytes = 80;   // 32 kb/s at 20 ms

double cpuSeconds(clockid_t clock) {
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// UDP sockets bound to loopback; closed when it goes.
class Receivers {
public:
    explicit Receivers(int count) {
        rlimit limit{};
        getrlimit(RLIMIT_NOFILE, &limit);
        limit.rlim_cur =
            std::max<rlim_t>(limit.rlim_cur, std::min<rlim_t>(limit.rlim_max, count + 256));
        setrlimit(RLIMIT_NOFILE, &limit);
        for (int i = 0; i < count; ++i) {
            const int fd = socket(AF_INET, SOCK_DGRAM, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            socklen_t length = sizeof address;
            if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
                getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
                if (fd >= 0)
                    close(fd);
                break;
            }
            fds_.push_back(fd);
            ports_.push_back(ntohs(address.sin_port));
        }
    }
    ~Receivers() {
        for (int fd : fds_)
            close(fd);
    }
    Receivers(const Receivers&) = delete;
    Receivers& operator=(const Receivers&) = delete;
    const std::vector<std::uint16_t>& ports() const { return ports_; }

private:
    std::vector<int> fds_;
    std::vector<std::uint16_t> ports_;
};

// Feeds packets for `seconds`: at the real-time rate (one per channel every 20 ms), or as fast
// as the sender takes them. Prints the figures.
void feed(stream::RtpSender& sender, std::size_t subscribers, double seconds, bool realtime) {
    using Clock = std::chrono::steady_clock;
    stream::EncodedPacket packet;
    packet.bytes = kPacketBytes;
    packet.durationSamples = kFrameSamples;
    for (std::size_t i = 0; i < kPacketBytes; ++i)
        packet.data[i] = static_cast<std::uint8_t>(i * 37);

    const auto before = sender.stats();
    const double processStart = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
    const double feederStart = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    std::uint64_t position = 0;
    std::uint64_t offered = 0;
    for (auto next = start; Clock::now() < end;) {
        for (int c = 0; c < kChannels; ++c) {
            packet.channel = c;
            packet.position = position;
            sender.onPacket(packet);
            ++offered;
        }
        position += kFrameSamples;
        if (realtime) {
            next += std::chrono::milliseconds(20);
            std::this_thread::sleep_until(next);
        } else {
            // Faster than the sender can go: the queue overflows (counted in queue_drops)
            // and datagrams_per_s is the sender's ceiling.
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // let the sender finish
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    const double senderCpu = (cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - processStart) -
                             (cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - feederStart);
    const auto after = sender.stats();
    const double packets = static_cast<double>(after.queued - before.queued);
    const double datagrams = static_cast<double>(after.datagramsSent - before.datagramsSent);
    std::printf("{\"case\":\"fanout\",\"mode\":\"%s\",\"channels\":%d,\"subscribers\":%zu,"
                "\"seconds\":%.1f,\"packets_offered\":%llu,\"packets_per_s\":%.0f,"
                "\"datagrams_per_s\":%.0f,\"queue_drops\":%llu,\"send_errors\":%llu,"
                "\"sender_cpu\":%.3f}\n",
                realtime ? "realtime" : "max", kChannels, subscribers, wall,
                static_cast<unsigned long long>(offered), packets / wall, datagrams / wall,
                static_cast<unsigned long long>(after.queueDrops - before.queueDrops),
                static_cast<unsigned long long>(after.sendErrors - before.sendErrors),
                senderCpu / wall);
    std::fflush(stdout);
}

} // namespace

void runFanout(double seconds) {
    const Receivers receivers(kSubscribers);
    stream::RtpSenderConfig config;
    config.channels = kChannels;
    config.bindAddress = "127.0.0.1";
    config.queueCapacity = 4096;
    config.subscriptionExpiry = std::chrono::hours(1);
    stream::RtpSender sender(config);
    for (std::size_t i = 0; i < receivers.ports().size(); ++i)
        sender.subscribe(static_cast<int>(i % kChannels),
                         *stream::Endpoint::parse("127.0.0.1", receivers.ports()[i]));
    sender.start();
    feed(sender, receivers.ports().size(), seconds, true);
    feed(sender, receivers.ports().size(), seconds, false);
    sender.stop();
}

} // namespace dragoman::bench

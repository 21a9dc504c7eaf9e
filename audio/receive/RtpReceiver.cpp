#include "receive/RtpReceiver.h"

#include "rt/HelperThreadPriority.h"
#include "stream/Rtcp.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <random>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace dragoman::receive {

namespace {

int bindUdp(const std::string& address, std::uint16_t port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1)
        throw std::runtime_error("listener: not an IPv4 address: " + address);
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        throw std::runtime_error(std::string("listener: socket: ") + std::strerror(errno));
    const int size = 1 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

RtpReceiver::RtpReceiver(ReceiveChannel& channel, RtpReceiverSettings settings)
    : channel_(channel)
    , settings_(std::move(settings))
    , epoch_(std::chrono::steady_clock::now()) {
    std::random_device random;
    ssrc_ = random();
    if (settings_.port != 0) {
        if (settings_.port % 2 != 0)
            throw std::runtime_error("listener: the RTP port must be even");
        rtp_ = bindUdp(settings_.bindAddress, settings_.port);
        rtcp_ = rtp_ < 0 ? -1 : bindUdp(settings_.bindAddress, settings_.port + 1);
        port_ = settings_.port;
    } else {
        std::uniform_int_distribution<int> pick(10000, 29999);
        for (int attempt = 0; attempt < 200 && rtcp_ < 0; ++attempt) {
            const auto port = static_cast<std::uint16_t>(pick(random) * 2);
            if (rtp_ >= 0)
                ::close(rtp_);
            rtp_ = bindUdp(settings_.bindAddress, port);
            rtcp_ = rtp_ < 0 ? -1 : bindUdp(settings_.bindAddress, port + 1);
            port_ = port;
        }
    }
    if (rtp_ < 0 || rtcp_ < 0) {
        if (rtp_ >= 0)
            ::close(rtp_);
        throw std::runtime_error("listener: cannot bind UDP ports " + std::to_string(port_) + "/" +
                                 std::to_string(port_ + 1) + " on " + settings_.bindAddress + ": " +
                                 std::strerror(errno));
    }
}

RtpReceiver::~RtpReceiver() {
    stop();
    ::close(rtp_);
    ::close(rtcp_);
}

void RtpReceiver::start() {
    if (running_.exchange(true))
        return;
    lastPacketNs_.store((std::chrono::steady_clock::now() - epoch_).count());
    thread_ = std::thread([this] { run(); });
}

void RtpReceiver::stop() {
    if (!running_.exchange(false))
        return;
    if (thread_.joinable())
        thread_.join();
    // Goodbye: the router stops sending here now rather than when the subscription lapses.
    std::uint8_t buffer[128];
    const std::size_t size = stream::writeGoodbye(ssrc_, settings_.cname, std::span(buffer));
    sendToRouter(std::span(buffer, size));
}

bool RtpReceiver::sendToRouter(std::span<const std::uint8_t> packet) {
    if (!settings_.routerRtcp || packet.empty())
        return false;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(settings_.routerRtcp->port);
    to.sin_addr.s_addr = htonl(settings_.routerRtcp->address);
    return ::sendto(rtcp_, packet.data(), packet.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                    sizeof to) == static_cast<ssize_t>(packet.size());
}

double RtpReceiver::secondsSinceLastPacket() const {
    const auto now = (std::chrono::steady_clock::now() - epoch_).count();
    return static_cast<double>(now - lastPacketNs_.load(std::memory_order_relaxed)) * 1e-9;
}

void RtpReceiver::sendReport() {
    if (!settings_.routerRtcp)
        return;
    const auto block = channel_.receptionReport();
    if (block.ssrc == 0)
        return;
    std::uint8_t buffer[256];
    const std::size_t size = stream::writeReceiverReport(ssrc_, std::span(&block, 1),
                                                         settings_.cname, std::span(buffer));
    if (sendToRouter(std::span(buffer, size)))
        reports_.fetch_add(1, std::memory_order_relaxed);
}

void RtpReceiver::run() {
    rt::raiseHelperThread(); // real-time, below the audio threads (rt/HelperThreadPriority.h)
    using Clock = std::chrono::steady_clock;
    std::uint8_t buffer[2048];
    auto nextReport = Clock::now() + std::chrono::milliseconds(500);
    while (running_.load(std::memory_order_relaxed)) {
        pollfd fds[2] = {{rtp_, POLLIN, 0}, {rtcp_, POLLIN, 0}};
        ::poll(fds, 2, 50);
        if ((fds[0].revents & POLLIN) != 0) {
            for (;;) {
                const ssize_t n = ::recv(rtp_, buffer, sizeof buffer, MSG_DONTWAIT);
                if (n < 0)
                    break;
                const auto now = (Clock::now() - epoch_).count();
                lastPacketNs_.store(now, std::memory_order_relaxed);
                channel_.push(std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(n)),
                              static_cast<double>(now) * 48000e-9);
            }
        }
        if ((fds[1].revents & POLLIN) != 0) {
            for (;;) {
                const ssize_t n = ::recv(rtcp_, buffer, sizeof buffer, MSG_DONTWAIT);
                if (n < 0)
                    break;
                const auto message = stream::parseRtcp(
                    std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(n)));
                if (message && message->senderReport)
                    senderReports_.fetch_add(1, std::memory_order_relaxed);
            }
        }
        const auto now = Clock::now();
        if (now >= nextReport) {
            sendReport();
            nextReport = now + settings_.reportInterval;
        }
    }
}

} // namespace dragoman::receive

#include "stream/RtpSender.h"

#include "rt/HelperThreadPriority.h"
#include "stream/RtpPacket.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <random>
#include <stdexcept>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace dragoman::stream {

using Clock = std::chrono::steady_clock;

struct RtpSender::ChannelState {
    std::uint32_t ssrc = 0;
    std::uint32_t timestampOffset = 0;
    std::uint16_t sequence = 0;
    bool started = false;
    std::uint64_t nextPosition = 0;
    std::uint32_t lastTimestamp = 0;
    Clock::time_point lastSend{};
    Clock::time_point nextReport{};
    bool reportDue = false;
    std::atomic<std::uint64_t> packets{0};
    std::atomic<std::uint64_t> octets{0};
    std::atomic<std::uint64_t> senderReports{0};
};

namespace {

sockaddr_in toSockaddr(Endpoint e) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(e.address);
    a.sin_port = htons(e.port);
    return a;
}

std::runtime_error socketError(const std::string& what) {
    return std::runtime_error("RTP sender: " + what + ": " + std::strerror(errno));
}

int openUdp(const RtpSenderConfig& config) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        throw socketError("socket");
    const int sendBuffer = 4 << 20; // bursts to hundreds of listeners
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sendBuffer, sizeof sendBuffer);
    const int ttl = std::clamp(config.multicastTtl, 0, 255);
    ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
    const int loop = 1;
    ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
    if (!config.multicastInterface.empty()) {
        in_addr iface{};
        if (inet_pton(AF_INET, config.multicastInterface.c_str(), &iface) != 1) {
            ::close(fd);
            throw std::runtime_error("RTP sender: bad multicast interface address " +
                                     config.multicastInterface);
        }
        ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &iface, sizeof iface);
    }
    return fd;
}

bool bindTo(int fd, std::uint32_t address, std::uint16_t port) {
    sockaddr_in a = toSockaddr({address, port});
    return ::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
}

} // namespace

RtpSender::Socket& RtpSender::Socket::operator=(Socket&& o) noexcept {
    if (this != &o) {
        if (fd >= 0)
            ::close(fd);
        fd = o.fd;
        o.fd = -1;
    }
    return *this;
}

RtpSender::Socket::~Socket() {
    if (fd >= 0)
        ::close(fd);
}

RtpSender::RtpSender(RtpSenderConfig config)
    : config_(std::move(config))
    , subscriptions_(config_.subscriptionExpiry)
    , queue_(std::max<std::size_t>(config_.queueCapacity, 1)) {
    if (config_.channels < 1)
        throw std::runtime_error("RTP sender: no channels");
    const auto bindAddress = Endpoint::parse(config_.bindAddress, 0);
    if (!bindAddress)
        throw std::runtime_error("RTP sender: bad bind address " + config_.bindAddress);

    std::random_device entropy;
    std::mt19937 random(entropy());
    if (config_.rtpPort != 0) {
        rtp_ = Socket(openUdp(config_));
        rtcp_ = Socket(openUdp(config_));
        rtpPort_ = config_.rtpPort;
        if (!bindTo(rtp_.fd, bindAddress->address, rtpPort_) ||
            !bindTo(rtcp_.fd, bindAddress->address, static_cast<std::uint16_t>(rtpPort_ + 1)))
            throw socketError("cannot bind " + config_.bindAddress + ":" +
                              std::to_string(rtpPort_) + "/" + std::to_string(rtpPort_ + 1));
    } else {
        std::uniform_int_distribution<int> pick(10000, 29999);
        bool bound = false;
        for (int attempt = 0; attempt < 200 && !bound; ++attempt) {
            rtp_ = Socket(openUdp(config_));
            rtcp_ = Socket(openUdp(config_));
            rtpPort_ = static_cast<std::uint16_t>(2 * pick(random));
            bound =
                bindTo(rtp_.fd, bindAddress->address, rtpPort_) &&
                bindTo(rtcp_.fd, bindAddress->address, static_cast<std::uint16_t>(rtpPort_ + 1));
        }
        if (!bound)
            throw socketError("no free RTP/RTCP port pair on " + config_.bindAddress);
    }
    wake_ = Socket(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (wake_.fd < 0)
        throw socketError("eventfd");

    std::uniform_int_distribution<std::uint32_t> word;
    for (int c = 0; c < config_.channels; ++c) {
        auto state = std::make_unique<ChannelState>();
        do {
            state->ssrc = word(random);
        } while (std::any_of(channels_.begin(), channels_.end(),
                             [&](const auto& other) { return other->ssrc == state->ssrc; }));
        state->timestampOffset = word(random);
        state->sequence = static_cast<std::uint16_t>(word(random));
        channels_.push_back(std::move(state));
    }
    fixed_.resize(static_cast<std::size_t>(config_.channels));
    scratchFixed_.reserve(64);
    scratchSubs_.reserve(1024);
    scratchAll_.reserve(1024);
}

RtpSender::~RtpSender() {
    stop();
}

void RtpSender::start() {
    if (running_.exchange(true))
        return;
    thread_ = std::thread([this] { run(); });
}

void RtpSender::stop() {
    if (!running_.exchange(false))
        return;
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_.fd, &one, sizeof one);
    if (thread_.joinable())
        thread_.join();
}

void RtpSender::onPacket(const EncodedPacket& packet) {
    if (!queue_.try_enqueue(packet)) {
        queueDrops_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    queued_.fetch_add(1, std::memory_order_relaxed);
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_.fd, &one, sizeof one); // non-blocking
}

bool RtpSender::addDestination(int channel, Endpoint rtp) {
    if (!validChannel(channel))
        return false;
    const std::lock_guard lock(destinationsMutex_);
    auto& list = fixed_[static_cast<std::size_t>(channel)];
    if (std::find(list.begin(), list.end(), rtp) != list.end())
        return false;
    list.push_back(rtp);
    return true;
}

bool RtpSender::removeDestination(int channel, Endpoint rtp) {
    if (!validChannel(channel))
        return false;
    const std::lock_guard lock(destinationsMutex_);
    return std::erase(fixed_[static_cast<std::size_t>(channel)], rtp) > 0;
}

bool RtpSender::subscribe(int channel, Endpoint rtp) {
    if (!validChannel(channel) || rtp.port == 0)
        return false;
    subscriptions_.subscribe(channel, rtp);
    return true;
}

bool RtpSender::unsubscribe(int channel, Endpoint rtp) {
    return validChannel(channel) && subscriptions_.unsubscribe(channel, rtp);
}

std::uint32_t RtpSender::ssrc(int channel) const {
    return validChannel(channel) ? channels_[static_cast<std::size_t>(channel)]->ssrc : 0;
}

RtpSenderStats RtpSender::stats() const {
    RtpSenderStats s;
    s.queued = queued_.load();
    s.queueDrops = queueDrops_.load();
    s.invalidPackets = invalid_.load();
    s.datagramsSent = datagrams_.load();
    s.sendErrors = sendErrors_.load();
    s.unreachable = unreachable_.load();
    s.rtcpReceived = rtcpReceived_.load();
    s.rtcpMalformed = rtcpMalformed_.load();
    s.rtcpUnmatched = rtcpUnmatched_.load();
    s.expired = expired_.load();
    const std::lock_guard lock(destinationsMutex_);
    for (int c = 0; c < config_.channels; ++c) {
        const auto& state = *channels_[static_cast<std::size_t>(c)];
        RtpChannelStats cs;
        cs.channel = c;
        cs.ssrc = state.ssrc;
        cs.packets = state.packets.load();
        cs.octets = state.octets.load();
        cs.senderReports = state.senderReports.load();
        cs.destinations = fixed_[static_cast<std::size_t>(c)].size();
        cs.listeners = subscriptions_.count(c);
        s.channels.push_back(cs);
    }
    return s;
}

std::string RtpSender::sdp(int channel, const SdpChannel& description, Endpoint destination,
                           const std::string& origin) const {
    SdpDestination d;
    d.address = destination.addressText();
    d.port = destination.port;
    d.multicastTtl = config_.multicastTtl;
    d.origin = origin;
    d.sessionId = ssrc(channel);
    return makeSdp(description, d);
}

void RtpSender::destinationsOf(int channel, std::vector<Endpoint>& out) {
    {
        const std::lock_guard lock(destinationsMutex_);
        const auto& list = fixed_[static_cast<std::size_t>(channel)];
        scratchFixed_.assign(list.begin(), list.end());
    }
    subscriptions_.endpoints(channel, scratchSubs_);
    out.assign(scratchFixed_.begin(), scratchFixed_.end());
    out.insert(out.end(), scratchSubs_.begin(), scratchSubs_.end());
}

bool RtpSender::sendTo(int fd, const std::uint8_t* data, std::size_t size, Endpoint to) {
    const sockaddr_in a = toSockaddr(to);
    for (int attempt = 0; attempt < 2; ++attempt) {
        const auto sent =
            ::sendto(fd, data, size, 0, reinterpret_cast<const sockaddr*>(&a), sizeof a);
        if (sent >= 0) {
            datagrams_.fetch_add(1, std::memory_order_relaxed);
            return true;
        }
        if (errno == EINTR)
            continue;
        if (errno == ECONNREFUSED) {
            // An earlier datagram met a closed port (a player not started yet): the error
            // belongs to that one; this one is retried once. The subscriber stays.
            unreachable_.fetch_add(1, std::memory_order_relaxed);
            continue;
        }
        break;
    }
    sendErrors_.fetch_add(1, std::memory_order_relaxed);
    return false;
}

void RtpSender::sendToAll(int fd, const std::uint8_t* data, std::size_t size,
                          const std::vector<Endpoint>& to) {
    // One system call per 64 destinations (sendmmsg): with hundreds of listeners per channel
    // the calls, not the bytes, are what the sender thread spends its time on.
    constexpr std::size_t kBatch = 64;
    std::array<sockaddr_in, kBatch> addresses;
    std::array<mmsghdr, kBatch> messages;
    iovec payload{const_cast<std::uint8_t*>(data), size};
    std::size_t next = 0;
    while (next < to.size()) {
        const std::size_t count = std::min(kBatch, to.size() - next);
        for (std::size_t i = 0; i < count; ++i) {
            addresses[i] = toSockaddr(to[next + i]);
            messages[i] = {};
            messages[i].msg_hdr.msg_name = &addresses[i];
            messages[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
            messages[i].msg_hdr.msg_iov = &payload;
            messages[i].msg_hdr.msg_iovlen = 1;
        }
        const int sent = ::sendmmsg(fd, messages.data(), static_cast<unsigned>(count), 0);
        if (sent > 0) {
            datagrams_.fetch_add(static_cast<std::uint64_t>(sent), std::memory_order_relaxed);
            next += static_cast<std::size_t>(sent);
        } else { // the first of the batch failed: sendTo() retries and counts it
            sendTo(fd, data, size, to[next]);
            ++next;
        }
    }
}

void RtpSender::sendPacket(const EncodedPacket& packet) {
    if (!validChannel(packet.channel) || packet.bytes == 0 ||
        packet.bytes > EncodedPacket::kMaxBytes) {
        invalid_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    auto& state = *channels_[static_cast<std::size_t>(packet.channel)];
    RtpHeader header;
    header.marker = !state.started || packet.discontinuity || packet.position != state.nextPosition;
    header.sequence = state.sequence++;
    header.timestamp = state.timestampOffset + static_cast<std::uint32_t>(packet.position);
    header.ssrc = state.ssrc;
    std::array<std::uint8_t, kRtpHeaderBytes + EncodedPacket::kMaxBytes> buffer;
    const std::size_t size = writeRtpPacket(header, {packet.data.data(), packet.bytes}, buffer);

    destinationsOf(packet.channel, scratchAll_);
    sendToAll(rtp_.fd, buffer.data(), size, scratchAll_);

    if (!state.started) {
        state.started = true;
        state.reportDue = true; // the first sender report right after the first packet
    }
    state.nextPosition = packet.position + packet.durationSamples;
    state.lastTimestamp = header.timestamp;
    state.lastSend = Clock::now();
    state.packets.fetch_add(1, std::memory_order_relaxed);
    state.octets.fetch_add(packet.bytes, std::memory_order_relaxed);
}

void RtpSender::sendSenderReports(Clock::time_point now, bool force) {
    std::array<std::uint8_t, 512> buffer;
    for (int c = 0; c < config_.channels; ++c) {
        auto& state = *channels_[static_cast<std::size_t>(c)];
        if (!state.started)
            continue;
        if (!force && !state.reportDue && now < state.nextReport)
            continue;
        state.reportDue = false;
        state.nextReport = now + config_.senderReportInterval;
        SenderReport sr;
        sr.ssrc = state.ssrc;
        sr.ntpTimestamp = ntpNow();
        // The RTP clock now: the last packet's timestamp moved on by the time since it left.
        const auto since =
            std::chrono::duration_cast<std::chrono::microseconds>(now - state.lastSend).count();
        sr.rtpTimestamp =
            state.lastTimestamp + static_cast<std::uint32_t>(since * kRtpClockRate / 1000000);
        sr.packetCount = static_cast<std::uint32_t>(state.packets.load());
        sr.octetCount = static_cast<std::uint32_t>(state.octets.load());
        const std::string cname = config_.cname + "-" + std::to_string(c);
        const std::size_t size = writeSenderReport(sr, cname, buffer);
        if (size == 0)
            continue;
        destinationsOf(c, scratchAll_);
        for (const Endpoint& to : scratchAll_)
            sendTo(rtcp_.fd, buffer.data(), size,
                   Endpoint{to.address, static_cast<std::uint16_t>(to.port + 1)});
        state.senderReports.fetch_add(1, std::memory_order_relaxed);
    }
}

void RtpSender::receiveRtcp() {
    std::array<std::uint8_t, 1500> buffer;
    for (;;) {
        sockaddr_in from{};
        socklen_t fromLength = sizeof from;
        const auto n = ::recvfrom(rtcp_.fd, buffer.data(), buffer.size(), MSG_DONTWAIT,
                                  reinterpret_cast<sockaddr*>(&from), &fromLength);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ECONNREFUSED) {
                // An ICMP error for an earlier sender report: nobody listens there yet.
                unreachable_.fetch_add(1, std::memory_order_relaxed);
                continue;
            }
            return; // EAGAIN: nothing more to read now
        }
        rtcpReceived_.fetch_add(1, std::memory_order_relaxed);
        const auto message = parseRtcp({buffer.data(), static_cast<std::size_t>(n)});
        if (!message) {
            rtcpMalformed_.fetch_add(1, std::memory_order_relaxed);
            continue;
        }
        const Endpoint source{ntohl(from.sin_addr.s_addr), ntohs(from.sin_port)};
        const auto now = Clock::now();
        for (const ReportBlock& block : message->blocks) {
            bool matched = false;
            for (int c = 0; c < config_.channels && !matched; ++c)
                if (channels_[static_cast<std::size_t>(c)]->ssrc == block.ssrc)
                    matched = subscriptions_.applyReport(c, source, block, now);
            if (!matched)
                rtcpUnmatched_.fetch_add(1, std::memory_order_relaxed);
        }
        if (!message->byeSsrcs.empty() && source.port > 0) {
            // A player said goodbye: stop sending to its RTP port on every channel.
            const Endpoint rtp{source.address, static_cast<std::uint16_t>(source.port - 1)};
            for (int c = 0; c < config_.channels; ++c)
                subscriptions_.unsubscribe(c, rtp);
        }
    }
}

void RtpSender::run() {
    rt::raiseHelperThread(); // real-time, below the audio threads (rt/HelperThreadPriority.h)
    using namespace std::chrono;
    // Expiry is checked a few times per expiry period (at most every 100 ms).
    const auto housekeeping = std::clamp<Clock::duration>(subscriptions_.expiry() / 10,
                                                          milliseconds(5), milliseconds(100));
    auto nextHousekeeping = Clock::now();
    EncodedPacket packet;
    while (running_.load()) {
        pollfd fds[2] = {{wake_.fd, POLLIN, 0}, {rtcp_.fd, POLLIN, 0}};
        const auto now = Clock::now();
        const auto wait = duration_cast<milliseconds>(nextHousekeeping - now).count();
        ::poll(fds, 2, static_cast<int>(std::clamp<long long>(wait, 0, 100)));
        if ((fds[0].revents & POLLIN) != 0) {
            std::uint64_t count = 0;
            [[maybe_unused]] const auto n = ::read(wake_.fd, &count, sizeof count);
        }
        while (running_.load() && queue_.try_dequeue(packet))
            sendPacket(packet);
        if ((fds[1].revents & (POLLIN | POLLERR)) != 0)
            receiveRtcp();
        const auto after = Clock::now();
        sendSenderReports(after, false);
        if (after >= nextHousekeeping) {
            expired_.fetch_add(subscriptions_.expire(after), std::memory_order_relaxed);
            nextHousekeeping = after + housekeeping;
        }
    }
}

} // namespace dragoman::stream

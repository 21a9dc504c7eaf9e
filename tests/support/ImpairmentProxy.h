// A UDP relay that impairs what it forwards, for tests of the listener through a bad network:
// it receives datagrams on a loopback port and sends them on to one destination, dropping
// (independently, `lossPercent`), delaying (`delayMs` plus a uniform `jitterMs`, the order
// kept), reordering (`reorderPercent`: a packet is held back and sent right after the next
// one) and duplicating (`duplicatePercent`) them, all from one seeded random generator.
//
// Thread contract: construction, start(), stop(), stats() and destruction on the test thread;
// the relaying happens on the proxy's own thread.
#pragma once

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <pthread.h>
#include <random>
#include <sched.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dragoman::test {

struct Impairment {
    double lossPercent = 0.0;
    double delayMs = 0.0;
    double jitterMs = 0.0;
    double reorderPercent = 0.0;
    double duplicatePercent = 0.0;
    std::uint32_t seed = 1;
};

struct ImpairmentStats {
    std::uint64_t received = 0;
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;
    std::uint64_t reordered = 0;
    std::uint64_t duplicated = 0;
};

class ImpairmentProxy {
public:
    using Clock = std::chrono::steady_clock;

    // Listens on 127.0.0.1:`listenPort` (0: any free port, see port()); forwards to
    // `toAddress`:`toPort` (IPv4 dotted quad).
    ImpairmentProxy(std::uint16_t listenPort, const std::string& toAddress, std::uint16_t toPort,
                    Impairment impairment)
        : impairment_(impairment)
        , random_(impairment.seed) {
        fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        local.sin_port = htons(listenPort);
        socklen_t length = sizeof local;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length) != 0) {
            if (fd_ >= 0)
                ::close(fd_);
            throw std::runtime_error("impairment proxy: cannot bind port " +
                                     std::to_string(listenPort));
        }
        port_ = ntohs(local.sin_port);
        to_.sin_family = AF_INET;
        to_.sin_port = htons(toPort);
        if (inet_pton(AF_INET, toAddress.c_str(), &to_.sin_addr) != 1)
            throw std::runtime_error("impairment proxy: not an IPv4 address: " + toAddress);
    }
    ~ImpairmentProxy() {
        stop();
        ::close(fd_);
    }
    ImpairmentProxy(const ImpairmentProxy&) = delete;
    ImpairmentProxy& operator=(const ImpairmentProxy&) = delete;

    std::uint16_t port() const { return port_; }

    void start() {
        running_ = true;
        thread_ = std::thread([this] { run(); });
    }
    void stop() {
        running_ = false;
        if (thread_.joinable())
            thread_.join();
    }
    ImpairmentStats stats() const {
        std::lock_guard lock(mutex_);
        return stats_;
    }

private:
    using Datagram = std::vector<std::uint8_t>;

    void schedule(Clock::time_point at, Datagram datagram) {
        queue_.emplace(at, std::move(datagram));
    }

    void onDatagram(Datagram datagram, Clock::time_point now) {
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        std::lock_guard lock(mutex_);
        ++stats_.received;
        if (unit(random_) * 100.0 < impairment_.lossPercent) {
            ++stats_.dropped;
            return;
        }
        const double delayMs = impairment_.delayMs + unit(random_) * impairment_.jitterMs;
        auto at = now + std::chrono::microseconds(static_cast<long long>(delayMs * 1000.0));
        at = std::max(at, lastRelease_); // jitter keeps the order
        lastRelease_ = at;
        const bool duplicate = unit(random_) * 100.0 < impairment_.duplicatePercent;
        if (!held_ && unit(random_) * 100.0 < impairment_.reorderPercent) {
            held_ = std::move(datagram); // goes out right after the next one
            heldSince_ = now;
            ++stats_.reordered;
            return;
        }
        if (duplicate) {
            ++stats_.duplicated;
            schedule(at, datagram);
        }
        schedule(at, std::move(datagram));
        if (held_) {
            schedule(at + std::chrono::microseconds(10), std::move(*held_));
            held_.reset();
        }
    }

    void run() {
        // Real-time scheduling where allowed: the relay itself must not add jitter of its own
        // on a busy machine.
        sched_param param{};
        param.sched_priority = 5;
        pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
        std::vector<std::uint8_t> buffer(65536);
        while (running_) {
            const auto now = Clock::now();
            int timeoutMs = 5;
            {
                std::lock_guard lock(mutex_);
                while (!queue_.empty() && queue_.begin()->first <= now) {
                    const auto& d = queue_.begin()->second;
                    ::sendto(fd_, d.data(), d.size(), 0, reinterpret_cast<const sockaddr*>(&to_),
                             sizeof to_);
                    ++stats_.sent;
                    queue_.erase(queue_.begin());
                }
                if (held_ && now - heldSince_ > std::chrono::milliseconds(100)) {
                    schedule(now, std::move(*held_)); // no next packet came: let it go
                    held_.reset();
                }
                if (!queue_.empty())
                    timeoutMs = static_cast<int>(
                        std::clamp<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  queue_.begin()->first - now)
                                                  .count(),
                                              0, 5));
            }
            pollfd fds{fd_, POLLIN, 0};
            if (::poll(&fds, 1, timeoutMs) > 0 && (fds.revents & POLLIN) != 0) {
                for (;;) {
                    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
                    if (n < 0)
                        break;
                    onDatagram(Datagram(buffer.begin(), buffer.begin() + n), Clock::now());
                }
            }
        }
    }

    Impairment impairment_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    sockaddr_in to_{};
    std::atomic<bool> running_{false};
    std::thread thread_;
    mutable std::mutex mutex_;
    std::mt19937 random_;
    std::multimap<Clock::time_point, Datagram> queue_;
    Clock::time_point lastRelease_{};
    std::optional<Datagram> held_;
    Clock::time_point heldSince_{};
    ImpairmentStats stats_;
};

} // namespace dragoman::test

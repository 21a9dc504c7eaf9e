// A raw TCP client on loopback for HTTP tests that need to misbehave: it sends what it is
// given and reads (or does not) as the test decides.
#pragma once

#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace dragoman::test {

// Connects, sends `request`, then the test reads (or does not).
class RawClient {
public:
    RawClient(int port, const std::string& request, int receiveBuffer = 0)
        : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
        if (receiveBuffer > 0) // before connect, so the window stays small
            setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     send(fd_, request.data(), request.size(), MSG_NOSIGNAL) ==
                         static_cast<ssize_t>(request.size());
    }
    ~RawClient() { close(fd_); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    bool connected() const { return connected_; }
    // Reads what arrives within `wait`; false once the server closed (or reset) the connection.
    bool read(std::string& into, std::chrono::milliseconds wait) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(wait.count())) <= 0)
            return true;
        char buffer[16384];
        const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0)
            return false;
        into.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

private:
    int fd_;
    bool connected_ = false;
};

} // namespace dragoman::test

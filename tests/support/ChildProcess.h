// A program started by a test and stopped by its process id when the test ends, pass or
// fail: SIGTERM, then SIGKILL if it has not gone within a few seconds. Its standard output and
// error go to a log file the test can read.
#pragma once

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <random>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace dragoman::test {

class ChildProcess {
public:
    ChildProcess(std::vector<std::string> argv, std::string logFile)
        : log_(std::move(logFile)) {
        std::vector<char*> args;
        for (auto& a : argv)
            args.push_back(a.data());
        args.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        const int rc = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0)
            throw std::runtime_error("cannot start " + argv[0]);
    }
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }

    bool running() {
        if (pid_ <= 0)
            return false;
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            exitStatus_ = status;
            return false;
        }
        return true;
    }

    // SIGTERM, up to `grace` to exit, then SIGKILL. Returns the wait status.
    int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000)) {
        if (pid_ <= 0)
            return exitStatus_;
        kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + grace;
        while (std::chrono::steady_clock::now() < deadline) {
            if (!running())
                return exitStatus_;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        kill(pid_, SIGKILL);
        waitpid(pid_, &exitStatus_, 0);
        pid_ = -1;
        return exitStatus_;
    }

    std::string output() const {
        std::ifstream in(log_);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

private:
    std::string log_;
    pid_t pid_ = -1;
    int exitStatus_ = 0;
};

// Runs a command to completion and returns its standard output.
inline std::string capture(const std::string& command) {
    std::string out;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char buffer[4096];
        std::size_t n;
        while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
            out.append(buffer, n);
        pclose(pipe);
    }
    return out;
}

// Whether a TCP port on the loopback interface can be bound now (bound once, then released).
inline bool loopbackPortIsFree(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return free;
}

// Claims `port` for this test process among all the test processes running beside it: an
// exclusive lock on a file named after the port, which every test process takes before it
// hands a port out, held until this process exits. A port that is free now may otherwise be
// handed to two tests (or twice to one) before either server has bound it.
inline bool claimPort(int port) {
    const auto folder = std::filesystem::temp_directory_path() / "dragoman-test-ports";
    std::error_code ignored;
    std::filesystem::create_directories(folder, ignored);
    const auto file = folder / std::to_string(port);
    const int fd = ::open(file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0666);
    if (fd < 0)
        return false;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return false;
    }
    return true; // fd stays open: the claim lasts as long as the process
}

// A free TCP port on the loopback interface for a server a test starts, claimed for this test
// process (claimPort). It is drawn below the kernel's ephemeral range
// (net.ipv4.ip_local_port_range), so that no client socket of a test running beside this one
// can take it between this check and the server's bind (a thousand connections from a load
// test otherwise do).
inline int freeLoopbackPort() {
    int ephemeralLow = 32768;
    if (FILE* range = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r")) {
        if (fscanf(range, "%d", &ephemeralLow) != 1)
            ephemeralLow = 32768;
        fclose(range);
    }
    const int low = 10000;
    if (ephemeralLow - low < 1000)
        throw std::runtime_error("no room for test ports below the ephemeral port range");
    static std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> pick(low, ephemeralLow - 2);
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int port = pick(random);
        if (loopbackPortIsFree(port) && claimPort(port))
            return port;
    }
    throw std::runtime_error("no free loopback port");
}

// A free loopback TCP port whose successor is free too (dragoman --listen PORT also takes
// PORT + 1 for its streams).
inline int freeLoopbackPortPair() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        const int port = freeLoopbackPort();
        if (loopbackPortIsFree(port + 1) && claimPort(port + 1))
            return port;
    }
    throw std::runtime_error("no free pair of loopback ports");
}

} // namespace dragoman::test

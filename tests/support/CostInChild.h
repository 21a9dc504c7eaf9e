// What one piece of work costs, measured honestly: it runs in a forked child (so a regression
// that eats gigabytes cannot take the test runner with it), timed there with steady_clock, and
// its memory is the child's peak resident set (VmHWM) minus its resident set before the work
// (the kernel starts a forked child's peak at its resident set). The child's address space is
// capped, and it is killed by its process id if it runs past the timeout.
//
// Thread contract: call from a test's main thread, with no other threads that hold locks the
// work needs (the child is a fork of the whole process).
#pragma once

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace dragoman::test {

struct ChildCost {
    bool finished = false; // the work returned within the timeout (and did not crash)
    double seconds = 0.0;  // wall time of the work
    long peakKb = 0;       // resident memory the work added at its peak
    std::string result;    // what the work returned (e.g. the refusal's message)
};

namespace detail {

// A /proc/self/status field in kB ("VmRSS", "VmHWM").
inline long statusKb(const std::string& field) {
    std::ifstream status("/proc/self/status");
    std::string key;
    long value = 0;
    std::string unit;
    while (status >> key) {
        if (key == field + ":") {
            status >> value >> unit;
            return value;
        }
        std::getline(status, unit);
    }
    return -1;
}

} // namespace detail

// Runs `work` in a child with an address space of at most `capBytes` more than the parent's.
inline ChildCost costInChild(const std::function<std::string()>& work,
                             std::chrono::milliseconds timeout = std::chrono::seconds(30),
                             long long capBytes = 2LL << 30) {
    int pipeFds[2];
    if (::pipe(pipeFds) != 0)
        return {};
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0)
        return {};
    if (pid == 0) {
        ::close(pipeFds[0]);
        // The cap: the address space now plus capBytes.
        long long pages = 0;
        {
            std::ifstream statm("/proc/self/statm");
            statm >> pages;
        }
        const rlimit cap{static_cast<rlim_t>(pages * ::sysconf(_SC_PAGESIZE) + capBytes),
                         static_cast<rlim_t>(pages * ::sysconf(_SC_PAGESIZE) + capBytes)};
        ::setrlimit(RLIMIT_AS, &cap);
        std::string line;
        try {
            const long before = detail::statusKb("VmRSS");
            const auto start = std::chrono::steady_clock::now();
            const auto result = work();
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const long peak = detail::statusKb("VmHWM");
            line = std::to_string(seconds) + " " + std::to_string(peak - before) + " " + result;
        } catch (...) {
            ::_exit(3);
        }
        const char* data = line.data();
        std::size_t left = line.size();
        while (left > 0) {
            const auto n = ::write(pipeFds[1], data, left);
            if (n <= 0)
                ::_exit(4);
            data += n;
            left -= static_cast<std::size_t>(n);
        }
        ::_exit(0);
    }
    ::close(pipeFds[1]);
    ChildCost cost;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    bool exited = false;
    while (std::chrono::steady_clock::now() < deadline) {
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!exited) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    }
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<std::size_t>(n));
    ::close(pipeFds[0]);
    if (!exited || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return cost;
    const auto first = text.find(' ');
    const auto second = text.find(' ', first + 1);
    if (first == std::string::npos || second == std::string::npos)
        return cost;
    cost.finished = true;
    cost.seconds = std::stod(text.substr(0, first));
    cost.peakKb = std::stol(text.substr(first + 1, second - first - 1));
    cost.result = text.substr(second + 1);
    return cost;
}

} // namespace dragoman::test

// A network namespace of the test's own, for what must not touch the machine's interfaces:
// `ip netns add dragoman-webrtc-PID`, a veth pair with both ends inside it (10.203.N.1/24 and
// 10.203.N.2/24) and its loopback up. The constructor moves the calling thread (the test's
// main thread) into it, so every program the test starts from there (Dragoman, Janus,
// Chromium, curl) and every socket it opens is inside; the destructor moves it back and
// deletes the namespace, pass or fail. Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN).
#pragma once

#include "support/ChildProcess.h"

#include <fcntl.h>
#include <sched.h>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace dragoman::test {

class NetworkNamespace {
public:
    explicit NetworkNamespace(const std::string& prefix = "dragoman-webrtc")
        : pid_(std::to_string(::getpid()))
        , name_(prefix + "-" + pid_)
        , a_("dwa" + pid_)
        , b_("dwb" + pid_)
        , subnet_("10.203." + std::to_string(::getpid() % 250) + ".") {
        original_ = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (original_ < 0)
            throw std::runtime_error("cannot open this thread's network namespace");
        run("ip netns del " + name_ + " 2>/dev/null"); // a leftover of a killed run
        if (!run("ip netns add " + name_))
            throw std::runtime_error("ip netns add " + name_ + " failed (needs root)");
        created_ = true;
        const std::string in = "ip -n " + name_ + " ";
        if (!run(in + "link set lo up") ||
            !run(in + "link add " + a_ + " type veth peer name " + b_) ||
            !run(in + "addr add " + subnet_ + "1/24 dev " + a_) ||
            !run(in + "addr add " + subnet_ + "2/24 dev " + b_) ||
            !run(in + "link set " + a_ + " up") || !run(in + "link set " + b_ + " up"))
            throw std::runtime_error("cannot set up the veth pair in " + name_);
        const int fd = ::open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
            if (fd >= 0)
                ::close(fd);
            throw std::runtime_error("cannot enter " + name_);
        }
        ::close(fd);
        entered_ = true;
    }
    ~NetworkNamespace() {
        if (entered_)
            ::setns(original_, CLONE_NEWNET);
        if (original_ >= 0)
            ::close(original_);
        if (created_)
            run("ip netns del " + name_); // its veth pair goes with it
    }
    NetworkNamespace(const NetworkNamespace&) = delete;
    NetworkNamespace& operator=(const NetworkNamespace&) = delete;

    const std::string& name() const { return name_; }
    const std::string& interfaceA() const { return a_; } // 10.203.N.1
    std::string addressA() const { return subnet_ + "1"; }
    const std::string& interfaceB() const { return b_; } // 10.203.N.2
    std::string addressB() const { return subnet_ + "2"; }

private:
    static bool run(const std::string& command) { return std::system(command.c_str()) == 0; }

    std::string pid_, name_, a_, b_, subnet_;
    int original_ = -1;
    bool created_ = false;
    bool entered_ = false;
};

} // namespace dragoman::test

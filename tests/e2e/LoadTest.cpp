// End to end under load: the real `dragoman --headless` (virtual clock, demo session,
// listeners' server, recording) against ApacheBench, against a thousand slow clients on one
// port while a well-behaved client and the technician carry on, and against waves of a
// thousand live-stream listeners that come and go (its memory must not creep).
#include "e2e/DragomanProcess.h"
#include "support/ChildProcess.h"

#include <arpa/inet.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace dragoman;
using namespace dragoman::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// This test process needs a descriptor per attacking connection.
void raiseOwnDescriptorLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// A connection to loopback `port`; with `wait` false it may still be on its way (EINPROGRESS).
int connectTo(int port, int receiveBuffer = 0, bool wait = true) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (receiveBuffer > 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    if (!wait)
        fcntl(fd, F_SETFL, O_NONBLOCK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 &&
        (wait || errno != EINPROGRESS)) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

// A crowd of slow clients on one port, on a thread of its own until destroyed: half send a
// request body a byte at a time, half ask for an answer with a tiny receive window and read it
// a byte at a time; each reconnects as soon as the server lets it go, so the attack lasts.
class SlowCrowd {
public:
    SlowCrowd(int port, int count, std::string slowBodyHead, std::string slowReadRequest)
        : port_(port)
        , bodyHead_(std::move(slowBodyHead))
        , readRequest_(std::move(slowReadRequest))
        , fds_(static_cast<std::size_t>(count), -1)
        , sent_(static_cast<std::size_t>(count), false)
        , thread_([this] { run(); }) {}
    ~SlowCrowd() {
        stop_ = true;
        thread_.join();
        for (int fd : fds_)
            if (fd >= 0)
                close(fd);
    }
    int reconnects() const { return reconnects_; }

private:
    void open(std::size_t i) {
        if (fds_[i] >= 0)
            close(fds_[i]);
        const bool reader = i % 2 == 1;
        fds_[i] = connectTo(port_, reader ? 1024 : 0, false);
        sent_[i] = false;
        if (fds_[i] >= 0)
            ++reconnects_;
    }
    // Sends the request once the connection is up; false when it has failed.
    bool request(std::size_t i) {
        const std::string& request = i % 2 == 1 ? readRequest_ : bodyHead_;
        if (send(fds_[i], request.data(), request.size(), MSG_NOSIGNAL) > 0)
            sent_[i] = true;
        else if (errno != EAGAIN && errno != ENOTCONN && errno != EINPROGRESS)
            return false;
        return true;
    }
    void run() {
        for (std::size_t i = 0; i < fds_.size() && !stop_; ++i)
            open(i);
        while (!stop_) {
            std::this_thread::sleep_for(100ms);
            for (std::size_t i = 0; i < fds_.size() && !stop_; ++i) {
                if (fds_[i] < 0) {
                    open(i);
                    continue;
                }
                if (!sent_[i]) {
                    if (!request(i))
                        open(i);
                    continue;
                }
                bool gone = false;
                if (i % 2 == 0) {
                    gone = send(fds_[i], "x", 1, MSG_NOSIGNAL) < 0 && errno != EAGAIN;
                } else {
                    char byte = 0;
                    const auto n = recv(fds_[i], &byte, 1, 0);
                    gone = n == 0 || (n < 0 && errno != EAGAIN);
                }
                char peek[256];
                if (!gone && i % 2 == 0) { // an answer (408) or the end for a slow body
                    const auto n = recv(fds_[i], peek, sizeof peek, 0);
                    gone = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
                }
                if (gone)
                    open(i);
            }
        }
    }

    int port_;
    std::string bodyHead_;
    std::string readRequest_;
    std::vector<int> fds_;
    std::vector<bool> sent_; // the request (or its head) has gone out
    std::atomic<bool> stop_{false};
    std::atomic<int> reconnects_{0};
    std::thread thread_;
};

long residentKib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

struct Running {
    Running()
        : listenPort(freeLoopbackPortPair())
        , recordings(std::filesystem::temp_directory_path() /
                     ("dragoman-load-" + std::to_string(getpid())))
        , dragoman({"--audio", "virtual", "--demo", "--listen",
                    "127.0.0.1:" + std::to_string(listenPort), "--record", recordings.string()}) {
        dragoman.waitFor([](const json& s) { return !s.is_null(); }, 8s);
        const std::string api = dragoman.api("");
        apiPort = std::stoi(api.substr(api.rfind(':') + 1));
    }
    ~Running() {
        std::error_code ignored;
        std::filesystem::remove_all(recordings, ignored);
    }
    std::string listeners(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(listenPort) + path;
    }

    TokenEnvironment token;
    int listenPort;
    std::filesystem::path recordings;
    Dragoman dragoman;
    int apiPort = 0;
};

} // namespace

TEST_CASE("ApacheBench, HTTP/1.0 with and without keep-alive, gets every answer on both ports") {
    Running run;
    INFO(run.dragoman.output());
    for (const std::string& url : {run.dragoman.api("/state"), run.listeners("/channels.json")}) {
        for (const char* keepAlive : {"", "-k "}) {
            INFO(keepAlive << url);
            // -l: /api/state's length varies with its meters; that is no failure.
            const std::string out = capture(std::string("timeout 60 ab ") + keepAlive +
                                            "-l -n 1000 -c 20 " + url + " 2>&1");
            INFO(out);
            CHECK(out.find("Complete requests:      1000") != std::string::npos);
            CHECK(out.find("Failed requests:        0") != std::string::npos);
            CHECK(out.find("Non-2xx") == std::string::npos);
        }
        // curl --http1.0: the server closes after the answer (curl says so with -v).
        const std::string curl = capture("curl -sv --http1.0 -m 5 -o /dev/null " + url + " 2>&1");
        INFO(curl);
        CHECK(curl.find("< HTTP/1.1 200 OK") != std::string::npos);
        CHECK(curl.find("< Connection: close") != std::string::npos);
    }
}

TEST_CASE("A thousand slow clients on a port do not lock out a well-behaved client or the "
          "technician") {
    raiseOwnDescriptorLimit();
    Running run;
    INFO(run.dragoman.output());
    struct Port {
        int port;
        std::string wellBehaved; // what a well-behaved client asks for
    };
    for (const auto& [port, url] : {Port{run.apiPort, run.dragoman.api("/state")},
                                    Port{run.listenPort, run.listeners("/channels.json")}}) {
        INFO(url);
        const auto start = std::chrono::steady_clock::now();
        int asked = 0;
        int answered = 0;
        int writes = 0;
        int written = 0;
        int reconnects = 0;
        {
            SlowCrowd crowd(port, 1000,
                            "POST /api/desks/en/1 HTTP/1.1\r\nHost: x\r\nContent-Length: "
                            "60000\r\n\r\n{",
                            "GET /api/state HTTP/1.1\r\n\r\nGET /channels.json HTTP/1.1\r\n\r\n");
            std::this_thread::sleep_for(1500ms); // the crowd fills the port
            while (std::chrono::steady_clock::now() - start < 12s) {
                ++asked;
                answered += http("GET", url).status == 200;
                if (port == run.apiPort && asked % 4 == 0) {
                    ++writes;
                    written +=
                        run.dragoman.post("/desks/en/1", {{"volume", -(asked % 12)}}).status == 200;
                }
                std::this_thread::sleep_for(50ms);
            }
            reconnects = crowd.reconnects();
        }
        const auto state = run.dragoman.state();
        INFO(state["api"].dump() << "\n" << state["listeners"].dump());
        WARN(asked << " asked, " << answered << " answered; " << writes << " writes, " << written
                   << " applied; the crowd connected " << reconnects << " times");
        CHECK(reconnects > 1500); // the server let slow clients go, and they came back
        CHECK(answered * 100 >= asked * 95);
        CHECK(written == writes);
    }
    const auto connections = run.dragoman.state()["api"]["connections"];
    CHECK(connections["evicted"].get<int>() + connections["slowRequests"].get<int>() > 0);
}

TEST_CASE("Waves of a thousand stream listeners leave the router no larger") {
    raiseOwnDescriptorLimit();
    Running run;
    INFO(run.dragoman.output());
    const pid_t pid = run.dragoman.process().pid();
    std::vector<long> after; // resident KiB at the end of each round
    for (int round = 0; round < 5; ++round) {
        std::vector<int> fds;
        for (int i = 0; i < 1000; ++i) {
            const int fd = connectTo(run.listenPort + 1);
            REQUIRE(fd >= 0);
            const std::string request = "GET /stream/en.opus HTTP/1.0\r\n\r\n";
            send(fd, request.data(), request.size(), MSG_NOSIGNAL);
            fds.push_back(fd);
        }
        // Every listener gets its stream (the headers and pages), then they all leave. How soon
        // is not this test's business (a loaded machine takes a second or more for a thousand):
        // each gets up to 15 s.
        std::vector<bool> heard(fds.size(), false);
        int streaming = 0;
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        while (streaming < 1000 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(100ms);
            for (std::size_t i = 0; i < fds.size(); ++i) {
                char buffer[4096];
                if (!heard[i] && recv(fds[i], buffer, sizeof buffer, 0) > 0) {
                    heard[i] = true;
                    ++streaming;
                }
            }
        }
        for (int fd : fds)
            close(fd);
        CHECK(streaming == 1000);
        std::this_thread::sleep_for(2000ms); // the router hands freed memory back after 1 s
        after.push_back(residentKib(pid));
    }
    WARN("resident KiB after each round: " << json(after).dump());
    CHECK(after[4] - after[1] <= 2048);
    CHECK(run.dragoman.state()["listeners"]["streams"]["served"].get<int>() >= 5000);
}

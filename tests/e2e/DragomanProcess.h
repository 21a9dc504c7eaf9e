// The e2e tests' view of a running `dragoman --headless`: the binary on a free loopback API
// port with a JACK client name of its own, and the HTTP calls the tests make to it. It is
// stopped by its process id when the test ends (test::ChildProcess).
#pragma once

#include "support/ChildProcess.h"
#include "support/Http.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dragoman::test {

using nlohmann::json;
using namespace std::chrono_literals;

inline const std::string kToken = "e2e-token-3f9a1c7d5b2e8046";

// JACK client names must be unique machine-wide (tests run in parallel).
inline const std::string kClient = "dragoman-e2e-" + std::to_string(::getpid());
inline std::string port(const std::string& p) {
    return kClient + ":" + p;
}

inline std::string dragomanBinary() {
    return std::string(DRAGOMAN_BINARY_DIR) + "/app/dragoman/dragoman";
}
inline std::string tirana() {
    return std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/tirana.json";
}

// A running `dragoman --headless` with its API on a free loopback port.
class Dragoman {
public:
    // `launcher`: what runs the binary (e.g. {"pw-jack"}); none by default.
    explicit Dragoman(std::vector<std::string> extra, std::vector<std::string> launcher = {})
        : port_(freeLoopbackPort())
        , process_(arguments(std::move(extra), std::move(launcher)), logFile()) {}
    // On `port`: e.g. the port of a router this one replaces, as a restart does.
    Dragoman(std::vector<std::string> extra, int port)
        : port_(port)
        , process_(arguments(std::move(extra), {}), logFile()) {}
    int port() const { return port_; }

    std::string api(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + "/api" + path;
    }
    json state() const {
        const auto reply = http("GET", api("/state"));
        return reply.status == 200 ? json::parse(reply.body) : json();
    }
    HttpReply post(const std::string& path, const json& body,
                   const std::string& token = kToken) const {
        return http("POST", api(path), body.dump(), token);
    }
    // Polls the state until `ready` holds or `limit` passes; returns the time it took.
    template <typename Ready>
    std::chrono::milliseconds waitFor(Ready&& ready, std::chrono::milliseconds limit) const {
        const auto start = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - start < limit) {
            const auto s = state();
            if (!s.is_null() && ready(s))
                break;
            std::this_thread::sleep_for(50ms);
        }
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
    }
    std::string output() const { return process_.output(); }
    ChildProcess& process() { return process_; }

private:
    std::vector<std::string> arguments(std::vector<std::string> extra,
                                       std::vector<std::string> argv) const {
        argv.insert(argv.end(), {dragomanBinary(), "--headless", "--venue", tirana(), "--http",
                                 "127.0.0.1:" + std::to_string(port_), "--client-name", kClient});
        argv.insert(argv.end(), extra.begin(), extra.end());
        // A state file of the test's own (never the user's): fresh unless the test names one.
        if (std::find(extra.begin(), extra.end(), "--state") == extra.end()) {
            const auto state = std::string(DRAGOMAN_BINARY_DIR) + "/tests/e2e/state-" +
                               std::to_string(port_) + ".json";
            std::remove(state.c_str());
            argv.insert(argv.end(), {"--state", state});
        }
        return argv;
    }
    std::string logFile() const {
        return std::string(DRAGOMAN_BINARY_DIR) + "/tests/e2e/dragoman-" + std::to_string(port_) +
               ".log";
    }

    int port_;
    ChildProcess process_;
};

inline bool onDevice(const json& s) {
    return s["device"]["clock"] == "device" && s["device"]["state"] == "running";
}

struct TokenEnvironment {
    TokenEnvironment() { ::setenv("DRAGOMAN_TOKEN", kToken.c_str(), 1); }
    ~TokenEnvironment() { ::unsetenv("DRAGOMAN_TOKEN"); }
};

} // namespace dragoman::test

// A Janus server of the test's own (Debian's `janus`), as a venue runs one on another machine:
// its configuration written by the test into a temporary folder (the HTTP transport on
// `address`:`apiPort` with an API secret, only the streaming plugin, with an admin_key and no
// mountpoints, ICE on one interface, its own media port range), the program started and
// stopped by process id (SIGTERM, SIGKILL fallback), pass or fail. kill() is a SIGKILL now;
// start() runs it again on the same configuration. `call()` speaks its HTTP API through curl.
#pragma once

#include "support/ChildProcess.h"
#include "support/Http.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>

namespace dragoman::test {

struct JanusSettings {
    std::string address; // the HTTP API's address (and where its RTP is received)
    int apiPort = 8088;
    std::string iceInterface; // ice_enforce_list
    int mediaPortMin = 20000; // WebRTC media
    int mediaPortMax = 20999;
    std::string apiSecret = "external-janus-secret";
    std::string adminKey = "external-janus-admin-key";
};

class JanusInstance {
public:
    explicit JanusInstance(JanusSettings settings)
        : settings_(std::move(settings)) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "dragoman-janus-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("cannot make a Janus folder");
        folder_ = pattern;
        writeConfig();
        start();
    }
    ~JanusInstance() {
        process_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(folder_, ignored);
    }
    JanusInstance(const JanusInstance&) = delete;
    JanusInstance& operator=(const JanusInstance&) = delete;

    // Starts it (again) and waits until its API answers; throws when it does not in 10 s.
    void start() {
        process_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"janus", "--config=" + (folder_ / "janus.jcfg").string(),
                                     "--configs-folder=" + folder_.string(), "--disable-colors"},
            (folder_ / ("janus-" + std::to_string(++runs_) + ".log")).string());
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (http("GET", api() + "/info?apisecret=" + settings_.apiSecret).status != 200) {
            if (std::chrono::steady_clock::now() > deadline || !process_->running())
                throw std::runtime_error("Janus at " + api() + " did not start: " + log());
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    // SIGKILL by process id; reaped.
    void kill() {
        if (process_ && process_->running())
            ::kill(process_->pid(), SIGKILL);
        if (process_)
            process_->stop(std::chrono::milliseconds(2000));
    }
    pid_t pid() const { return process_ ? process_->pid() : -1; }
    std::string log() const { return process_ ? process_->output() : std::string(); }

    std::string api() const {
        return "http://" + settings_.address + ":" + std::to_string(settings_.apiPort) + "/janus";
    }
    const JanusSettings& settings() const { return settings_; }

    // A Janus API request (the secret added); the answer as JSON (null when none).
    nlohmann::json call(const std::string& path, nlohmann::json body) const {
        body["transaction"] = "test";
        body["apisecret"] = settings_.apiSecret;
        const auto reply = http("POST", api() + path, body.dump());
        return reply.status == 200 ? nlohmann::json::parse(reply.body, nullptr, false)
                                   : nlohmann::json();
    }
    // A synchronous streaming-plugin request on a session and handle of the test's own (made
    // again once when the server lost them: it was restarted); the plugin's answer
    // ("plugindata.data"), or Janus's error.
    nlohmann::json streaming(const nlohmann::json& request) {
        nlohmann::json answer;
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (!handle_) {
                const auto id = [](const nlohmann::json& reply) {
                    return reply.is_object() && reply.contains("data")
                               ? reply["data"].value("id", 0LL)
                               : 0LL;
                };
                session_ = id(call("", {{"janus", "create"}}));
                handle_ = id(call("/" + std::to_string(session_),
                                  {{"janus", "attach"}, {"plugin", "janus.plugin.streaming"}}));
            }
            answer = call("/" + std::to_string(session_) + "/" + std::to_string(handle_),
                          {{"janus", "message"}, {"body", request}});
            if (answer.is_object() && answer.contains("plugindata"))
                return answer["plugindata"]["data"];
            session_ = handle_ = 0;
        }
        return answer;
    }

private:
    static std::filesystem::path libFolder() {
        for (const auto& entry : std::filesystem::directory_iterator("/usr/lib")) {
            const auto folder = entry.path() / "janus";
            if (std::filesystem::exists(folder / "plugins" / "libjanus_streaming.so"))
                return folder;
        }
        throw std::runtime_error("no Janus installation (install the janus package)");
    }
    // Every module in `folder` but `keep`, for Janus's disable lists.
    static std::string allBut(const std::filesystem::path& folder, const std::string& keep) {
        std::string names;
        for (const auto& entry : std::filesystem::directory_iterator(folder)) {
            const auto name = entry.path().filename().string();
            if (entry.path().extension() == ".so" && name != keep)
                names += (names.empty() ? "" : ",") + name;
        }
        return names;
    }
    void writeConfig() const {
        const auto lib = libFolder();
        std::ofstream(folder_ / "janus.jcfg")
            << "general: {\n\tconfigs_folder = \"" << folder_.string() << "\"\n"
            << "\tplugins_folder = \"" << (lib / "plugins").string() << "\"\n"
            << "\ttransports_folder = \"" << (lib / "transports").string() << "\"\n"
            << "\tevents_folder = \"" << (lib / "events").string() << "\"\n"
            << "\tloggers_folder = \"" << (lib / "loggers").string() << "\"\n"
            << "\tdebug_level = 4\n\tapi_secret = \"" << settings_.apiSecret << "\"\n}\n"
            << "media: {\n\trtp_port_range = \"" << settings_.mediaPortMin << "-"
            << settings_.mediaPortMax << "\"\n}\n"
            << "nat: {\n\tnice_debug = false\n\tignore_mdns = true\n\tice_enforce_list = \""
            << settings_.iceInterface << "\"\n}\n"
            << "plugins: {\n\tdisable = \"" << allBut(lib / "plugins", "libjanus_streaming.so")
            << "\"\n}\n"
            << "transports: {\n\tdisable = \"" << allBut(lib / "transports", "libjanus_http.so")
            << "\"\n}\n"
            << "loggers: {\n\tdisable = \"" << allBut(lib / "loggers", "") << "\"\n}\n"
            << "events: {\n\tbroadcast = false\n\tdisable = \"" << allBut(lib / "events", "")
            << "\"\n}\n";
        std::ofstream(folder_ / "janus.transport.http.jcfg")
            << "general: {\n\tjson = \"plain\"\n\tbase_path = \"/janus\"\n\thttp = true\n"
            << "\tport = " << settings_.apiPort << "\n\tip = \"" << settings_.address
            << "\"\n\thttps = false\n}\nadmin: {\n\tadmin_http = false\n}\n";
        std::ofstream(folder_ / "janus.plugin.streaming.jcfg")
            << "general: {\n\tadmin_key = \"" << settings_.adminKey << "\"\n}\n";
    }

    JanusSettings settings_;
    std::filesystem::path folder_;
    std::unique_ptr<ChildProcess> process_;
    int runs_ = 0;
    long long session_ = 0;
    long long handle_ = 0;
};

} // namespace dragoman::test

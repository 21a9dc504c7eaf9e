// A real Icecast server for a test: icecast2 with a config of its own, listening on a free
// loopback port, its logs in a scratch folder. The constructor starts it and waits until it
// accepts connections; the destructor stops it by process id (SIGTERM, then SIGKILL), pass or
// fail. As root, icecast2 refuses to run unless it changes to another user, so the config
// says nobody/nogroup and the scratch folder is writable by everyone.
//
//   test::IcecastServer icecast("source-password");
//   icecast.port();  icecast.stop();  icecast.start();   // the server goes, and comes back
#pragma once

#include "support/ChildProcess.h"

#include <arpa/inet.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <netinet/in.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace dragoman::test {

class IcecastServer {
public:
    explicit IcecastServer(std::string password)
        : password_(std::move(password))
        , port_(freeLoopbackPort()) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "dragoman-icecast-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("cannot make a folder for icecast2");
        folder_ = pattern;
        ::chmod(folder_.c_str(), 0777); // icecast2 writes its logs as nobody
        writeConfig();
        start();
    }
    ~IcecastServer() {
        stop();
        std::error_code ignored;
        std::filesystem::remove_all(folder_, ignored);
    }
    IcecastServer(const IcecastServer&) = delete;
    IcecastServer& operator=(const IcecastServer&) = delete;

    int port() const { return port_; }
    std::string url(const std::string& mount) const {
        return "http://127.0.0.1:" + std::to_string(port_) + mount;
    }
    const std::string& password() const { return password_; }

    void start() {
        process_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"icecast2", "-c", (folder_ / "icecast.xml").string()},
            (folder_ / "stdout.log").string());
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!accepting()) {
            if (std::chrono::steady_clock::now() > deadline || !process_->running())
                throw std::runtime_error("icecast2 did not start: " + log());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    void stop() { process_.reset(); } // ChildProcess stops it by pid

    // Its error log (why a source was refused), for INFO().
    std::string log() const {
        std::ifstream in(folder_ / "error.log");
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()) +
               (process_ ? process_->output() : std::string());
    }

private:
    bool accepting() const {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<std::uint16_t>(port_));
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(fd);
        return ok;
    }

    void writeConfig() const {
        const std::string dir = folder_.string();
        std::ofstream config(folder_ / "icecast.xml");
        config << "<icecast>\n"
                  "  <location>loopback</location><admin>test@localhost</admin>\n"
                  "  <limits><clients>100</clients><sources>20</sources>"
                  "<queue-size>524288</queue-size><client-timeout>30</client-timeout>"
                  "<header-timeout>15</header-timeout><source-timeout>10</source-timeout>"
                  "<burst-on-connect>0</burst-on-connect></limits>\n"
                  "  <authentication><source-password>"
               << password_ << "</source-password><admin-user>admin</admin-user><admin-password>"
               << password_
               << "</admin-password></authentication>\n"
                  "  <hostname>127.0.0.1</hostname>\n"
                  "  <listen-socket><port>"
               << port_
               << "</port><bind-address>127.0.0.1</bind-address></listen-socket>\n"
                  "  <fileserve>1</fileserve>\n"
                  "  <paths><basedir>/usr/share/icecast2</basedir><logdir>"
               << dir << "</logdir><webroot>/usr/share/icecast2/web</webroot>"
               << "<adminroot>/usr/share/icecast2/admin</adminroot></paths>\n"
                  "  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog>"
                  "<loglevel>3</loglevel></logging>\n"
                  "  <security><chroot>0</chroot>"
               << (::getuid() == 0 ? "<changeowner><user>nobody</user><group>nogroup</group>"
                                     "</changeowner>"
                                   : "")
               << "</security>\n"
                  "</icecast>\n";
    }

    std::string password_;
    int port_;
    std::filesystem::path folder_;
    std::unique_ptr<ChildProcess> process_;
};

} // namespace dragoman::test

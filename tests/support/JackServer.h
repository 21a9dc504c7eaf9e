// A real JACK server for a test: `jackd -n NAME -R -d dummy -r 48000 -p 128 -C 16 -P 16`
// under a name of its own (so tests run in parallel), the real-time dummy driver as the clock.
// -R (real-time scheduling, which root has on these machines; jackd carries on without it
// where it is refused) rather than -r: on a busy 2-core machine a non-real-time graph xruns
// in about one run in three, a real-time one did not in any.
// The constructor starts it, waits until it takes clients and points JACK_DEFAULT_SERVER at
// it; the destructor kills it by process id (SIGTERM, then SIGKILL) even when the test fails.
// The server also dies with the thread that started it (PR_SET_PDEATHSIG), so a crashed test
// leaves no jackd behind: create it on the test's main thread.
//
//   test::JackServer server;              // JACK_DEFAULT_SERVER=server.name()
//   server.kill();  server.restart();     // fault tests: the server dies, and comes back
#pragma once

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dragoman::test {

class JackServer {
public:
    struct Options {
        int rate = 48000;
        int period = 128;
        int capture = 16; // the dummy driver's physical ports
        int playback = 16;
        bool realtime = true; // -R; false: -r
    };

    JackServer()
        : JackServer(Options{}) {}
    explicit JackServer(Options options)
        : options_(options)
        , name_(uniqueName()) {
        ::setenv("JACK_DEFAULT_SERVER", name_.c_str(), 1);
        start();
    }
    ~JackServer() {
        kill();
        std::error_code ignored;
        std::filesystem::remove(logPath(), ignored);
    }
    JackServer(const JackServer&) = delete;
    JackServer& operator=(const JackServer&) = delete;

    const std::string& name() const { return name_; }
    pid_t pid() const { return pid_; }
    bool running() const { return pid_ > 0; }

    // Stops the server: SIGTERM (JACK's clean shutdown), SIGKILL after `grace`. Waits for it.
    void kill(std::chrono::milliseconds grace = std::chrono::milliseconds(2000)) {
        if (pid_ <= 0)
            return;
        ::kill(pid_, SIGTERM);
        if (!reap(grace)) {
            ::kill(pid_, SIGKILL);
            reap(std::chrono::milliseconds(5000));
        }
        pid_ = -1;
        removeLeftovers();
    }

    // Kills the server at once (SIGKILL): a crash rather than a shutdown.
    void crash() {
        if (pid_ <= 0)
            return;
        ::kill(pid_, SIGKILL);
        reap(std::chrono::milliseconds(5000));
        pid_ = -1;
        removeLeftovers();
    }

    // Starts the server again under the same name.
    void restart() {
        kill();
        start();
    }

private:
    static std::string uniqueName() {
        static int counter = 0;
        return "dragoman-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    }

    static std::string findProgram(const std::string& program) {
        const char* path = std::getenv("PATH");
        std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
        std::size_t begin = 0;
        while (begin <= dirs.size()) {
            const std::size_t end = std::min(dirs.find(':', begin), dirs.size());
            const std::string candidate = dirs.substr(begin, end - begin) + "/" + program;
            if (::access(candidate.c_str(), X_OK) == 0)
                return candidate;
            begin = end + 1;
        }
        throw std::runtime_error(program + " not found on PATH (Debian package jackd2)");
    }

    // Forks and execs `args` with stdout and stderr into `log` (or silenced); `tieToParent`
    // kills the child when the thread that forked it ends. Only async-signal-safe calls after
    // fork().
    static pid_t spawn(const std::vector<std::string>& args, bool tieToParent,
                       const std::string& log = "/dev/null") {
        const std::string program = findProgram(args.front());
        std::vector<char*> argv;
        for (const std::string& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid < 0)
            throw std::runtime_error("fork failed");
        if (pid == 0) {
            if (tieToParent) {
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (::getppid() != parent)
                    ::_exit(1);
            }
            const int in = ::open("/dev/null", O_RDONLY);
            const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (in >= 0)
                ::dup2(in, STDIN_FILENO);
            if (out >= 0) {
                ::dup2(out, STDOUT_FILENO);
                ::dup2(out, STDERR_FILENO);
            }
            ::execv(program.c_str(), argv.data());
            ::_exit(127);
        }
        return pid;
    }

    // Waits up to `limit` for the server to exit; true when it has (and is reaped).
    bool reap(std::chrono::milliseconds limit) {
        const auto until = std::chrono::steady_clock::now() + limit;
        for (;;) {
            int status = 0;
            const pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_ || r < 0)
                return true;
            if (std::chrono::steady_clock::now() > until)
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }

    void start() {
        pid_ = spawn({"jackd", "-n", name_, options_.realtime ? "-R" : "-r", "-d", "dummy", "-r",
                      std::to_string(options_.rate), "-p", std::to_string(options_.period), "-C",
                      std::to_string(options_.capture), "-P", std::to_string(options_.playback)},
                     true, logPath());
        // jack_wait -w polls until the server takes clients (or gives up after 5 s).
        // Client names must be unique machine-wide: libjack names a client's socket after the
        // client alone (/dev/shm/jack_CLIENT_UID_0), whatever its server, so two clients of one
        // name that open at once on two servers collide.
        const pid_t waiter =
            spawn({"jack_wait", "-s", name_, "-n", "wait-" + name_, "-w", "-t", "5"}, true);
        int status = 0;
        ::waitpid(waiter, &status, 0);
        int serverStatus = 0;
        const bool serverDied = ::waitpid(pid_, &serverStatus, WNOHANG) == pid_;
        if (serverDied || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (serverDied)
                pid_ = -1;
            kill();
            throw std::runtime_error("the JACK server " + name_ + " did not start:\n" + readLog());
        }
    }

    // A killed server leaves its socket and semaphores in /dev/shm.
    void removeLeftovers() const {
        std::error_code error;
        for (const auto& entry : std::filesystem::directory_iterator("/dev/shm", error)) {
            const std::string file = entry.path().filename().string();
            const bool socket = file.rfind("jack_" + name_ + "_", 0) == 0;
            const bool semaphore = file.rfind("jack_sem.", 0) == 0 &&
                                   file.find("_" + name_ + "_") != std::string::npos;
            if (socket || semaphore)
                std::filesystem::remove(entry.path(), error);
        }
    }

    std::string logPath() const {
        return (std::filesystem::temp_directory_path() / (name_ + ".log")).string();
    }

    std::string readLog() const {
        std::ifstream in(logPath());
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

    Options options_;
    std::string name_;
    pid_t pid_ = -1;
};

} // namespace dragoman::test

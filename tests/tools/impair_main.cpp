// dragoman-impair: a UDP relay that drops, delays, reorders and duplicates packets (see
// tests/support/ImpairmentProxy.h), for soak runs of the listener through a bad network.
//
//   dragoman-impair --listen PORT --to ADDR:PORT [--loss PCT] [--delay-ms MS] [--jitter-ms MS]
//                   [--reorder PCT] [--duplicate PCT] [--seed N]
//
// It runs until SIGINT/SIGTERM and then prints what it did.
#include "support/ImpairmentProxy.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

std::atomic<bool> quit{false};

void onSignal(int) {
    quit = true;
}

[[noreturn]] void usage() {
    std::fprintf(stderr, "usage: dragoman-impair --listen PORT --to ADDR:PORT [--loss PCT] "
                         "[--delay-ms MS] [--jitter-ms MS] [--reorder PCT] [--duplicate PCT] "
                         "[--seed N]\n");
    std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
    dragoman::test::Impairment impairment;
    int listen = -1;
    std::string toAddress;
    int toPort = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        const char* value = argv[i + 1];
        if (option == "--listen") {
            listen = std::atoi(value);
        } else if (option == "--to") {
            const std::string to = value;
            const auto colon = to.rfind(':');
            if (colon == std::string::npos)
                usage();
            toAddress = to.substr(0, colon);
            toPort = std::atoi(to.c_str() + colon + 1);
        } else if (option == "--loss") {
            impairment.lossPercent = std::atof(value);
        } else if (option == "--delay-ms") {
            impairment.delayMs = std::atof(value);
        } else if (option == "--jitter-ms") {
            impairment.jitterMs = std::atof(value);
        } else if (option == "--reorder") {
            impairment.reorderPercent = std::atof(value);
        } else if (option == "--duplicate") {
            impairment.duplicatePercent = std::atof(value);
        } else if (option == "--seed") {
            impairment.seed = static_cast<std::uint32_t>(std::strtoul(value, nullptr, 10));
        } else {
            usage();
        }
    }
    if (argc % 2 == 0 || listen <= 0 || listen > 65535 || toPort <= 0 || toPort > 65535)
        usage();
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    try {
        dragoman::test::ImpairmentProxy proxy(static_cast<std::uint16_t>(listen), toAddress,
                                              static_cast<std::uint16_t>(toPort), impairment);
        proxy.start();
        std::printf("impair: 127.0.0.1:%d -> %s:%d loss %.1f %% delay %.1f ms jitter %.1f ms "
                    "reorder %.1f %% duplicate %.1f %% seed %u\n",
                    listen, toAddress.c_str(), toPort, impairment.lossPercent, impairment.delayMs,
                    impairment.jitterMs, impairment.reorderPercent, impairment.duplicatePercent,
                    impairment.seed);
        std::fflush(stdout);
        while (!quit)
            ::usleep(100000);
        proxy.stop();
        const auto s = proxy.stats();
        std::printf("impair: received %llu sent %llu dropped %llu reordered %llu duplicated %llu\n",
                    static_cast<unsigned long long>(s.received),
                    static_cast<unsigned long long>(s.sent),
                    static_cast<unsigned long long>(s.dropped),
                    static_cast<unsigned long long>(s.reordered),
                    static_cast<unsigned long long>(s.duplicated));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "impair: %s\n", e.what());
        return 1;
    }
    return 0;
}

// dragoman-latency-probe: measures the latency of an audio path on a JACK server, through any
// codec (jack_iodelay's test signal does not survive a speech codec's band limit). A JACK
// client "latency-probe" plays a 20 ms Hann-windowed chirp (300-3400 Hz) every 500 ms on
// latency-probe:out and records latency-probe:in; the path under test joins them. It then finds
// each chirp in the recording by cross-correlation and prints the median delay:
//
//   dragoman-latency-probe [SECONDS]        (default 6; connect the ports while it waits)
//   -> "latency: 463 frames 9.65 ms (median of 11 chirps, spread 2 frames)"
//
// The delay counts like jack_iodelay's: a plain pass-through client measures one period.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <jack/jack.h>
#include <thread>
#include <vector>

namespace {

constexpr double kPi = 3.14159265358979323846;

struct Probe {
    jack_port_t* out = nullptr;
    jack_port_t* in = nullptr;
    std::vector<float> chirp;
    std::vector<float> recorded;
    std::size_t period = 24000; // a chirp every 500 ms
    std::atomic<std::size_t> position{0};
    std::atomic<bool> armed{false};
};

int process(jack_nframes_t frames, void* arg) {
    auto& p = *static_cast<Probe*>(arg);
    auto* out = static_cast<float*>(jack_port_get_buffer(p.out, frames));
    const auto* in = static_cast<const float*>(jack_port_get_buffer(p.in, frames));
    if (!p.armed.load(std::memory_order_acquire)) {
        std::fill_n(out, frames, 0.0f);
        return 0;
    }
    std::size_t pos = p.position.load(std::memory_order_relaxed);
    for (jack_nframes_t i = 0; i < frames; ++i, ++pos) {
        const std::size_t phase = pos % p.period;
        out[i] = phase < p.chirp.size() ? p.chirp[phase] : 0.0f;
        if (pos < p.recorded.size())
            p.recorded[pos] = in[i];
    }
    p.position.store(pos, std::memory_order_release);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 6.0;
    jack_status_t status;
    jack_client_t* client = jack_client_open("latency-probe", JackNoStartServer, &status);
    if (!client) {
        std::fprintf(stderr, "latency-probe: no JACK server\n");
        return 1;
    }
    const double rate = jack_get_sample_rate(client);
    Probe p;
    const std::size_t n = static_cast<std::size_t>(0.020 * rate);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / rate;
        const double f0 = 300.0, f1 = 3400.0, T = 0.020;
        const double phase = 2 * kPi * (f0 * t + (f1 - f0) * t * t / (2 * T));
        const double w = 0.5 - 0.5 * std::cos(2 * kPi * static_cast<double>(i) / (n - 1));
        p.chirp.push_back(static_cast<float>(0.3 * w * std::sin(phase)));
    }
    p.period = static_cast<std::size_t>(0.5 * rate);
    p.recorded.assign(static_cast<std::size_t>(seconds * rate), 0.0f);
    p.out = jack_port_register(client, "out", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
    p.in = jack_port_register(client, "in", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
    jack_set_process_callback(client, process, &p);
    if (!p.out || !p.in || jack_activate(client) != 0) {
        std::fprintf(stderr, "latency-probe: cannot start the JACK client\n");
        return 1;
    }
    std::printf("latency-probe: ready\n");
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::seconds(2)); // time to connect the ports
    p.armed.store(true, std::memory_order_release);
    while (p.position.load(std::memory_order_acquire) < p.recorded.size())
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    jack_deactivate(client);
    jack_client_close(client);

    // Each chirp's delay: the lag (0..400 ms) where the recording matches it best.
    std::vector<long> delays;
    const std::size_t maxLag = static_cast<std::size_t>(0.4 * rate);
    for (std::size_t start = 0; start + maxLag + n < p.recorded.size(); start += p.period) {
        double best = 0.0;
        std::size_t bestLag = 0;
        for (std::size_t lag = 0; lag < maxLag; ++lag) {
            double c = 0.0;
            for (std::size_t i = 0; i < n; ++i)
                c += static_cast<double>(p.chirp[i]) * p.recorded[start + lag + i];
            if (c > best) {
                best = c;
                bestLag = lag;
            }
        }
        if (best > 0.05) // a chirp came through (its energy is about 0.43)
            delays.push_back(static_cast<long>(bestLag));
    }
    if (delays.empty()) {
        std::printf("latency: none (no chirp came through)\n");
        return 2;
    }
    std::sort(delays.begin(), delays.end());
    const long median = delays[delays.size() / 2];
    std::printf("latency: %ld frames %.2f ms (median of %zu chirps, spread %ld frames)\n", median,
                static_cast<double>(median) * 1000.0 / rate, delays.size(),
                delays.back() - delays.front());
    return 0;
}

// The console as `dragoman` runs it, on the Tirana venue, with the engine driven by its own
// "audio" thread (process() on 128-frame blocks about every 2.7 ms, i.e. real time) that plays
// sines on chosen inputs, the encoder thread feeding the loudness meters from the taps, and a
// ConsoleWindow on Qt's offscreen platform.
#pragma once

#include "console/ConsoleWindow.h"
#include "control/EngineController.h"
#include "core/Engine.h"
#include "loudness/LoudnessMeter.h"
#include "stream/EncoderThread.h"
#include "venue/VenueFile.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace dragoman::test {

inline venue::Venue tiranaVenue() {
    return venue::load(std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/tirana.json");
}

// Runs the event loop until `done()` or `timeoutMs` has passed; returns done().
inline bool waitUntil(const std::function<bool()>& done, int timeoutMs = 5000) {
    QElapsedTimer elapsed;
    elapsed.start();
    while (!done() && elapsed.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(2, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return done();
}

inline void spin(int ms) {
    QElapsedTimer elapsed;
    elapsed.start();
    waitUntil([&] { return elapsed.elapsed() >= ms; }, ms + 1000);
}

// A sine on one device input: frequency (Hz), peak level (dBFS), and an optional slow
// amplitude wobble (0..1) so that meters move like speech.
struct Tone {
    int input = 0;
    double hz = 1000.0;
    double peakDb = -20.0;
    double wobble = 0.0;
};

class TonePump {
public:
    TonePump(core::Engine& engine, std::vector<Tone> tones)
        : engine_(engine)
        , tones_(std::move(tones)) {
        const auto& venue = engine.venue();
        buffers_.assign(tones_.size(), std::vector<float>(kBlock, 0.0f));
        silence_.assign(kBlock, 0.0f);
        inputs_.assign(static_cast<std::size_t>(venue.deviceInputs), silence_.data());
        for (std::size_t t = 0; t < tones_.size(); ++t)
            inputs_[static_cast<std::size_t>(tones_[t].input)] = buffers_[t].data();
        outputBuffers_.assign(static_cast<std::size_t>(venue.deviceOutputs),
                              std::vector<float>(kBlock, 0.0f));
        for (auto& buffer : outputBuffers_)
            outputs_.push_back(buffer.data());
        thread_ = std::thread([this, rate = venue.sampleRate] { run(rate); });
    }
    ~TonePump() { stop(); }
    TonePump(const TonePump&) = delete;
    TonePump& operator=(const TonePump&) = delete;

    void stop() {
        running_.store(false);
        if (thread_.joinable())
            thread_.join();
    }

private:
    static constexpr std::size_t kBlock = 128;

    void run(int rate) {
        constexpr double kTwoPi = 6.283185307179586;
        std::uint64_t frame = 0;
        auto next = std::chrono::steady_clock::now();
        const auto period =
            std::chrono::microseconds(kBlock * 1'000'000 / static_cast<unsigned>(rate));
        while (running_.load()) {
            for (std::size_t t = 0; t < tones_.size(); ++t) {
                const auto& tone = tones_[t];
                const double amplitude = std::pow(10.0, tone.peakDb / 20.0);
                for (std::size_t k = 0; k < kBlock; ++k) {
                    const double time = static_cast<double>(frame + k) / rate;
                    const double envelope =
                        1.0 -
                        tone.wobble * 0.5 *
                            (1.0 + std::sin(kTwoPi * (0.7 + 0.37 * static_cast<double>(t)) * time));
                    buffers_[t][k] = static_cast<float>(amplitude * envelope *
                                                        std::sin(kTwoPi * tone.hz * time));
                }
            }
            engine_.process(inputs_.data(), outputs_.data(), kBlock);
            frame += kBlock;
            next += period;
            std::this_thread::sleep_until(next);
        }
    }

    core::Engine& engine_;
    std::vector<Tone> tones_;
    std::vector<std::vector<float>> buffers_;
    std::vector<float> silence_;
    std::vector<const float*> inputs_;
    std::vector<std::vector<float>> outputBuffers_;
    std::vector<float*> outputs_;
    std::atomic<bool> running_{true};
    std::thread thread_;
};

// What the tests' device layer reports.
inline device::DeviceStatus testDevice() {
    device::DeviceStatus s;
    s.clock = device::Clock::Device;
    s.state = device::State::Running;
    s.requested = "jack";
    s.hostApi = "JACK Audio Connection Kit";
    s.device = "system";
    s.sampleRate = 48000.0;
    s.blockSize = 128;
    s.inputLatencyMs = 2.7;
    s.outputLatencyMs = 2.7;
    s.cpuLoad = 0.04;
    s.callbacks = 1000;
    return s;
}

class ConsoleFixture {
public:
    explicit ConsoleFixture(std::vector<Tone> tones, std::filesystem::path venueFile = {})
        : venue(tiranaVenue())
        , engine(venue)
        , controller(engine)
        , loudness(static_cast<int>(venue.channels.size()), venue.sampleRate)
        , encoders(engine) {
        encoders.attachPcm(loudness);
        encoders.start();
        pump = std::make_unique<TonePump>(engine, std::move(tones));
        console::ConsoleSources sources;
        sources.controller = &controller;
        sources.device = [this] { return device; };
        sources.listeners = [](int channel) { return channel * 3; };
        sources.loudness = &loudness;
        sources.venueFile = std::move(venueFile);
        window = std::make_unique<console::ConsoleWindow>(sources);
        window->show();
    }
    ~ConsoleFixture() {
        window.reset();
        pump->stop();
        encoders.stop();
    }

    int desk(const char* id) const { return *venue.deskIndex(id); }
    int channel(const char* code) const { return *venue.channelIndex(code); }

    // Sends a command and waits for its answer.
    control::CommandAnswer command(const core::Command& c) {
        control::CommandAnswer answer;
        bool done = false;
        controller.submit(c, [&](const control::CommandAnswer& a) {
            answer = a;
            done = true;
        });
        waitUntil([&] { return done; });
        return answer;
    }

    // Waits until the routing satisfies `condition`, then lets the console refresh.
    bool waitForRouting(const std::function<bool(const core::RoutingState&)>& condition) {
        const bool ok = waitUntil([&] { return condition(controller.routing()); });
        window->refresh();
        return ok;
    }

    device::DeviceStatus device = testDevice(); // what the console is told about the device
    venue::Venue venue;
    core::Engine engine;
    control::EngineController controller;
    loudness::LoudnessMeter loudness;
    stream::EncoderThread encoders;
    std::unique_ptr<TonePump> pump;
    std::unique_ptr<console::ConsoleWindow> window;
};

} // namespace dragoman::test

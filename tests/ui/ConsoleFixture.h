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
#include "support/QtWait.h"
#include "support/TiranaVenue.h"
#include "support/TonePump.h"
#include "venue/VenueFile.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dragoman::test {

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
        : ConsoleFixture(tiranaVenue(), std::move(tones), std::move(venueFile)) {}
    // On another venue (dcn-max.json for the large-venue layouts).
    ConsoleFixture(venue::Venue v, std::vector<Tone> tones, std::filesystem::path venueFile = {})
        : venue(std::move(v))
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
        sources.webrtc = [this] { return webrtc; };
        sources.panels = [this] { return panels; };
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
    std::vector<int> panels; // booth tablets per desk, as the router would count them
    console::ServiceLine webrtc{QStringLiteral("running · Janus 42 · 0 listeners"), true};
    venue::Venue venue;
    core::Engine engine;
    control::EngineController controller;
    loudness::LoudnessMeter loudness;
    stream::EncoderThread encoders;
    std::unique_ptr<TonePump> pump;
    std::unique_ptr<console::ConsoleWindow> window;
};

} // namespace dragoman::test

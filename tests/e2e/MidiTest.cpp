// End to end with MIDI: the real `dragoman --headless --midi default` on a JACK server opens its
// virtual MIDI ports, and a software controller (an RtMidi client of the test) playing the
// generic default mapping into them takes desks live, as the HTTP API then shows.
#include "e2e/DragomanProcess.h"
#include "support/JackServer.h"

#include <catch2/catch.hpp>
#include <rtmidi/RtMidi.h>
#include <thread>

using namespace dragoman;
using namespace dragoman::test;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("With --midi default, a note on Dragoman's MIDI input takes the desk live") {
    JackServer server;
    TokenEnvironment token;
    Dragoman dragoman({"--audio", "jack", "--midi", "default"});
    dragoman.waitFor(
        [](const json& s) { return onDevice(s) && s["midi"]["virtualIn"].is_string(); }, 10s);
    INFO(dragoman.output());
    const auto state = dragoman.state();
    REQUIRE(state["midi"].is_object());
    const std::string input = kClient + "-midi:in";
    CHECK(state["midi"]["virtualIn"] == input);

    RtMidiOut pad(RtMidi::UNIX_JACK, "pad-" + std::to_string(::getpid()));
    for (unsigned i = 0; i < pad.getPortCount(); ++i)
        if (pad.getPortName(i) == input)
            pad.openPort(i, "out");
    REQUIRE(pad.isPortOpen());

    // Generic default: notes 36 upward toggle the desks' mics in venue order; 37 = en.2.
    // (The first notes may go before JACK has made the connection: press until it is live.)
    const unsigned char on[3] = {0x90, 37, 100};
    const unsigned char off[3] = {0x80, 37, 0};
    bool live = false;
    for (int i = 0; i < 20 && !live; ++i) {
        pad.sendMessage(on, 3);
        pad.sendMessage(off, 3);
        dragoman.waitFor([](const json& s) { return s["desks"]["en.2"]["mic"] == true; }, 500ms);
        live = dragoman.state()["desks"]["en.2"]["mic"] == true;
    }
    REQUIRE(live);
    CHECK(dragoman.state()["channels"]["en"]["sourceDesk"] == "en.2");
    // RtMidi's JACK output frees its ring buffer before it closes its client (see
    // MidiSurfaces::retire): the port closed, and a cycle let go by, before it is deleted.
    pad.closePort();
    std::this_thread::sleep_for(20ms);
}

// Fuzz target: arbitrary text as an offline render's event script (first byte even) or as the
// demo's session script (odd), against the Tirana venue. A refusal must be an
// EventScriptError (file, line, problem); any other exception, a crash or undefined behaviour
// is a finding.
#include "FuzzVenue.h"
#include "demo/DemoSession.h"
#include "render/EventScript.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dragoman;
    if (size == 0)
        return 0;
    const auto& venue = fuzz::tirana();
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        if (data[0] % 2 == 0) {
            const auto events = render::parseEventScript(text, venue, "fuzz.events");
            for (std::size_t i = 1; i < events.size(); ++i)
                if (events[i].time < events[i - 1].time)
                    __builtin_trap(); // the header promises time order
        } else {
            auto session = demo::DemoSession::parse(venue, text, "fuzz.events");
            session.due(0);
            session.due(session.loopFrames() + 1);
        }
    } catch (const render::EventScriptError&) {
    }
    return 0;
}

// The live demo as the tests use it: the Tirana venue, the committed session and clips (decoded
// once per test binary), and the speech alone (what DemoInput adds to silent inputs).
#pragma once

#include "demo/DemoClips.h"
#include "demo/DemoSession.h"
#include "demo/DemoSpeech.h"
#include "support/EngineHarness.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace dragoman::test {

inline const std::filesystem::path& demoFolder() {
    static const auto folder = std::filesystem::path(DRAGOMAN_SOURCE_DIR) / "resources" / "demo";
    return folder;
}

inline const venue::Venue& demoVenue() {
    static const auto venue = tirana();
    return venue;
}

inline const demo::DemoSession& demoSession() {
    static const demo::DemoSession session(demoVenue(), demoFolder() / "live.events");
    return session;
}

inline const demo::DemoClips& demoClips() {
    static const demo::DemoClips clips(demoFolder() / "clips", demoSession().clipNames());
    return clips;
}

// The speech on every device input for engine frames [frame, frame + frames), alone.
inline std::vector<std::vector<float>> speechAlone(const demo::DemoSpeech& speech,
                                                   std::uint64_t frame, std::size_t frames) {
    std::vector<std::vector<float>> inputs(static_cast<std::size_t>(demoVenue().deviceInputs),
                                           std::vector<float>(frames, 0.0f));
    std::vector<float*> pointers;
    for (auto& input : inputs)
        pointers.push_back(input.data());
    speech.addTo(pointers.data(), frame, frames);
    return inputs;
}

} // namespace dragoman::test

// Fuzz target: arbitrary text as a MIDI mapping file (first byte even) or as a learn-mode
// action (odd), resolved against the Tirana venue. A refusal must be a MappingError; any other
// exception, a crash or undefined behaviour is a finding. Every binding of a mapping that
// loads must be written back as text that loads again.
#include "FuzzVenue.h"
#include "midi/MappingFile.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dragoman;
    if (size == 0)
        return 0;
    const auto& venue = fuzz::tirana();
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        if (data[0] % 2 == 1) {
            midi::parseAction(text, venue);
            return 0;
        }
        const auto mapping = midi::parseMapping(text, "fuzz.json", venue);
        std::string bindings;
        for (const auto& binding : mapping.bindings)
            bindings += (bindings.empty() ? "" : ",") + midi::bindingText(binding, venue);
        try {
            midi::parseMapping("{\"name\": \"again\", \"bindings\": [" + bindings + "]}",
                               "again.json", venue);
        } catch (const midi::MappingError&) {
            __builtin_trap(); // a binding that loaded was written as one that does not
        }
    } catch (const midi::MappingError&) {
    }
    return 0;
}

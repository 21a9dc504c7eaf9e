#include "midi/Mapping.h"

#include <algorithm>
#include <cctype>

namespace dragoman::midi {

std::string describe(const Control& control) {
    return std::string(control.type == Control::Type::Note ? "note " : "cc ") +
           std::to_string(control.number) + " on MIDI channel " +
           std::to_string(control.channel + 1);
}

std::string_view toString(ActionKind kind) {
    switch (kind) {
    case ActionKind::Mic:
        return "mic";
    case ActionKind::Cough:
        return "cough";
    case ActionKind::Out:
        return "out";
    case ActionKind::In:
        return "in";
    case ActionKind::Preselect:
        return "preselect";
    case ActionKind::Volume:
        return "volume";
    case ActionKind::AutoFloor:
        return "autofloor";
    case ActionKind::Pfl:
        return "pfl";
    case ActionKind::ChannelTrim:
        return "channelTrim";
    case ActionKind::InputTrim:
        return "inputTrim";
    case ActionKind::Slow:
        return "slow";
    case ActionKind::Help:
        return "help";
    }
    return "?";
}

std::optional<ActionKind> actionKindFromString(std::string_view text) {
    for (int k = 0; k <= static_cast<int>(ActionKind::Help); ++k)
        if (toString(static_cast<ActionKind>(k)) == text)
            return static_cast<ActionKind>(k);
    return std::nullopt;
}

bool Mapping::matchesPort(std::string_view portName) const {
    if (ports.empty())
        return true;
    const auto lower = [](std::string_view s) {
        std::string out(s);
        std::transform(out.begin(), out.end(), out.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return out;
    };
    const auto port = lower(portName);
    return std::any_of(ports.begin(), ports.end(), [&](const std::string& fragment) {
        return port.find(lower(fragment)) != std::string::npos;
    });
}

} // namespace dragoman::midi

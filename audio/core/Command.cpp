#include "core/Command.h"

namespace dragoman::core {

std::string_view toString(Command::Kind kind) {
    switch (kind) {
    case Command::Kind::DeskMic:
        return "mic";
    case Command::Kind::DeskCough:
        return "cough";
    case Command::Kind::DeskOut:
        return "out";
    case Command::Kind::DeskIn:
        return "in";
    case Command::Kind::DeskVolume:
        return "volume";
    case Command::Kind::DeskBass:
        return "bass";
    case Command::Kind::DeskTreble:
        return "treble";
    case Command::Kind::ChannelAutoFloor:
        return "autofloor";
    case Command::Kind::BoothInterlock:
        return "interlock";
    case Command::Kind::BoothAutoRelay:
        return "autorelay";
    case Command::Kind::Monitor:
        return "monitor";
    case Command::Kind::ChannelTrim:
        return "channel trim";
    case Command::Kind::InputTrim:
        return "input trim";
    case Command::Kind::DeskCallKey:
        return "call";
    }
    return "?";
}

std::string_view toString(Refusal refusal) {
    switch (refusal) {
    case Refusal::None:
        return "none";
    case Refusal::ChannelEngaged:
        return "channel engaged";
    case Refusal::BoothEngaged:
        return "booth engaged";
    case Refusal::NoSuchSlot:
        return "no such outgoing channel";
    case Refusal::UnknownTarget:
        return "unknown desk, channel or booth";
    case Refusal::OutOfRange:
        return "value out of range";
    }
    return "?";
}

} // namespace dragoman::core

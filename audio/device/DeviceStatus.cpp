#include "device/DeviceStatus.h"

namespace dragoman::device {

std::string_view toString(Clock clock) {
    switch (clock) {
    case Clock::Device:
        return "device";
    case Clock::Virtual:
        return "virtual";
    }
    return "?";
}

std::string_view toString(State state) {
    switch (state) {
    case State::Stopped:
        return "stopped";
    case State::Running:
        return "running";
    case State::Reconnecting:
        return "reconnecting";
    }
    return "?";
}

} // namespace dragoman::device

// The routing state people see: who is live where, what every desk listens to, where every
// channel's audio comes from and with which quality tag. The engine publishes a copy after
// every change (Engine::routing()).
//
// Thread contract: plain values.
#pragma once

#include "core/Command.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace dragoman::core {

// Where a channel's audio comes from, as shown on every incoming-select key.
enum class QualityTag : std::uint8_t {
    Silent, // no live desk and auto-floor off
    Floor,  // the floor itself (channel 0, or auto-floor)
    Plus,   // interpreted from the floor ("+")
    Minus,  // interpreted from a relay: relay of relay ("−")
};

// "", "floor", "+", "−" (U+2212).
std::string_view toString(QualityTag tag);

struct DeskStatus {
    bool mic = false;   // the mic key is on; the desk owns outChannel
    bool cough = false; // cough key held
    Slot out = Slot::A;
    std::int32_t outChannel = -1; // channel of the selected slot
    std::int32_t in = 0;          // selected incoming channel (0 = floor)
    std::int32_t hearing = 0;     // the channel actually heard (auto-relay may replace the floor)
    float volumeDb = 0.0f;
    float bassDb = 0.0f;
    float trebleDb = 0.0f;
    std::uint32_t slowCalls = 0; // times the slow key was pressed
    std::uint32_t helpCalls = 0; // times the help key was pressed

    bool live() const { return mic; } // a desk whose mic is on owns its channel
};

struct ChannelStatus {
    std::int32_t sourceDesk = -1; // the live desk feeding it, -1 = none
    QualityTag tag = QualityTag::Floor;
    bool autoFloor = true;
    float trimDb = 0.0f; // the channel's trim (channel 0: the floor mix)
};

struct BoothStatus {
    InterlockMode interlock = InterlockMode::Override;
    bool autoRelay = false;
    std::int32_t liveDesk = -1; // the booth's live desk, -1 = none
};

struct RoutingState {
    std::vector<DeskStatus> desks;       // flat desk index
    std::vector<ChannelStatus> channels; // [0] = floor
    std::vector<BoothStatus> booths;
    std::vector<float> inputTrimDb; // per device input
    MonitorSource monitor = MonitorSource::Channel;
    std::int32_t monitorIndex = 0;
    std::int32_t pivotChannel = -1; // auto-relay: the channel replacing the floor, -1 = none
    std::uint64_t version = 0;      // increments with every accepted change
};

} // namespace dragoman::core

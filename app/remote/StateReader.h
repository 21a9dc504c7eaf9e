// Reading the router's state back: the inverse of control/StateJson.h. A remote console turns
// the WebSocket's state and meter frames into the values the console's widgets read in the
// router (core::RoutingState, a core::MeterBank, device::DeviceStatus), using the venue from
// the hello frame to turn ids ("en.1", "en", "floor") back into indices.
//
// Lenient by design: the router wrote the frame, so a field that is missing or of another type
// (a newer router, an older one) keeps its default and is counted in `problems`, never thrown.
//
// Thread contract: plain functions; any thread; allocate.
#pragma once

#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "device/DeviceStatus.h"
#include "venue/Venue.h"

#include <QJsonObject>
#include <vector>

namespace dragoman::remote {

// Everything besides the meters that a state frame tells the console.
struct RouterState {
    core::RoutingState routing;
    device::DeviceStatus device;
    std::vector<int> listeners; // per channel
    std::vector<int> panels;    // desk panels connected, per flat desk
    int problems = 0;           // fields that were missing or could not be read
};

// The state frame's "state" object (GET /api/state's body).
RouterState readState(const venue::Venue& venue, const QJsonObject& state);

// A meter frame's "meters" object (StateJson.h metersJson()), or a whole state (its meters sit
// under each desk, channel and floor mic): every reading found is stored into `meters`, which
// has the venue's shape. Returns how many readings could not be read.
int readMeters(const venue::Venue& venue, const QJsonObject& meters, core::MeterBank& bank);

// {peakDb, truePeakDb, rmsDb, clips}, silence where absent.
core::MeterReading readMeter(const QJsonObject& meter);

// GET /api/state's "device".
device::DeviceStatus readDevice(const QJsonObject& device);

} // namespace dragoman::remote

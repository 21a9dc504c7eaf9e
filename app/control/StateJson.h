// GET /api/state: the whole picture a technician's console or a script needs, as JSON: who is
// live where, what every desk hears, where every channel's audio comes from and with which
// quality tag, every meter and limiter, the audio device and the engine's counters.
//
// Ids are the ones people type: desks "en.1", channels and booths by code ("floor" for
// channel 0); a missing desk or channel is null.
//
// Thread contract: control thread (routing() belongs to it); allocates.
#pragma once

#include "core/Engine.h"
#include "core/MeterBank.h"
#include "core/RoutingState.h"
#include "device/DeviceStatus.h"
#include "venue/Venue.h"

#include <QJsonObject>
#include <QJsonValue>

namespace dragoman::control {

class EngineController;

QJsonObject stateJson(const venue::Venue& venue, const core::RoutingState& routing,
                      const core::MeterBank& meters, const core::Engine::Stats& stats,
                      const device::DeviceStatus& device);

// The same from a running controller (adds engine.pending: commands awaiting an answer).
QJsonObject stateJson(EngineController& controller, const device::DeviceStatus& device);

// Only the meters, in the state's shape: {"desks": {"en.1": {"meters": {mic, feed},
// "limiter"}}, "channels": {"en": meters}, "floorMics": [meters]} (the WebSocket's meter frames).
QJsonObject metersJson(const venue::Venue& venue, const core::MeterBank& meters);

// The venue as its file says it (venue::toJson), without its secrets (the control token, the
// Icecast server and its password, the Janus servers' API secrets, tokens and admin keys): the
// layout a remote console builds its windows from. It travels in the WebSocket's hello frame,
// to desk tokens' sessions too.
QJsonObject venueJson(const venue::Venue& venue);

// {clock, state, requested, hostApi, device, sampleRate, blockSize, inputLatencyMs, ...}
QJsonObject deviceStatusJson(const device::DeviceStatus& status);

// {peakDb, truePeakDb, rmsDb, clips}
QJsonObject meterJson(const core::MeterReading& reading);

// "en.1", or null for -1 and indices the venue does not have.
QJsonValue deskIdJson(const venue::Venue& venue, int flatDesk);
// "en", "floor", or null.
QJsonValue channelCodeJson(const venue::Venue& venue, int channel);

} // namespace dragoman::control

// The JACK backend: Dragoman as a JACK client of the running server (JACK_DEFAULT_SERVER or
// "default"), with ports <client>:in_0.. and <client>:out_0.. for every configured channel,
// connected to the device's ports (the server's physical ports, or those of a named JACK
// client). It talks to libjack directly rather than through PortAudio's JACK host API, which
// cannot be closed after the server dies (see JackStream.cpp).
//
// Thread contract: the control (supervisor) thread; JACK's process thread only runs the
// BlockRunner, wait-free.
#pragma once

#include "device/DeviceStream.h"

#include <string>

namespace dragoman::device {

inline constexpr const char* kJackHostApi = "JACK Audio Connection Kit";

// `device`: "" for the server's physical ports, else the name of the JACK client (a
// PortAudio "device" on the JACK host API) whose ports Dragoman's ports connect to.
OpenResult openJackStream(const AudioSettings& settings, BlockRunner& runner,
                          const std::string& device);

// True when a JACK server of that name ("" = JACK_DEFAULT_SERVER or "default") accepts a
// client now. Control thread; takes a few milliseconds.
bool jackServerRunning(const std::string& server);

} // namespace dragoman::device

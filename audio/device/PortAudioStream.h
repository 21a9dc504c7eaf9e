// The PortAudio backend: a full-duplex float32 non-interleaved stream on the device that
// settings.audio names ("default", or a device name on any host API), opened with
// paFramesPerBufferUnspecified so PortAudio adds no buffering of its own. The only code in
// Dragoman that includes portaudio.h.
//
// Thread contract: the control (supervisor) thread; PortAudio's callback thread only runs
// the BlockRunner, wait-free.
#pragma once

#include "device/DeviceStream.h"

#include <optional>
#include <string>

namespace dragoman::device {

struct PortAudioOpen {
    OpenResult result;
    // Set instead when the device is a client on PortAudio's JACK host API: its name, for
    // openJackStream (PortAudio's JACK streams cannot be closed once the server has died).
    std::optional<std::string> jackDevice;
};

PortAudioOpen openPortAudioStream(const AudioSettings& settings, BlockRunner& runner);

} // namespace dragoman::device

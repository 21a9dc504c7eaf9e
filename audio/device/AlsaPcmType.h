// What an ALSA PCM name stands for, from the ALSA configuration (alsa-lib): "default" may be a
// sound card ("hw"), or a plugin that hands the audio to a sound server ("pipewire", "pulse",
// "jack"). The device layer names the server in the device's description, so that the
// technician sees "default (on PipeWire)" rather than a bare "default".
//
// Thread contract: any thread but the audio thread (alsa-lib reads its configuration files).
#pragma once

#include <string>

namespace dragoman::device {

// The PCM's plugin type ("pipewire", "hw", ...); "" when ALSA does not define the name.
std::string alsaPcmType(const std::string& pcm);

// " (on PipeWire)", " (on PulseAudio)", " (on JACK)" for a PCM that a sound server serves; "".
std::string alsaSoundServer(const std::string& pcm);

} // namespace dragoman::device

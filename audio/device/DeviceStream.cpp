#include "device/DeviceStream.h"

#include "device/JackStream.h"
#include "device/PortAudioStream.h"

namespace dragoman::device {

OpenResult openDevice(const AudioSettings& settings, BlockRunner& runner) {
    if (settings.audio == "jack")
        return openJackStream(settings, runner, {});
    if (settings.audio == "virtual" || settings.audio.empty())
        return {nullptr, "no device was asked for"};
    PortAudioOpen opened = openPortAudioStream(settings, runner);
    if (opened.jackDevice)
        return openJackStream(settings, runner, *opened.jackDevice);
    return std::move(opened.result);
}

} // namespace dragoman::device

#include "device/DeviceStream.h"

#include "device/JackStream.h"
#include "device/LibraryMessages.h"
#include "device/PortAudioStream.h"

namespace dragoman::device {

namespace {

OpenResult open(const AudioSettings& settings, BlockRunner& runner) {
    if (settings.audio == "jack")
        return openJackStream(settings, runner, {});
    if (settings.audio == "virtual" || settings.audio.empty())
        return {nullptr, "no device was asked for"};
    PortAudioOpen opened = openPortAudioStream(settings, runner);
    if (opened.jackDevice)
        return openJackStream(settings, runner, *opened.jackDevice);
    return std::move(opened.result);
}

} // namespace

OpenResult openDevice(const AudioSettings& settings, BlockRunner& runner) {
    // Before Pa_Initialize and any JACK client: ALSA's and JACK's probing stays off stderr,
    // and what they said explains a failure.
    installLibraryMessages();
    const auto mark = markLibraryMessages();
    OpenResult result = open(settings, runner);
    if (!result.stream && !result.error.empty())
        result.error += explainLibraryMessages(mark);
    return result;
}

} // namespace dragoman::device

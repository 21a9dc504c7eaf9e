// Runs an AudioCallback on a real audio device through PortAudio, or on the virtual clock
// where there is none, and keeps it running: when the device fails or vanishes (the JACK
// server dies, a USB interface is unplugged) it reports the PortAudio error, carries on with
// the virtual clock so that commands, meters and encoders keep working, retries the device
// every retryInterval and moves back to it on its own. The callback (and with it all routing
// state) lives on; only its pacing changes.
//
// Thread contract: construction, start(), stop() and destruction on the control thread;
// status() from any thread. The callback never runs on two threads at once.
#pragma once

#include "device/AudioCallback.h"
#include "device/DeviceStatus.h"

#include <chrono>
#include <memory>
#include <string>

namespace dragoman::device {

struct AudioSettings {
    // "jack" (a JACK client of the running server, through libjack: PortAudio's JACK host
    // API cannot be closed once the server dies), "default" (the default duplex device),
    // "virtual" (the virtual clock only) or a device name (exact, else a unique substring).
    std::string audio = "default";
    int inputs = 16; // channels handed to the callback
    int outputs = 16;
    int sampleRate = 48000;
    int blockSize = 128; // the virtual clock's block; devices are opened with
                         // paFramesPerBufferUnspecified and may bring any size up to maxBlock
    int maxBlock = 1024;
    std::string jackClientName = "dragoman"; // ports dragoman:in_N / dragoman:out_N
    std::chrono::milliseconds retryInterval{2000};
};

class AudioRunner {
public:
    AudioRunner(AudioCallback& callback, AudioSettings settings);
    ~AudioRunner(); // stops
    AudioRunner(const AudioRunner&) = delete;
    AudioRunner& operator=(const AudioRunner&) = delete;

    // Opens the requested device and starts audio; if the device cannot be opened, starts the
    // virtual clock instead (and, unless "virtual" or an absent "default" was asked for,
    // keeps retrying the device). Never throws for a device problem: status() says it.
    void start();
    void stop();

    DeviceStatus status() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace dragoman::device

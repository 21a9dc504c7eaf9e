// An open audio device that drives a BlockRunner: a JACK client or a PortAudio stream. The
// AudioRunner opens one, starts it, watches failure() and destroys it when it fails.
//
// Thread contract: every member on the control (supervisor) thread; the device's own audio
// thread only calls the BlockRunner, through a CallbackGate that the destructor shuts first.
#pragma once

#include "device/AudioRunner.h"
#include "device/BlockRunner.h"
#include "device/CallbackGate.h"

#include <memory>
#include <optional>
#include <string>

namespace dragoman::device {

struct StreamInfo {
    std::string hostApi; // "JACK Audio Connection Kit", "ALSA", ...
    std::string device;  // the device's name (JACK: the client whose ports we connect to)
    double sampleRate = 0.0;
    double inputLatencyMs = 0.0;
    double outputLatencyMs = 0.0;
    std::string notice; // e.g. channels the device lacks
};

class DeviceStream {
public:
    DeviceStream() = default;
    virtual ~DeviceStream() = default; // (the derived destructor shuts the gate first)
    DeviceStream(const DeviceStream&) = delete;
    DeviceStream& operator=(const DeviceStream&) = delete;

    // Shuts the device's callbacks out of the BlockRunner at once and for good, whatever the
    // device does next; its close may then take its time on another thread.
    void shutOut() noexcept { gate_.close(); }

    // Starts the callbacks. "" on success, else what went wrong.
    virtual std::string start() = 0;

    virtual StreamInfo info() const = 0;

    // "" while the device is healthy, else a sentence saying what happened.
    virtual std::string failure() const = 0;

    // The host's own measure of the callback's load, where it has one (PortAudio).
    virtual std::optional<double> hostCpuLoad() const { return std::nullopt; }

protected:
    CallbackGate gate_; // every callback passes it before it touches the BlockRunner
};

// An expected-style result: a stream, or the reason there is none.
struct OpenResult {
    std::unique_ptr<DeviceStream> stream;
    std::string error;
};

// Opens (without starting) the device that settings.audio names: "jack" (a JACK client of
// the running server, connected to its physical ports), "default" or a device name
// (PortAudio; a device that is a JACK client is opened as one). Never for "virtual".
OpenResult openDevice(const AudioSettings& settings, BlockRunner& runner);

} // namespace dragoman::device

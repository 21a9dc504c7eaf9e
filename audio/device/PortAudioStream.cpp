#include "device/PortAudioStream.h"

#include "device/AlsaPcmType.h"
#include "device/DeviceName.h"
#include "device/JackStream.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <pa_jack.h>
#include <portaudio.h>
#include <string>
#include <vector>

namespace dragoman::device {

namespace {

// PortAudio is one library per process: Pa_Initialize and Pa_Terminate are reference counted
// and not thread-safe, and only Pa_Initialize rescans the devices. A Library handle keeps it
// initialised; the last handle terminates it, so the next one rescans.
//
// When a JACK server runs, Pa_Initialize joins it as a client (named <client>-portaudio here,
// so it never takes Dragoman's own JACK name). If that server has died since, Pa_Terminate
// fails an assertion inside PortAudio and aborts the program; the library is then left
// initialised for good ("stranded") and later handles reuse its device list.
class Library {
public:
    static std::unique_ptr<Library> acquire(const std::string& jackClientName, std::string& error) {
        std::lock_guard lock(state().mutex);
        State& s = state();
        if (!s.initialised) {
            const std::string name = jackClientName + "-portaudio";
            std::strncpy(s.clientName, name.c_str(), sizeof(s.clientName) - 1);
            PaJack_SetClientName(s.clientName); // PortAudio keeps the pointer
            if (const PaError e = Pa_Initialize(); e != paNoError) {
                error = std::string("cannot initialise PortAudio: ") + Pa_GetErrorText(e);
                return nullptr;
            }
            s.initialised = true;
            s.joinedJack = Pa_HostApiTypeIdToHostApiIndex(paJACK) >= 0;
            const char* server = std::getenv("JACK_DEFAULT_SERVER");
            s.jackServer = server != nullptr ? server : "";
        }
        ++s.users;
        return std::make_unique<Library>();
    }

    ~Library() {
        std::lock_guard lock(state().mutex);
        State& s = state();
        if (--s.users > 0 || s.stranded)
            return;
        if (s.joinedJack && !jackServerRunning(s.jackServer)) {
            s.stranded = true;
            return;
        }
        Pa_Terminate();
        s.initialised = false;
    }

    Library() = default; // acquire() makes them
    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;

    static bool stranded() {
        std::lock_guard lock(state().mutex);
        return state().stranded;
    }

private:
    struct State {
        std::mutex mutex;
        int users = 0;
        bool initialised = false;
        bool joinedJack = false;
        bool stranded = false;
        std::string jackServer;
        char clientName[128] = {};
    };
    static State& state() {
        static State s;
        return s;
    }
};

struct StreamCloser {
    void operator()(PaStream* stream) const noexcept {
        if (Pa_IsStreamStopped(stream) == 0)
            Pa_AbortStream(stream); // abort: drop what is queued rather than play it out
        Pa_CloseStream(stream);
    }
};
using StreamPtr = std::unique_ptr<PaStream, StreamCloser>;

std::string hostApiName(PaHostApiIndex index) {
    const PaHostApiInfo* info = Pa_GetHostApiInfo(index);
    return info != nullptr && info->name != nullptr ? info->name : "?";
}

bool onJack(PaDeviceIndex device) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(device);
    const PaHostApiInfo* api = info != nullptr ? Pa_GetHostApiInfo(info->hostApi) : nullptr;
    return api != nullptr && api->type == paJACK;
}

std::string nameOf(PaDeviceIndex device) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(device);
    return info != nullptr && info->name != nullptr ? info->name : "?";
}

std::vector<DeviceEntry> listDevices() {
    std::vector<DeviceEntry> devices;
    const PaDeviceIndex count = Pa_GetDeviceCount();
    for (PaDeviceIndex i = 0; i < count; ++i) {
        const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
        if (info == nullptr)
            continue;
        devices.push_back({info->name != nullptr ? info->name : "?", hostApiName(info->hostApi),
                           info->maxInputChannels, info->maxOutputChannels});
    }
    return devices;
}

std::string channelsLacking(const char* what, int has, int wanted) {
    if (has >= wanted)
        return {};
    // Appended: "-" + std::string trips GCC 12's -O3 -Wrestrict.
    std::string text(what);
    text += wanted - has == 1 ? " " : "s ";
    text += std::to_string(has);
    if (wanted - has != 1) {
        text += '-';
        text += std::to_string(wanted - 1);
    }
    text += what[0] == 'i' ? " are silent" : " go nowhere";
    return text;
}

class PortAudioStream final : public DeviceStream {
public:
    PortAudioStream(BlockRunner& runner, std::unique_ptr<Library> library, PaDeviceIndex input,
                    PaDeviceIndex output, int inputs, int outputs)
        : runner_(runner)
        , library_(std::move(library))
        , input_(input)
        , output_(output)
        , inputs_(inputs)
        , outputs_(outputs) {}

    ~PortAudioStream() override {
        gate_.close(); // from here on the AudioCallback is no longer ours to call
        stream_.reset();
    }

    std::string open(double sampleRate, PaDeviceIndex device) {
        PaStreamParameters in{};
        PaStreamParameters out{};
        if (inputs_ > 0)
            in = {input_, inputs_, paFloat32 | paNonInterleaved,
                  Pa_GetDeviceInfo(input_)->defaultLowInputLatency, nullptr};
        if (outputs_ > 0)
            out = {output_, outputs_, paFloat32 | paNonInterleaved,
                   Pa_GetDeviceInfo(output_)->defaultLowOutputLatency, nullptr};
        PaStreamParameters* inP = inputs_ > 0 ? &in : nullptr;
        PaStreamParameters* outP = outputs_ > 0 ? &out : nullptr;

        const std::string what =
            "'" + nameOf(device) + "' at " + std::to_string(static_cast<int>(sampleRate)) +
            " Hz with " + std::to_string(inputs_) + " in and " + std::to_string(outputs_) + " out";
        if (const PaError e = Pa_IsFormatSupported(inP, outP, sampleRate); e != paFormatIsSupported)
            return "the device " + what + " is not supported: " + Pa_GetErrorText(e);

        PaStream* raw = nullptr;
        const PaError e = Pa_OpenStream(&raw, inP, outP, sampleRate, paFramesPerBufferUnspecified,
                                        paClipOff | paDitherOff, &PortAudioStream::callback, this);
        if (e != paNoError)
            return "cannot open the device " + what + ": " + Pa_GetErrorText(e);
        stream_.reset(raw);
        Pa_SetStreamFinishedCallback(raw, &PortAudioStream::finished);
        rate_ = sampleRate;
        if (const PaStreamInfo* info = Pa_GetStreamInfo(raw);
            info != nullptr && info->sampleRate > 0)
            rate_ = info->sampleRate;
        return {};
    }

    std::string start() override {
        if (const PaError e = Pa_StartStream(stream_.get()); e != paNoError)
            return std::string("cannot start the device: ") + Pa_GetErrorText(e);
        return {};
    }

    StreamInfo info() const override {
        StreamInfo info;
        const PaDeviceIndex first = inputs_ > 0 ? input_ : output_;
        info.hostApi = hostApiName(Pa_GetDeviceInfo(first)->hostApi);
        info.device = nameOf(first);
        if (inputs_ > 0 && outputs_ > 0 && input_ != output_)
            info.device += " / " + nameOf(output_);
        if (info.hostApi == "ALSA") // "default" may be a sound server: say which
            info.device += alsaSoundServer(nameOf(first));
        info.sampleRate = rate_;
        if (const PaStreamInfo* s = Pa_GetStreamInfo(stream_.get()); s != nullptr) {
            info.inputLatencyMs = 1000.0 * s->inputLatency;
            info.outputLatencyMs = 1000.0 * s->outputLatency;
        }
        for (const std::string& part : {channelsLacking("input", inputs_, runner_.inputs()),
                                        channelsLacking("output", outputs_, runner_.outputs())})
            if (!part.empty())
                info.notice += (info.notice.empty() ? "the device lacks channels: " : "; ") + part;
        if (Library::stranded())
            info.notice += std::string(info.notice.empty() ? "" : "; ") +
                           "PortAudio cannot rescan devices since the JACK server it had joined "
                           "stopped; restart Dragoman to see new devices";
        return info;
    }

    std::string failure() const override {
        if (finished_.load(std::memory_order_acquire))
            return "the device ended the stream";
        const PaError active = Pa_IsStreamActive(stream_.get());
        if (active == 0)
            return "the device stopped delivering audio";
        if (active < 0)
            return std::string("the device failed: ") + Pa_GetErrorText(active);
        return {};
    }

    std::optional<double> hostCpuLoad() const override {
        return Pa_GetStreamCpuLoad(stream_.get());
    }

private:
    // PortAudio's callback thread; wait-free.
    static int callback(const void* input, void* output, unsigned long frames,
                        const PaStreamCallbackTimeInfo*, PaStreamCallbackFlags flags,
                        void* user) noexcept {
        auto* self = static_cast<PortAudioStream*>(user);
        constexpr PaStreamCallbackFlags kXrun =
            paInputUnderflow | paInputOverflow | paOutputUnderflow | paOutputOverflow;
        if ((flags & kXrun) != 0)
            self->runner_.noteXrun();
        const auto* in = static_cast<const float* const*>(input);
        auto* out = static_cast<float* const*>(output);

        CallbackGate::Pass pass(self->gate_);
        if (!pass) {
            for (int o = 0; out != nullptr && o < self->outputs_; ++o)
                std::memset(out[o], 0, frames * sizeof(float));
            return paContinue;
        }
        self->runner_.run(in, in != nullptr ? self->inputs_ : 0, out,
                          out != nullptr ? self->outputs_ : 0, frames, self->rate_);
        return paContinue;
    }

    // PortAudio's thread, when the stream becomes inactive.
    static void finished(void* user) noexcept {
        static_cast<PortAudioStream*>(user)->finished_.store(true, std::memory_order_release);
    }

    BlockRunner& runner_;
    std::unique_ptr<Library> library_; // outlives the stream
    const PaDeviceIndex input_;
    const PaDeviceIndex output_;
    const int inputs_;
    const int outputs_;
    double rate_ = 0.0;
    std::atomic<bool> finished_{false};
    StreamPtr stream_;
};

} // namespace

PortAudioOpen openPortAudioStream(const AudioSettings& settings, BlockRunner& runner) {
    std::string error;
    auto library = Library::acquire(settings.jackClientName, error);
    if (!library)
        return {{nullptr, error}, std::nullopt};

    PaDeviceIndex input = paNoDevice;
    PaDeviceIndex output = paNoDevice;
    PaDeviceIndex named = paNoDevice;
    if (settings.audio == "default") {
        input = Pa_GetDefaultInputDevice();
        output = Pa_GetDefaultOutputDevice();
        if (input == paNoDevice || output == paNoDevice)
            return {{nullptr, std::string("there is no default ") +
                                  (input == paNoDevice ? "input" : "output") + " device"},
                    std::nullopt};
        named = input;
    } else {
        const std::vector<DeviceEntry> devices = listDevices();
        const DeviceChoice choice = chooseDevice(devices, settings.audio);
        if (choice.index < 0)
            return {{nullptr, choice.error}, std::nullopt};
        named = static_cast<PaDeviceIndex>(choice.index);
        const PaDeviceInfo* info = Pa_GetDeviceInfo(named);
        input = info->maxInputChannels > 0 ? named : paNoDevice;
        output = info->maxOutputChannels > 0 ? named : paNoDevice;
    }

    if (onJack(named) || (output != paNoDevice && onJack(output))) {
        std::string client = nameOf(onJack(named) ? named : output);
        return {{nullptr, {}}, std::move(client)};
    }

    const int inputs = input == paNoDevice
                           ? 0
                           : std::min(settings.inputs, Pa_GetDeviceInfo(input)->maxInputChannels);
    const int outputs =
        output == paNoDevice
            ? 0
            : std::min(settings.outputs, Pa_GetDeviceInfo(output)->maxOutputChannels);
    if (inputs + outputs == 0)
        return {{nullptr, "the device '" + nameOf(named) + "' has no channels to use"},
                std::nullopt};

    auto stream = std::make_unique<PortAudioStream>(runner, std::move(library), input, output,
                                                    inputs, outputs);
    if (std::string e = stream->open(settings.sampleRate, named); !e.empty())
        return {{nullptr, e}, std::nullopt};
    return {{std::move(stream), {}}, std::nullopt};
}

} // namespace dragoman::device

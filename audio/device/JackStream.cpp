// Why not PortAudio's JACK host API (PortAudio 19.6 in Debian 12; upstream's pa_jack.c is
// the same): once the JACK server dies, Pa_AbortStream, Pa_StopStream and Pa_CloseStream wait
// on a condition that only JACK's (now dead) process thread would signal, until a ten-minute
// timeout (measured: Pa_CloseStream returned paTimedOut after 600 s); and Pa_Terminate then
// fails an assertion on the dead client and aborts the program (also with no stream open).
// So neither the stream nor the library can be closed in order to reconnect. libjack closes a
// dead client in milliseconds, and its shutdown callback tells of the death at once.
#include "device/JackStream.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <jack/jack.h>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace dragoman::device {

namespace {

struct ClientCloser {
    void operator()(jack_client_t* client) const noexcept { jack_client_close(client); }
};
using ClientPtr = std::unique_ptr<jack_client_t, ClientCloser>;

// jack_get_ports() answers a malloc'ed, null-terminated array.
std::vector<std::string> takePorts(const char** ports) {
    std::vector<std::string> names;
    if (ports == nullptr)
        return names;
    for (const char** p = ports; *p != nullptr; ++p)
        names.emplace_back(*p);
    jack_free(static_cast<void*>(ports));
    return names;
}

std::string escapeRegex(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (std::strchr("\\^$.|?*+()[]{}", c) != nullptr)
            out += '\\';
        out += c;
    }
    return out;
}

std::string defaultServerName() {
    const char* name = std::getenv("JACK_DEFAULT_SERVER");
    return name != nullptr && *name != '\0' ? name : "default";
}

std::string describeOpenFailure(unsigned status, const std::string& client) {
    const std::string server = "JACK server '" + defaultServerName() + "'";
    if ((status & JackNameNotUnique) != 0)
        return "the JACK client name '" + client + "' is taken on the " + server;
    if ((status & JackServerFailed) != 0)
        return "cannot connect to the " + server + " (is it running?)";
    if ((status & JackVersionError) != 0)
        return "the " + server + " speaks another protocol version than this libjack";
    if ((status & JackShmFailure) != 0)
        return "cannot reach the shared memory of the " + server;
    if ((status & JackInvalidOption) != 0)
        return "the " + server + " refused the client '" + client + "'";
    return "cannot open a JACK client on the " + server + " (status " + std::to_string(status) +
           ")";
}

std::string clientOf(const std::string& port) {
    return port.substr(0, port.find(':'));
}

std::string range(const char* what, int from, int to) {
    return from + 1 == to
               ? std::string(what) + " " + std::to_string(from)
               : std::string(what) + "s " + std::to_string(from) + "-" + std::to_string(to - 1);
}

class JackStream final : public DeviceStream {
public:
    JackStream(BlockRunner& runner, ClientPtr client, std::string device,
               std::vector<std::string> capture, std::vector<std::string> playback)
        : runner_(runner)
        , client_(std::move(client))
        , device_(std::move(device))
        , capture_(std::move(capture))
        , playback_(std::move(playback))
        , rate_(static_cast<double>(jack_get_sample_rate(client_.get()))) {}

    ~JackStream() override {
        gate_.close();   // from here on the AudioCallback is no longer ours to call
        client_.reset(); // deactivates and closes; milliseconds even when the server is gone
    }

    // Registers the ports and the callbacks; "" on success.
    std::string prepare() {
        jack_client_t* c = client_.get();
        for (int i = 0; i < runner_.inputs(); ++i) {
            const std::string name = "in_" + std::to_string(i);
            jack_port_t* port =
                jack_port_register(c, name.c_str(), JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
            if (port == nullptr)
                return "cannot register the JACK port " + name;
            inPorts_.push_back(port);
        }
        for (int o = 0; o < runner_.outputs(); ++o) {
            const std::string name = "out_" + std::to_string(o);
            jack_port_t* port =
                jack_port_register(c, name.c_str(), JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
            if (port == nullptr)
                return "cannot register the JACK port " + name;
            outPorts_.push_back(port);
        }
        inBuffers_.assign(inPorts_.size(), nullptr);
        outBuffers_.assign(outPorts_.size(), nullptr);

        if (jack_set_process_callback(c, &JackStream::process, this) != 0 ||
            jack_set_xrun_callback(c, &JackStream::xrun, this) != 0)
            return "cannot install the JACK callbacks";
        jack_on_info_shutdown(c, &JackStream::shutdown, this);
        return {};
    }

    std::string start() override {
        jack_client_t* c = client_.get();
        if (jack_activate(c) != 0)
            return "cannot activate the JACK client";
        const std::string self = jack_get_client_name(c);
        for (std::size_t i = 0; i < std::min(capture_.size(), inPorts_.size()); ++i) {
            const int r = jack_connect(c, capture_[i].c_str(), jack_port_name(inPorts_[i]));
            if (r != 0 && r != EEXIST)
                return "cannot connect " + capture_[i] + " to " + jack_port_name(inPorts_[i]);
        }
        for (std::size_t o = 0; o < std::min(playback_.size(), outPorts_.size()); ++o) {
            const int r = jack_connect(c, jack_port_name(outPorts_[o]), playback_[o].c_str());
            if (r != 0 && r != EEXIST)
                return "cannot connect " + std::string(jack_port_name(outPorts_[o])) + " to " +
                       playback_[o];
        }
        inputLatencyMs_ = portLatencyMs(capture_, JackCaptureLatency);
        outputLatencyMs_ = portLatencyMs(playback_, JackPlaybackLatency);
        return {};
    }

    StreamInfo info() const override {
        StreamInfo info;
        info.hostApi = kJackHostApi;
        // JACK's own library says "1.9.21"; PipeWire's, "3.0.0.0 (using PipeWire 0.3.65)".
        const std::string version = jack_get_version_string();
        if (const auto at = version.find("PipeWire"); at != std::string::npos)
            info.hostApi += " on " + version.substr(at, version.find(')', at) - at);
        info.device = device_;
        info.sampleRate = rate_;
        info.inputLatencyMs = inputLatencyMs_;
        info.outputLatencyMs = outputLatencyMs_;
        info.notice = notice();
        return info;
    }

    std::string failure() const override {
        if (!down_.load(std::memory_order_acquire))
            return {};
        return std::string("the JACK server stopped (") + reason_ + ")";
    }

private:
    // JACK's process thread; wait-free.
    static int process(jack_nframes_t frames, void* arg) noexcept {
        auto* self = static_cast<JackStream*>(arg);
        for (std::size_t i = 0; i < self->inPorts_.size(); ++i)
            self->inBuffers_[i] =
                static_cast<const float*>(jack_port_get_buffer(self->inPorts_[i], frames));
        for (std::size_t o = 0; o < self->outPorts_.size(); ++o)
            self->outBuffers_[o] =
                static_cast<float*>(jack_port_get_buffer(self->outPorts_[o], frames));

        CallbackGate::Pass pass(self->gate_);
        if (!pass) {
            for (float* out : self->outBuffers_)
                std::memset(out, 0, frames * sizeof(float));
            return 0;
        }
        self->runner_.run(self->inBuffers_.data(), static_cast<int>(self->inBuffers_.size()),
                          self->outBuffers_.data(), static_cast<int>(self->outBuffers_.size()),
                          frames, self->rate_);
        return 0;
    }

    // A JACK thread (not the process thread); counts every xrun of the graph.
    static int xrun(void* arg) noexcept {
        static_cast<JackStream*>(arg)->runner_.noteXrun();
        return 0;
    }

    // A JACK thread, once, when the server goes away or drops this client.
    static void shutdown(jack_status_t, const char* reason, void* arg) noexcept {
        auto* self = static_cast<JackStream*>(arg);
        if (self->down_.load(std::memory_order_relaxed))
            return;
        std::strncpy(self->reason_, reason != nullptr && *reason != '\0' ? reason : "no reason",
                     sizeof(self->reason_) - 1);
        self->down_.store(true, std::memory_order_release);
    }

    double portLatencyMs(const std::vector<std::string>& ports,
                         jack_latency_callback_mode_t mode) const {
        if (ports.empty())
            return 0.0;
        jack_port_t* port = jack_port_by_name(client_.get(), ports.front().c_str());
        if (port == nullptr)
            return 0.0;
        jack_latency_range_t latency{};
        jack_port_get_latency_range(port, mode, &latency);
        return 1000.0 * latency.max / rate_;
    }

    std::string notice() const {
        const int inputs = runner_.inputs();
        const int outputs = runner_.outputs();
        const int connectedIn = std::min(static_cast<int>(capture_.size()), inputs);
        const int connectedOut = std::min(static_cast<int>(playback_.size()), outputs);
        if (connectedIn == inputs && connectedOut == outputs)
            return {};
        const std::string who = device_.empty() ? "the JACK server" : device_;
        std::string text = who + " has " + std::to_string(capture_.size()) + " capture and " +
                           std::to_string(playback_.size()) + " playback ports";
        if (connectedIn < inputs)
            text += "; " + range("input", connectedIn, inputs) + " not connected";
        if (connectedOut < outputs)
            text += "; " + range("output", connectedOut, outputs) + " not connected";
        return text;
    }

    BlockRunner& runner_;
    ClientPtr client_;
    const std::string device_;
    const std::vector<std::string> capture_;  // device ports feeding our inputs
    const std::vector<std::string> playback_; // device ports our outputs feed
    const double rate_;
    std::vector<jack_port_t*> inPorts_;
    std::vector<jack_port_t*> outPorts_;
    std::vector<const float*> inBuffers_; // the process thread's scratch
    std::vector<float*> outBuffers_;
    double inputLatencyMs_ = 0.0;
    double outputLatencyMs_ = 0.0;
    std::atomic<bool> down_{false};
    char reason_[256] = {};
};

} // namespace

OpenResult openJackStream(const AudioSettings& settings, BlockRunner& runner,
                          const std::string& device) {
    jack_status_t status{};
    const auto options = static_cast<jack_options_t>(JackNoStartServer | JackUseExactName);
    ClientPtr client(jack_client_open(settings.jackClientName.c_str(), options, &status));
    if (!client)
        return {nullptr,
                describeOpenFailure(static_cast<unsigned>(status), settings.jackClientName)};

    const auto rate = static_cast<int>(jack_get_sample_rate(client.get()));
    if (rate != settings.sampleRate)
        return {nullptr, "the JACK server runs at " + std::to_string(rate) +
                             " Hz; the venue needs " + std::to_string(settings.sampleRate) + " Hz"};

    std::vector<std::string> capture;
    std::vector<std::string> playback;
    std::string deviceName = device;
    if (device.empty()) {
        capture = takePorts(jack_get_ports(client.get(), nullptr, JACK_DEFAULT_AUDIO_TYPE,
                                           JackPortIsPhysical | JackPortIsOutput));
        playback = takePorts(jack_get_ports(client.get(), nullptr, JACK_DEFAULT_AUDIO_TYPE,
                                            JackPortIsPhysical | JackPortIsInput));
        deviceName = !capture.empty()    ? clientOf(capture.front())
                     : !playback.empty() ? clientOf(playback.front())
                                         : "";
    } else {
        std::string pattern = "^"; // appended: "^" + std::string trips GCC 12's -O3 -Wrestrict
        pattern += escapeRegex(device);
        pattern += ':';
        capture = takePorts(jack_get_ports(client.get(), pattern.c_str(), JACK_DEFAULT_AUDIO_TYPE,
                                           JackPortIsOutput));
        playback = takePorts(jack_get_ports(client.get(), pattern.c_str(), JACK_DEFAULT_AUDIO_TYPE,
                                            JackPortIsInput));
        if (capture.empty() && playback.empty())
            return {nullptr, "the JACK client '" + device + "' has no audio ports"};
    }

    auto stream = std::make_unique<JackStream>(runner, std::move(client), deviceName,
                                               std::move(capture), std::move(playback));
    if (std::string error = stream->prepare(); !error.empty())
        return {nullptr, error};
    return {std::move(stream), {}};
}

bool jackServerRunning(const std::string& server) {
    jack_status_t status{};
    const std::string name = server.empty() ? defaultServerName() : server;
    const auto options = static_cast<jack_options_t>(JackNoStartServer | JackServerName);
    // Client names are machine-wide in libjack (its sockets are named after the client only).
    const std::string probeName = "dragoman-probe-" + std::to_string(::getpid());
    ClientPtr probe(jack_client_open(probeName.c_str(), options, &status, name.c_str()));
    return probe != nullptr;
}

} // namespace dragoman::device

#include "device/AudioRunner.h"

#include "device/BlockRunner.h"
#include "device/DeviceStream.h"
#include "device/VirtualClock.h"
#include "rt/AllocationProbe.h"

#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

namespace dragoman::device {

namespace {
using SteadyClock = std::chrono::steady_clock;

constexpr auto kTick = std::chrono::milliseconds(50);         // how often the supervisor looks
constexpr auto kStallLimit = std::chrono::milliseconds(1500); // no callback this long: failed
constexpr auto kCloseLimit = std::chrono::seconds(2);         // a close that takes longer is
                                                              // left to finish on its own
} // namespace

// Threads: the control thread runs start() and stop(); while started, the supervisor thread
// owns `device`, the virtual clock and the retry schedule (start() before it exists, stop()
// after it has ended). `shared` holds what status() reports from the control side, under
// statusMutex, which no audio thread ever takes; the audio side's counters are the
// BlockRunner's relaxed atomics.
struct AudioRunner::Impl {
    Impl(AudioCallback& callback, AudioSettings s)
        : settings(std::move(s))
        , runner(callback, settings.inputs, settings.outputs, settings.maxBlock)
        , virtualClock(runner, settings.blockSize, settings.sampleRate) {}

    const AudioSettings settings;
    BlockRunner runner;
    VirtualClock virtualClock;

    bool started = false;
    std::unique_ptr<DeviceStream> device;
    bool retry = false; // keep trying the device while on the virtual clock
    SteadyClock::time_point nextRetry;
    std::uint64_t lastCallbacks = 0; // stall watch
    SteadyClock::time_point lastProgress;

    std::thread supervisor;
    std::mutex wakeMutex;
    std::condition_variable wake;
    bool stopping = false;

    mutable std::mutex statusMutex;
    DeviceStatus shared;
    bool hostLoad = false; // shared.cpuLoad comes from the device, not from the runner

    // Opens and starts the device, stopping the virtual clock just before the device's first
    // callback. On failure the virtual clock is stopped too (the caller restarts it) and the
    // answer says why.
    std::string tryDevice() {
        OpenResult opened = openDevice(settings, runner);
        if (!opened.stream)
            return opened.error.empty() ? "cannot open the device" : opened.error;
        virtualClock.stop(); // never two clocks at once
        if (std::string error = opened.stream->start(); !error.empty()) {
            close(std::move(opened.stream));
            return error;
        }
        device = std::move(opened.stream);
        lastCallbacks = runner.callbacks();
        lastProgress = SteadyClock::now();
        publishDevice();
        return {};
    }

    // Shuts the device out of the callback at once, then closes it, waiting at most
    // kCloseLimit: a close that hangs inside a driver is left behind on its own thread (false).
    bool close(std::unique_ptr<DeviceStream> stream) {
        if (!stream)
            return true;
        stream->shutOut();
        std::promise<void> closed;
        std::future<void> done = closed.get_future();
        std::thread closer([s = std::move(stream), c = std::move(closed)]() mutable {
            s.reset();
            c.set_value();
        });
        if (done.wait_for(kCloseLimit) == std::future_status::ready) {
            closer.join();
            return true;
        }
        closer.detach();
        return false;
    }

    // The supervisor's look at the device: "" while healthy.
    std::string deviceFailure(SteadyClock::time_point now) {
        if (std::string why = device->failure(); !why.empty())
            return why;
        if (const std::uint64_t n = runner.callbacks(); n != lastCallbacks) {
            lastCallbacks = n;
            lastProgress = now;
        } else if (now - lastProgress > kStallLimit) {
            return "the device stopped delivering audio (no callback for " +
                   std::to_string(kStallLimit.count()) + " ms)";
        }
        return {};
    }

    void tick() {
        const auto now = SteadyClock::now();
        if (device) {
            std::string why = deviceFailure(now);
            if (why.empty()) {
                if (const std::optional<double> load = device->hostCpuLoad()) {
                    std::lock_guard lock(statusMutex);
                    shared.cpuLoad = *load;
                }
                return;
            }
            const bool closed = close(std::move(device));
            virtualClock.start();
            publishVirtual(State::Reconnecting, why,
                           closed ? ""
                                  : "closing the failed device did not finish within 2 s; it "
                                    "is left to finish in the background");
            retry = true; // also for "default": it had been running
            nextRetry = now + settings.retryInterval;
            return;
        }
        if (!retry || now < nextRetry)
            return;
        if (std::string error = tryDevice(); device) {
            std::lock_guard lock(statusMutex);
            ++shared.reconnects;
        } else {
            virtualClock.start();
            publishVirtual(State::Reconnecting, error);
            nextRetry = SteadyClock::now() + settings.retryInterval;
        }
    }

    void supervise() {
        std::unique_lock lock(wakeMutex);
        while (!stopping) {
            wake.wait_for(lock, kTick, [this] { return stopping; });
            if (stopping)
                break;
            lock.unlock();
            tick();
            lock.lock();
        }
    }

    void publishDevice() {
        const StreamInfo info = device->info();
        const std::optional<double> load = device->hostCpuLoad();
        std::lock_guard lock(statusMutex);
        shared.clock = Clock::Device;
        shared.state = State::Running;
        shared.hostApi = info.hostApi;
        shared.device = info.device;
        shared.sampleRate = info.sampleRate;
        shared.inputLatencyMs = info.inputLatencyMs;
        shared.outputLatencyMs = info.outputLatencyMs;
        shared.notice = info.notice;
        hostLoad = load.has_value();
        shared.cpuLoad = load.value_or(0.0);
    }

    void publishVirtual(State state, const std::string& error, const std::string& notice = {}) {
        std::lock_guard lock(statusMutex);
        shared.clock = Clock::Virtual;
        shared.state = state;
        shared.hostApi.clear();
        shared.device.clear();
        shared.sampleRate = settings.sampleRate;
        shared.inputLatencyMs = 0.0;
        shared.outputLatencyMs = 0.0;
        shared.notice = notice;
        hostLoad = false;
        if (!error.empty())
            shared.lastError = error;
    }
};

AudioRunner::AudioRunner(AudioCallback& callback, AudioSettings settings)
    : impl_(std::make_unique<Impl>(callback, std::move(settings))) {
}

AudioRunner::~AudioRunner() {
    stop();
}

void AudioRunner::start() {
    Impl& m = *impl_;
    if (m.started)
        return;
    m.started = true;
    m.stopping = false;
    {
        std::lock_guard lock(m.statusMutex);
        m.shared.requested = m.settings.audio;
    }

    if (m.settings.audio == "virtual") {
        m.virtualClock.start();
        m.publishVirtual(State::Running, {});
        return;
    }
    if (std::string error = m.tryDevice(); !m.device) {
        // An absent default device is no failure: there is simply none to wait for.
        m.retry = m.settings.audio != "default";
        m.nextRetry = SteadyClock::now() + m.settings.retryInterval;
        m.virtualClock.start();
        m.publishVirtual(m.retry ? State::Reconnecting : State::Running, error);
        if (!m.retry)
            return;
    }
    m.supervisor = std::thread([&m] { m.supervise(); });
}

void AudioRunner::stop() {
    Impl& m = *impl_;
    if (!m.started)
        return;
    {
        std::lock_guard lock(m.wakeMutex);
        m.stopping = true;
    }
    m.wake.notify_all();
    if (m.supervisor.joinable())
        m.supervisor.join();
    m.close(std::move(m.device));
    m.virtualClock.stop();
    m.retry = false;
    m.started = false;
    m.publishVirtual(State::Stopped, {});
}

DeviceStatus AudioRunner::status() const {
    const Impl& m = *impl_;
    DeviceStatus s;
    bool hostLoad = false;
    {
        std::lock_guard lock(m.statusMutex);
        s = m.shared;
        hostLoad = m.hostLoad;
    }
    s.blockSize = m.runner.lastBlockSize();
    if (s.blockSize == 0 && s.clock == Clock::Virtual)
        s.blockSize = m.settings.blockSize;
    if (!hostLoad)
        s.cpuLoad = m.runner.cpuLoad();
    s.xruns = m.runner.xruns();
    s.callbacks = m.runner.callbacks();
    s.audioThreadAllocations = rt::audioThreadAllocations();
    const auto cycles = m.runner.cycles();
    s.cycles = cycles.cycles;
    s.cycleP50 = cycles.percentile(0.5);
    s.cycleP99 = cycles.percentile(0.99);
    s.cycleMax = cycles.max;
    s.cycleBuckets = cycles.nonEmpty();
    return s;
}

} // namespace dragoman::device

#include "device/VirtualClock.h"

#include <algorithm>
#include <cerrno>
#include <ctime>

namespace dragoman::device {

namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

std::int64_t toNanos(const timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * kNanosPerSecond + t.tv_nsec;
}

timespec toTimespec(std::int64_t nanos) {
    timespec t{};
    t.tv_sec = static_cast<time_t>(nanos / kNanosPerSecond);
    t.tv_nsec = static_cast<long>(nanos % kNanosPerSecond);
    return t;
}

std::int64_t monotonicNow() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return toNanos(now);
}

// The time `frames` frames take at `rate`, exact and without overflow for years of frames.
std::int64_t framesToNanos(std::int64_t frames, std::int64_t rate) {
    return frames / rate * kNanosPerSecond + frames % rate * kNanosPerSecond / rate;
}

} // namespace

VirtualClock::VirtualClock(BlockRunner& runner, int blockSize, int sampleRate)
    : runner_(runner)
    , blockSize_(std::max(blockSize, 1))
    , sampleRate_(std::max(sampleRate, 1)) {
}

VirtualClock::~VirtualClock() {
    stop();
}

void VirtualClock::start() {
    if (thread_.joinable())
        return;
    stopping_.store(false, std::memory_order_relaxed);
    thread_ = std::thread([this] { loop(); });
}

void VirtualClock::stop() {
    if (!thread_.joinable())
        return;
    stopping_.store(true, std::memory_order_relaxed);
    thread_.join();
}

void VirtualClock::loop() noexcept {
    const auto block = static_cast<std::size_t>(blockSize_);
    const double rate = static_cast<double>(sampleRate_);
    const std::int64_t period = framesToNanos(blockSize_, sampleRate_);

    std::int64_t origin = monotonicNow();
    std::int64_t frames = 0; // frames run since origin
    while (!stopping_.load(std::memory_order_relaxed)) {
        runner_.run(nullptr, 0, nullptr, 0, block, rate);
        frames += blockSize_;

        std::int64_t deadline = origin + framesToNanos(frames, sampleRate_);
        const std::int64_t now = monotonicNow();
        if (now - deadline > kMaxLateBlocks * period) {
            // Too far behind to catch up without a burst: carry on from now.
            resyncs_.fetch_add(1, std::memory_order_relaxed);
            origin = now;
            frames = 0;
            deadline = now;
        }
        const timespec wake = toTimespec(deadline);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, nullptr) == EINTR) {
        }
    }
}

} // namespace dragoman::device

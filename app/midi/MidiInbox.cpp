#include "midi/MidiInbox.h"

#include <cstdint>
#include <sys/eventfd.h>
#include <unistd.h>

namespace dragoman::midi {

Wakeup::Wakeup()
    : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
}

Wakeup::~Wakeup() {
    if (fd_ >= 0)
        ::close(fd_);
}

void Wakeup::notify() noexcept {
    if (fd_ < 0 || !armed_.exchange(false, std::memory_order_acq_rel))
        return;
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(fd_, &one, sizeof one); // never blocks
}

void Wakeup::rearm() noexcept {
    std::uint64_t value = 0;
    if (fd_ >= 0) [[maybe_unused]]
        const auto read = ::read(fd_, &value, sizeof value);
    armed_.store(true, std::memory_order_seq_cst);
}

InboxSource::InboxSource(Wakeup& wakeup, std::size_t capacity)
    : wakeup_(wakeup)
    , queue_(capacity) {
}

void InboxSource::feed(const std::uint8_t* bytes, std::size_t size) noexcept {
    const std::int64_t now = steadyNowNs();
    bool pushed = false;
    parser_.feed(bytes, size, [&](const MidiMessage& message) {
        if (queue_.try_enqueue(MidiEvent{message, now}))
            pushed = true;
        else
            overflows_.store(overflows_.load(std::memory_order_relaxed) + 1,
                             std::memory_order_relaxed);
    });
    if (pushed)
        wakeup_.notify();
}

} // namespace dragoman::midi

#include "core/ChannelTap.h"

#include <algorithm>

namespace dragoman::core {

ChannelTap::ChannelTap(std::size_t chunks)
    : queue_(chunks) {
}

void ChannelTap::push(const float* samples, std::size_t frames, std::uint64_t frame) noexcept {
    while (frames > 0) {
        const std::size_t n = std::min(frames, TapChunk::kCapacity);
        scratch_.frame = frame;
        scratch_.frames = static_cast<std::uint32_t>(n);
        std::copy_n(samples, n, scratch_.samples);
        if (queue_.try_enqueue(scratch_))
            pushed_.fetch_add(1, std::memory_order_relaxed);
        else
            overruns_.fetch_add(1, std::memory_order_relaxed);
        samples += n;
        frames -= n;
        frame += n;
    }
}

bool ChannelTap::pop(TapChunk& chunk) noexcept {
    return queue_.try_dequeue(chunk);
}

} // namespace dragoman::core

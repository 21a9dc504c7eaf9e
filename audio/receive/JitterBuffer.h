// The packets waiting to be played, ordered by RTP timestamp (so reordering costs nothing),
// with duplicates recognised whether they are still waiting or already played, and packets
// that arrive after their time recognised as late. It holds packets only: when to play them
// (the target delay) is the ReceiveChannel's business.
//
// Timestamps wrap at 2^32; every comparison is a signed 32-bit difference.
//
// Thread contract: the audio thread (one thread at a time); wait-free, never allocates.
#pragma once

#include "receive/ReceivedPacket.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace dragoman::receive {

// a - b on the RTP clock, signed.
constexpr std::int32_t tsDiff(std::uint32_t a, std::uint32_t b) {
    return static_cast<std::int32_t>(a - b);
}

class JitterBuffer {
public:
    static constexpr std::size_t kCapacity = 96; // packets (240 ms of 2.5 ms frames)

    struct Entry {
        bool used = false;
        int duration = 0; // 48 kHz samples
        ReceivedPacket packet;
    };

    enum class Insert { Stored, Duplicate, Late, Overflow };

    // Stores a packet of `duration` samples. With a playhead (the timestamp of the next sample
    // to decode), a packet that starts before it is late, or a duplicate when its sequence
    // number was played recently. When full, the packet farthest in the future makes room
    // (or this one is refused when it is the farthest).
    Insert insert(const ReceivedPacket& packet, int duration,
                  std::optional<std::uint32_t> playhead);

    // The waiting packet with the smallest timestamp at or after `ts`; nullptr when none.
    const Entry* earliestFrom(std::uint32_t ts) const;
    // The end (timestamp + duration) of the waiting packet that ends last, from `ts` on.
    std::optional<std::uint32_t> latestEnd(std::uint32_t ts) const;

    // Removes a packet that has been decoded and remembers its sequence number as played.
    void consume(const Entry* entry);
    // Drops every packet that starts before `ts` (they can no longer be played).
    void dropBefore(std::uint32_t ts);
    void clear();

    std::size_t size() const { return count_; }

private:
    bool playedRecently(std::uint16_t sequence) const;

    std::array<Entry, kCapacity> entries_{};
    std::size_t count_ = 0;
    // Recently played sequence numbers, indexed by sequence % kPlayed.
    static constexpr std::size_t kPlayed = 256;
    std::array<std::int32_t, kPlayed> played_ = initialPlayed();
    static constexpr std::array<std::int32_t, kPlayed> initialPlayed() {
        std::array<std::int32_t, kPlayed> a{};
        a.fill(-1);
        return a;
    }
};

} // namespace dragoman::receive

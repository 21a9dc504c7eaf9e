#include "receive/JitterBuffer.h"

#include <algorithm>

namespace dragoman::receive {

bool JitterBuffer::playedRecently(std::uint16_t sequence) const {
    return played_[sequence % kPlayed] == sequence;
}

JitterBuffer::Insert JitterBuffer::insert(const ReceivedPacket& packet, int duration,
                                          std::optional<std::uint32_t> playhead) {
    const auto& h = packet.header;
    if (playhead && tsDiff(h.timestamp, *playhead) < 0)
        return playedRecently(h.sequence) ? Insert::Duplicate : Insert::Late;
    Entry* freeEntry = nullptr;
    Entry* farthest = nullptr;
    for (auto& e : entries_) {
        if (!e.used) {
            if (!freeEntry)
                freeEntry = &e;
            continue;
        }
        if (e.packet.header.timestamp == h.timestamp || e.packet.header.sequence == h.sequence)
            return Insert::Duplicate;
        if (!farthest || tsDiff(e.packet.header.timestamp, farthest->packet.header.timestamp) > 0)
            farthest = &e;
    }
    if (!freeEntry) {
        if (!farthest || tsDiff(h.timestamp, farthest->packet.header.timestamp) > 0)
            return Insert::Overflow;
        freeEntry = farthest; // the farthest packet makes room for an earlier one
        --count_;
    }
    freeEntry->used = true;
    freeEntry->duration = duration;
    freeEntry->packet.header = h;
    freeEntry->packet.size = packet.size;
    std::copy_n(packet.payload.begin(), packet.size, freeEntry->packet.payload.begin());
    ++count_;
    return Insert::Stored;
}

const JitterBuffer::Entry* JitterBuffer::earliestFrom(std::uint32_t ts) const {
    const Entry* best = nullptr;
    for (const auto& e : entries_) {
        if (!e.used || tsDiff(e.packet.header.timestamp, ts) < 0)
            continue;
        if (!best || tsDiff(e.packet.header.timestamp, best->packet.header.timestamp) < 0)
            best = &e;
    }
    return best;
}

std::optional<std::uint32_t> JitterBuffer::latestEnd(std::uint32_t ts) const {
    std::optional<std::uint32_t> end;
    for (const auto& e : entries_) {
        if (!e.used || tsDiff(e.packet.header.timestamp, ts) < 0)
            continue;
        const std::uint32_t eEnd =
            e.packet.header.timestamp + static_cast<std::uint32_t>(e.duration);
        if (!end || tsDiff(eEnd, *end) > 0)
            end = eEnd;
    }
    return end;
}

void JitterBuffer::consume(const Entry* entry) {
    for (auto& e : entries_) {
        if (&e != entry || !e.used)
            continue;
        e.used = false;
        --count_;
        const auto seq = e.packet.header.sequence;
        played_[seq % kPlayed] = seq;
        return;
    }
}

void JitterBuffer::dropBefore(std::uint32_t ts) {
    for (auto& e : entries_) {
        if (e.used && tsDiff(e.packet.header.timestamp, ts) < 0) {
            e.used = false;
            --count_;
        }
    }
}

void JitterBuffer::clear() {
    for (auto& e : entries_)
        e.used = false;
    count_ = 0;
    played_ = initialPlayed();
}

} // namespace dragoman::receive

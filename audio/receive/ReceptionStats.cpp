#include "receive/ReceptionStats.h"

#include <algorithm>
#include <cmath>

namespace dragoman::receive {

void ReceptionStats::onPacket(std::uint16_t sequence, std::uint32_t timestamp,
                              double arrivalSamples) {
    // Transit in timestamp units, modulo a constant (RFC 3550 A.8).
    const double transit = arrivalSamples - static_cast<double>(timestamp);
    if (!started_) {
        started_ = true;
        maxSequence_ = sequence;
        baseSequence_ = sequence;
        lastTransit_ = transit;
        received_ = 1;
        return;
    }
    const auto delta = static_cast<std::uint16_t>(sequence - maxSequence_);
    if (delta != 0 && delta < 0x8000) {
        if (sequence < maxSequence_)
            cycles_ += 0x10000;
        maxSequence_ = sequence;
    } else if (delta != 0) {
        ++reordered_;
    }
    ++received_;
    // The transit difference wraps with the 32-bit timestamp; take it modulo 2^32, signed.
    double d = transit - lastTransit_;
    d = std::remainder(d, 4294967296.0);
    lastTransit_ = transit;
    jitter_ += (std::fabs(d) - jitter_) / 16.0;
}

std::int64_t ReceptionStats::expected() const {
    if (!started_)
        return 0;
    return static_cast<std::int64_t>(extendedHighest()) - static_cast<std::int64_t>(baseSequence_) +
           1;
}

stream::ReportBlock ReceptionStats::reportBlock(std::uint32_t ssrc) {
    stream::ReportBlock block;
    block.ssrc = ssrc;
    const std::int64_t expectedNow = expected();
    const std::int64_t expectedInterval = expectedNow - expectedPrior_;
    const auto receivedInterval = static_cast<std::int64_t>(received_ - receivedPrior_);
    expectedPrior_ = expectedNow;
    receivedPrior_ = received_;
    const std::int64_t lostInterval = expectedInterval - receivedInterval;
    block.fractionLost = (expectedInterval <= 0 || lostInterval <= 0)
                             ? 0
                             : static_cast<std::uint8_t>(std::min<std::int64_t>(
                                   255, (lostInterval << 8) / expectedInterval));
    block.cumulativeLost =
        static_cast<std::int32_t>(std::clamp<std::int64_t>(lost(), -0x800000, 0x7fffff));
    block.highestSequence = extendedHighest();
    block.jitter = static_cast<std::uint32_t>(jitter_);
    return block;
}

} // namespace dragoman::receive

// What a receiver knows about one RTP source from the packets it receives (RFC 3550
// appendix A.1, A.3, A.8): the extended highest sequence number, packets expected and lost,
// the interarrival jitter, reordered packets, and the reception report block that goes back
// to the sender in RTCP.
//
// Thread contract: one thread at a time (the receiver's network thread); never allocates.
#pragma once

#include "stream/Rtcp.h"

#include <cstdint>

namespace dragoman::receive {

class ReceptionStats {
public:
    // A packet arrived at `arrivalSamples` (the local clock, in 48 kHz samples).
    void onPacket(std::uint16_t sequence, std::uint32_t timestamp, double arrivalSamples);
    void reset() { *this = ReceptionStats{}; }

    bool started() const { return started_; }
    std::uint64_t received() const { return received_; }
    std::uint64_t reordered() const { return reordered_; }
    std::uint32_t extendedHighest() const { return cycles_ + maxSequence_; }
    std::int64_t expected() const;
    std::int64_t lost() const { return expected() - static_cast<std::int64_t>(received_); }
    double jitterSamples() const { return jitter_; } // RTP timestamp units (48 kHz)

    // The report block for `ssrc`; the fraction lost covers the time since the last call.
    stream::ReportBlock reportBlock(std::uint32_t ssrc);

private:
    bool started_ = false;
    std::uint16_t maxSequence_ = 0;
    std::uint32_t cycles_ = 0; // sequence wraps << 16
    std::uint32_t baseSequence_ = 0;
    std::uint64_t received_ = 0;
    std::uint64_t reordered_ = 0;
    double jitter_ = 0.0;
    double lastTransit_ = 0.0;
    std::int64_t expectedPrior_ = 0;
    std::uint64_t receivedPrior_ = 0;
};

} // namespace dragoman::receive

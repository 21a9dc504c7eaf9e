// How late packets arrive, as a distribution: each packet's delay relative to the earliest
// packet of the last seconds (arrival time minus RTP timestamp, less its running minimum), in a
// histogram of 1 ms bins that forgets with a time constant of about ten seconds. Its 95th
// percentile is how long a late packet is worth waiting for; a packet later than that (held
// back by a reordering, say) is taken for lost rather than growing everyone's latency.
//
// Thread contract: one thread at a time (the receiver's network thread); never allocates.
#pragma once

#include <array>
#include <cstdint>

namespace dragoman::receive {

class DelayHistogram {
public:
    static constexpr int kBins = 200; // 1 ms each: 0 .. 199 ms

    // A packet with RTP timestamp `timestamp` arrived at `arrivalSamples` (48 kHz units).
    void add(std::uint32_t timestamp, double arrivalSamples);
    // The delay (samples) that `fraction` (0..1) of recent packets did not exceed.
    double quantile(double fraction) const;
    void reset() { *this = DelayHistogram{}; }

private:
    std::array<double, kBins> bins_{};
    double total_ = 0.0;
    bool started_ = false;
    double minimum_ = 0.0;     // running minimum of arrival - timestamp (unwrapped)
    double lastArrival_ = 0.0; // for the forgetting and the minimum's slow rise
    double unwrapped_ = 0.0;   // the timestamp, unwrapped
    std::uint32_t lastTimestamp_ = 0;
};

} // namespace dragoman::receive

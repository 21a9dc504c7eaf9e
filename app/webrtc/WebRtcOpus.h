// The Opus encoding the WebRTC mountpoints carry for a channel: the channel's own settings
// with 10 ms frames. A browser's receiver (WebRTC's NetEq) decodes 10 ms at a time and sizes
// its jitter buffer from the packets' arrival, so 10 ms is its best packet: a sound waits for
// the end of its frame before its packet leaves (up to 20 ms with the default venue's 20 ms
// frames), and with 2.5 ms frames (the low-latency venue's restricted low delay) Chromium held
// 56 ms in its jitter buffer against 32 ms with 10 ms frames in the same run. 10 ms is also
// the shortest frame that keeps SILK/hybrid, hence in-band FEC (useinbandfec=1: a lost Wi-Fi
// packet is rebuilt from the next one). A channel already at 10 ms is sent as it is, with no
// second encoder. Measured: docs/measuring.md, "The listener's ear in a browser".
//
// Thread contract: a pure function; any thread.
#pragma once

#include "venue/Venue.h"

namespace dragoman::webrtc {

inline constexpr double kFrameMs = 10.0;

inline venue::OpusSettings webrtcOpus(const venue::OpusSettings& channel) {
    auto settings = channel;
    settings.frameMs = kFrameMs;
    return settings;
}

} // namespace dragoman::webrtc

// The Opus encoding the WebRTC mountpoints carry for a channel: the channel's own settings
// with frames of at most 10 ms. A sound waits for the end of its frame before its packet
// leaves (up to 20 ms with the default venue's 20 ms frames, 10 ms here), and a browser's
// receiver (WebRTC's NetEq) decodes 10 ms at a time; 10 ms is the shortest frame that keeps
// SILK/hybrid, hence in-band FEC (useinbandfec=1: a lost Wi-Fi packet is rebuilt from the next
// one). A channel whose frames are 10 ms or shorter (e.g. 2.5 ms restricted low delay) is sent
// to Janus as it is. Measured: docs/measuring.md, "The listener's ear in a browser".
//
// Thread contract: a pure function; any thread.
#pragma once

#include "venue/Venue.h"

#include <algorithm>

namespace dragoman::webrtc {

inline constexpr double kMaxFrameMs = 10.0;

inline venue::OpusSettings webrtcOpus(const venue::OpusSettings& channel) {
    auto settings = channel;
    settings.frameMs = std::min(settings.frameMs, kMaxFrameMs);
    return settings;
}

} // namespace dragoman::webrtc

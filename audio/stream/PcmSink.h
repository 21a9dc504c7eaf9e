// Receives every channel's PCM as the encoder thread drains the engine's taps, before it is
// encoded: the way for a measurement (the console's EBU R128 loudness meters) to see the
// channels' audio without a second consumer on the taps.
//
//   engine (audio thread) ─► ChannelTap ─► EncoderThread ─┬─► PcmSink (loudness, ...)
//                                                        └─► ChannelEncoder ─► PacketSink
//
// Thread contract: onPcm() runs on the encoder thread. An implementation returns quickly and
// never blocks, allocates or does I/O (it would delay every channel's packets).
#pragma once

#include "core/ChannelTap.h"

namespace dragoman::stream {

class PcmSink {
public:
    virtual ~PcmSink() = default;
    // `chunk` holds chunk.frames samples of venue channel `channel` (0 = floor).
    virtual void onPcm(int channel, const core::TapChunk& chunk) noexcept = 0;
};

} // namespace dragoman::stream

// Playing out a burst of buffered audio at once, without a click: the cut (as in WSOLA) is
// made at the lag where the signal best resembles itself - in voiced speech a whole number of
// pitch periods - and the audio before the cut is crossfaded into the audio after it.
//
//   const std::size_t cut = receive::compress(frame, 120, 600, 240);
//   play frame[cut..]   // frame[cut .. cut + 240) now holds the crossfade
//
// Thread contract: any thread; wait-free, never allocates.
#pragma once

#include <cstddef>
#include <span>

namespace dragoman::receive {

// Removes between `minCut` and `maxCut` samples from the start of `x`, crossfading over
// `overlap` samples. Returns how many it removed: 0 when `x` is too short for `minCut` and
// the overlap.
std::size_t compress(std::span<float> x, std::size_t minCut, std::size_t maxCut,
                     std::size_t overlap) noexcept;

} // namespace dragoman::receive

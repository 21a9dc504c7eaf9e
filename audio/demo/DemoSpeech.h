// What the demo says where and when: the floor clips on the floor mics as the script's floor
// lines say, and every desk mic's booth clip (looped, each desk of a booth at its own offset
// so that booth-mates do not speak in unison). A pure function of the engine frame: the same
// frame always gives the same samples, whatever the block sizes.
//
// Thread contract: construction on the control thread (allocates; throws std::invalid_argument
// for a venue not at the clips' 48 kHz or a clip the session needs that `clips` lacks);
// addTo() on the audio thread (wait-free: no allocation, lock or system call). The DemoClips
// must outlive the DemoSpeech (it reads their samples in place).
#pragma once

#include "demo/DemoClips.h"
#include "demo/DemoSession.h"
#include "venue/Venue.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dragoman::demo {

class DemoSpeech {
public:
    DemoSpeech(const venue::Venue& venue, const DemoSession& session, const DemoClips& clips);

    // Audio thread; wait-free. Adds the speech of engine frames [frame, frame + frames) to
    // `inputs` (venue.deviceInputs buffers of `frames` samples, none null): floor clips to the
    // floor mic inputs, booth clips to the desk mic inputs. Other buffers are left as they are.
    void addTo(float* const* inputs, std::uint64_t frame, std::size_t frames) const noexcept;

    // The desk's position in its booth clip at engine frame 0.
    std::uint64_t deskOffset(int flatDesk) const;

private:
    struct Floor {
        std::uint64_t start = 0; // loop frames
        std::uint64_t end = 0;
        int input = -1;
        std::span<const float> clip;
    };
    struct Voice {
        int input = -1;
        std::uint64_t offset = 0;
        std::span<const float> clip;
    };

    std::uint64_t loopFrames_ = 1;
    std::vector<Floor> floor_; // in time order, not overlapping
    std::vector<Voice> desks_; // flat desk order
};

} // namespace dragoman::demo

// The venue reduced to the integers the audio thread needs: which booth each desk belongs
// to, each booth's A/B/C channels and desk range, and where every signal enters and leaves
// the device. Built once on the control thread; read-only afterwards.
#pragma once

#include "venue/Venue.h"

#include <array>
#include <vector>

namespace dragoman::core {

struct Topology {
    struct BoothInfo {
        std::array<int, venue::kSlotCount> outgoing{-1, -1, -1};
        int firstDesk = 0;
        int deskCount = 0;
    };

    int channels = 0;
    int desks = 0;
    std::vector<int> deskBooth; // flat desk -> booth
    std::vector<BoothInfo> booths;
    std::vector<int> floorMicInput;  // floor mic -> device input
    std::vector<int> deskMicInput;   // desk -> device input
    std::vector<int> deskHeadphones; // desk -> device output (-1 none)
    std::vector<int> channelLineOut; // channel -> device output (-1 none)
    int monitorLeft = -1;
    int monitorRight = -1;

    explicit Topology(const venue::Venue& venue);

    int slotChannel(int desk, venue::Slot slot) const {
        return booths[static_cast<std::size_t>(deskBooth[static_cast<std::size_t>(desk)])]
            .outgoing[static_cast<std::size_t>(slot)];
    }
};

} // namespace dragoman::core

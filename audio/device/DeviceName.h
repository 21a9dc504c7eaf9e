// Finds the device that --audio names among the devices PortAudio lists: the one whose name
// is exactly the given text, else the one whose name contains it (ignoring case). A name
// that fits several devices, or none, is refused with the candidates listed.
//
// Thread contract: a pure function; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dragoman::device {

struct DeviceEntry {
    std::string name;
    std::string hostApi;
    int inputs = 0;
    int outputs = 0;
};

struct DeviceChoice {
    int index = -1;    // into the list; -1 when refused
    std::string error; // why, when refused
};

DeviceChoice chooseDevice(const std::vector<DeviceEntry>& devices, std::string_view wanted);

} // namespace dragoman::device

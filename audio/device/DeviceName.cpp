#include "device/DeviceName.h"

#include <algorithm>
#include <cctype>

namespace dragoman::device {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string describe(const DeviceEntry& d) {
    return "'" + d.name + "' (" + d.hostApi + ", " + std::to_string(d.inputs) + " in, " +
           std::to_string(d.outputs) + " out)";
}

std::string list(const std::vector<DeviceEntry>& devices, const std::vector<int>& which) {
    std::string text;
    for (int i : which)
        text += (text.empty() ? "" : ", ") + describe(devices[static_cast<std::size_t>(i)]);
    return text;
}

} // namespace

DeviceChoice chooseDevice(const std::vector<DeviceEntry>& devices, std::string_view wanted) {
    const int count = static_cast<int>(devices.size());
    std::vector<int> exact;
    std::vector<int> partial;
    const std::string needle = lower(wanted);
    for (int i = 0; i < count; ++i) {
        const std::string& name = devices[static_cast<std::size_t>(i)].name;
        if (name == wanted)
            exact.push_back(i);
        else if (!needle.empty() && lower(name).find(needle) != std::string::npos)
            partial.push_back(i);
    }
    std::string quoted = "'"; // appended: "'" + std::string trips GCC 12's -O3 -Wrestrict
    quoted += wanted;
    quoted += '\'';
    if (exact.size() == 1)
        return {exact.front(), {}};
    if (exact.size() > 1)
        return {-1, "the audio device name " + quoted +
                        " fits several devices: " + list(devices, exact)};
    if (partial.size() == 1)
        return {partial.front(), {}};
    if (partial.size() > 1)
        return {-1, "the audio device name " + quoted + " fits several devices: " +
                        list(devices, partial) + "; give more of the name"};

    std::vector<int> all(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i)
        all[static_cast<std::size_t>(i)] = i;
    return {-1, "no audio device is called " + quoted +
                    (count == 0 ? "; there are no audio devices"
                                : "; the devices are: " + list(devices, all))};
}

} // namespace dragoman::device

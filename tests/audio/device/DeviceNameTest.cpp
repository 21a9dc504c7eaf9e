// --audio NAME: an exact name wins, else a unique substring (any case); anything else is
// refused with the candidates named.
#include "device/DeviceName.h"

#include <catch2/catch.hpp>

using dragoman::device::chooseDevice;
using dragoman::device::DeviceEntry;

namespace {
const std::vector<DeviceEntry> kDevices = {
    {"HDA Intel PCH: ALC892 Analog (hw:0,0)", "ALSA", 2, 2},
    {"Focusrite Scarlett 18i20 (hw:1,0)", "ALSA", 18, 20},
    {"default", "ALSA", 64, 64},
    {"system", "JACK Audio Connection Kit", 16, 16},
    {"default", "OSS", 2, 2},
};
} // namespace

TEST_CASE("a device name picks the one device it fits", "[device][name]") {
    struct Case {
        const char* wanted;
        int index;
    };
    const Case cases[] = {
        {"system", 3},   // exact
        {"scarlett", 1}, // unique substring, any case
        {"hw:0,0", 0},   // unique substring
        {"ALC892", 0},   {"Focusrite Scarlett 18i20 (hw:1,0)", 1},
    };
    for (const Case& c : cases) {
        CAPTURE(c.wanted);
        const auto choice = chooseDevice(kDevices, c.wanted);
        CHECK(choice.error.empty());
        CHECK(choice.index == c.index);
    }
}

TEST_CASE("a device name that fits several devices or none is refused", "[device][name]") {
    struct Case {
        const char* wanted;
        const char* says;
    };
    const Case cases[] = {
        {"default", "fits several devices: 'default' (ALSA, 64 in, 64 out), 'default' (OSS"},
        {"hw:", "fits several devices"},
        {"MOTU", "no audio device is called 'MOTU'; the devices are: 'HDA Intel PCH"},
        {"", "no audio device is called ''"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.wanted);
        const auto choice = chooseDevice(kDevices, c.wanted);
        CHECK(choice.index == -1);
        CHECK_THAT(choice.error, Catch::Contains(c.says));
    }
    CHECK_THAT(chooseDevice({}, "x").error, Catch::Contains("there are no audio devices"));
}

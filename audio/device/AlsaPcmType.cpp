#include "device/AlsaPcmType.h"

#include <alsa/asoundlib.h>

namespace dragoman::device {

std::string alsaPcmType(const std::string& pcm) {
    snd_config_t* top = nullptr;
    if (snd_config_update_ref(&top) < 0 || top == nullptr)
        return {};
    std::string type;
    snd_config_t* definition = nullptr;
    if (snd_config_search_definition(top, "pcm", pcm.c_str(), &definition) >= 0) {
        snd_config_t* node = nullptr;
        const char* text = nullptr;
        if (snd_config_search(definition, "type", &node) >= 0 &&
            snd_config_get_string(node, &text) >= 0 && text != nullptr)
            type = text;
        snd_config_delete(definition);
    }
    snd_config_unref(top);
    return type;
}

std::string alsaSoundServer(const std::string& pcm) {
    const auto type = alsaPcmType(pcm);
    if (type == "pipewire")
        return " (on PipeWire)";
    if (type == "pulse")
        return " (on PulseAudio)";
    if (type == "jack")
        return " (on JACK)";
    return {};
}

} // namespace dragoman::device

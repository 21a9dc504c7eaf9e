#include "demo/DemoClips.h"

#include <memory>
#include <opusfile.h>

namespace dragoman::demo {

namespace {

struct OpusFileCloser {
    void operator()(OggOpusFile* file) const { op_free(file); }
};
using OpusFilePtr = std::unique_ptr<OggOpusFile, OpusFileCloser>;

std::string opusError(int code) {
    switch (code) {
    case OP_EREAD:
        return "read error";
    case OP_EFAULT:
        return "out of memory or internal error";
    case OP_EIMPL:
        return "uses an Opus feature libopusfile does not support";
    case OP_EINVAL:
        return "invalid stream";
    case OP_ENOTFORMAT:
        return "not an Ogg Opus file";
    case OP_EBADHEADER:
        return "bad Opus header";
    case OP_EVERSION:
        return "unsupported Opus version";
    case OP_EBADLINK:
        return "broken link between Ogg pages";
    case OP_EBADTIMESTAMP:
        return "bad timestamp";
    case OP_HOLE:
        return "missing or corrupt data (a hole in the stream)";
    case OP_EBADPACKET:
        return "corrupt Opus packet";
    default:
        return "libopusfile error " + std::to_string(code);
    }
}

} // namespace

DemoClipError::DemoClipError(std::string file, std::string problem)
    : std::runtime_error(file + ": " + problem)
    , file_(std::move(file))
    , problem_(std::move(problem)) {
}

std::vector<float> decodeOpusFile(const std::filesystem::path& file) {
    const std::string name = file.string();
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        throw DemoClipError(name, "no such file");
    if (std::filesystem::is_directory(file, ec))
        throw DemoClipError(name, "is a folder, not an Ogg Opus file");

    int error = 0;
    OpusFilePtr opus(op_open_file(name.c_str(), &error));
    if (!opus)
        throw DemoClipError(name, "cannot open: " + opusError(error));

    std::vector<float> mono;
    if (const auto total = op_pcm_total(opus.get(), -1); total > 0)
        mono.reserve(static_cast<std::size_t>(total));

    // 120 ms (the longest Opus packet) of up to 8 channels per call.
    constexpr int kMaxChannels = 8;
    constexpr int kMaxFrames = 5760;
    std::vector<float> buffer(static_cast<std::size_t>(kMaxChannels * kMaxFrames));
    for (;;) {
        int link = 0;
        const int frames =
            op_read_float(opus.get(), buffer.data(), static_cast<int>(buffer.size()), &link);
        if (frames < 0)
            throw DemoClipError(name, "cannot decode: " + opusError(frames));
        if (frames == 0)
            break;
        const OpusHead* head = op_head(opus.get(), link);
        const int channels = head ? head->channel_count : 1;
        if (channels < 1 || channels > kMaxChannels)
            throw DemoClipError(name, "unsupported channel count " + std::to_string(channels));
        for (int i = 0; i < frames; ++i) {
            float sum = 0.0f;
            for (int c = 0; c < channels; ++c)
                sum += buffer[static_cast<std::size_t>(i * channels + c)];
            mono.push_back(sum / static_cast<float>(channels));
        }
    }
    if (mono.empty())
        throw DemoClipError(name, "holds no audio");
    return mono;
}

DemoClips::DemoClips(const std::filesystem::path& folder, const std::vector<std::string>& names) {
    for (const auto& name : names)
        if (!clips_.contains(name))
            clips_.emplace(name, decodeOpusFile(folder / (name + ".opus")));
}

bool DemoClips::contains(std::string_view name) const {
    return clips_.find(name) != clips_.end();
}

const std::vector<float>& DemoClips::samples(std::string_view name) const {
    const auto found = clips_.find(name);
    if (found == clips_.end())
        throw std::out_of_range("no demo clip named \"" + std::string(name) + "\"");
    return found->second;
}

std::vector<std::string> DemoClips::names() const {
    std::vector<std::string> all;
    for (const auto& [name, samples] : clips_)
        all.push_back(name);
    return all;
}

} // namespace dragoman::demo

#include "render/SoundFile.h"

namespace dragoman::render {

SoundFile::SoundFile(const std::filesystem::path& file, int mode, SF_INFO& info)
    : handle_(sf_open(file.c_str(), mode, &info))
    , name_(file.string()) {
    if (!handle_) {
        const std::string what = mode == SFM_READ ? "cannot read audio" : "cannot write audio";
        throw WavError(name_ + ": " + what + ": " + sf_strerror(nullptr));
    }
}

void SoundFile::close() {
    if (!handle_)
        return;
    const int status = sf_close(handle_.release());
    if (status != 0)
        throw WavError(name_ + ": cannot finish writing: " + sf_error_number(status));
}

} // namespace dragoman::render

// An open libsndfile handle: the one RAII owner of SNDFILE* that WavInput and WavOutput share.
// Private to audio/render (its users include it from .cpp files only).
//
// Thread contract: control thread; may allocate, throws WavError.
#pragma once

#include "render/WavError.h"

#include <filesystem>
#include <memory>
#include <sndfile.h>
#include <string>

namespace dragoman::render {

class SoundFile {
public:
    // mode: SFM_READ or SFM_WRITE; `info` is filled in (read) or describes the file (write).
    // Throws WavError naming the file and libsndfile's reason.
    SoundFile(const std::filesystem::path& file, int mode, SF_INFO& info);

    SNDFILE* get() const { return handle_.get(); }

    // Closes the file now (writing its final header); throws WavError if that fails.
    void close();

private:
    struct Closer {
        void operator()(SNDFILE* file) const { sf_close(file); }
    };
    std::unique_ptr<SNDFILE, Closer> handle_;
    std::string name_;
};

} // namespace dragoman::render

// The live demo's speech clips: small Ogg Opus files (resources/demo/clips/, made by
// make-clips.sh), decoded once at start-up into memory as mono 48 kHz float samples, so the
// audio thread only ever reads plain arrays.
//
// Thread contract: construction and decodeOpusFile() on the control thread (they allocate and
// throw DemoClipError); a constructed DemoClips is immutable and may be read from any thread.
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dragoman::demo {

// A clip that cannot be used. what() reads "FILE: PROBLEM".
class DemoClipError : public std::runtime_error {
public:
    DemoClipError(std::string file, std::string problem);

    const std::string& file() const { return file_; }
    const std::string& problem() const { return problem_; }

private:
    std::string file_;
    std::string problem_;
};

// Decodes a whole Ogg Opus file (libopusfile) to mono float samples at 48 kHz (Opus always
// decodes at 48 kHz; several channels are averaged). A missing, unreadable, corrupt or empty
// file throws DemoClipError naming it.
std::vector<float> decodeOpusFile(const std::filesystem::path& file);

class DemoClips {
public:
    static constexpr int kSampleRate = 48000;

    // Decodes FOLDER/NAME.opus for every name (DemoSession::clipNames() says which the demo
    // needs). Throws DemoClipError for the first clip that cannot be used.
    DemoClips(const std::filesystem::path& folder, const std::vector<std::string>& names);

    bool contains(std::string_view name) const;
    // The clip's samples; throws std::out_of_range for a name that was not loaded.
    const std::vector<float>& samples(std::string_view name) const;
    std::vector<std::string> names() const;

private:
    std::map<std::string, std::vector<float>, std::less<>> clips_;
};

} // namespace dragoman::demo

// Where Dragoman's data files are: the installed share/dragoman folder next to the
// executable's prefix, or the source tree's resources/ folder for a build that has not been
// installed. DRAGOMAN_DATA_DIR overrides both.
//
// Thread contract: any thread; reads the file system.
#pragma once

#include <filesystem>
#include <string_view>

namespace dragoman::app {

// The path of `relative` (e.g. "venues/tirana.json") under the first data folder that has it;
// the source tree's path when none does (so error messages name a sensible file).
std::filesystem::path findResource(std::string_view relative, const char* argv0);

} // namespace dragoman::app

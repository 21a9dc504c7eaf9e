// Where Dragoman's data files are (venues, demo clips, web pages, MIDI mappings), looked up in
// this order:
//  1. $DRAGOMAN_DATA_DIR, when set;
//  2. PREFIX/share/dragoman, PREFIX being the folder above the running executable's bin/
//     (found from /proc/self/exe, so it holds however the program was started: from PATH, a
//     symlink or an unpacked package in any folder);
//  3. the source tree's resources/ folder, only for an executable inside the build tree (an
//     installed program never reads the tree it was built from).
//
// Thread contract: any thread; reads the file system.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace dragoman::app {

// The data folders above, in the order they are searched (those that apply; they may not
// exist).
std::vector<std::filesystem::path> resourceRoots(const char* argv0);

// The path of `relative` (e.g. "venues/tirana.json") under the first data folder that has it;
// under the last folder searched when none does (so error messages name a sensible file).
std::filesystem::path findResource(std::string_view relative, const char* argv0);

} // namespace dragoman::app

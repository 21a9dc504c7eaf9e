// Files that appear complete or not at all: write under a temporary name beside the target,
// then rename over it (a rename within one folder is atomic on POSIX file systems).
//
// Thread contract: control thread; may allocate, moveIntoPlace throws std::runtime_error.
#pragma once

#include <filesystem>

namespace dragoman::render {

// ".NAME.part-PID" in the target's folder: hidden, and never shared by two renders at once.
std::filesystem::path temporaryBeside(const std::filesystem::path& file);

// Renames `temporary` over `file`. On failure removes `temporary` and throws, naming `file`.
void moveIntoPlace(const std::filesystem::path& temporary, const std::filesystem::path& file);

} // namespace dragoman::render

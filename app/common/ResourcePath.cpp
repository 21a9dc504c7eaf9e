#include "common/ResourcePath.h"

#include <cstdlib>
#include <system_error>

namespace dragoman::app {

namespace {

// The running executable's path with symlinks resolved; argv0 where /proc is missing.
std::filesystem::path executablePath(const char* argv0) {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec && argv0 != nullptr)
        exe = std::filesystem::weakly_canonical(std::filesystem::path(argv0), ec);
    return ec ? std::filesystem::path() : exe;
}

// Whether `path` (absolute, symlinks resolved) lies inside `folder`.
bool isInside(const std::filesystem::path& path, const std::filesystem::path& folder) {
    std::error_code ec;
    const auto real = std::filesystem::weakly_canonical(folder, ec);
    if (ec)
        return false;
    const auto relative = path.lexically_normal().lexically_relative(real);
    return !relative.empty() && *relative.begin() != "..";
}

} // namespace

std::vector<std::filesystem::path> resourceRoots(const char* argv0) {
    std::vector<std::filesystem::path> roots;
    if (const char* dir = std::getenv("DRAGOMAN_DATA_DIR"); dir && *dir)
        roots.emplace_back(dir);
    const auto exe = executablePath(argv0);
    if (!exe.empty()) {
        roots.push_back(exe.parent_path().parent_path() / "share" / "dragoman");
        if (isInside(exe, DRAGOMAN_BINARY_DIR))
            roots.push_back(std::filesystem::path(DRAGOMAN_SOURCE_DIR) / "resources");
    }
    return roots;
}

std::filesystem::path findResource(std::string_view relative, const char* argv0) {
    const auto roots = resourceRoots(argv0);
    std::error_code ec;
    for (const auto& root : roots)
        if (std::filesystem::exists(root / relative, ec))
            return root / relative;
    return roots.empty() ? std::filesystem::path(relative) : roots.back() / relative;
}

} // namespace dragoman::app

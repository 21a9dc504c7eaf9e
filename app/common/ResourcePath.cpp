#include "common/ResourcePath.h"

#include <cstdlib>
#include <system_error>
#include <vector>

namespace dragoman::app {

std::filesystem::path findResource(std::string_view relative, const char* argv0) {
    std::vector<std::filesystem::path> roots;
    if (const char* dir = std::getenv("DRAGOMAN_DATA_DIR"); dir && *dir)
        roots.emplace_back(dir);
    std::error_code ec;
    const auto exe = std::filesystem::weakly_canonical(std::filesystem::path(argv0), ec);
    if (!ec)
        roots.push_back(exe.parent_path().parent_path() / "share" / "dragoman");
    const std::filesystem::path source = std::filesystem::path(DRAGOMAN_SOURCE_DIR) / "resources";
    roots.push_back(source);
    for (const auto& root : roots)
        if (std::filesystem::exists(root / relative, ec))
            return root / relative;
    return source / relative;
}

} // namespace dragoman::app

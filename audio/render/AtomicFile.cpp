#include "render/AtomicFile.h"

#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>

namespace dragoman::render {

std::filesystem::path temporaryBeside(const std::filesystem::path& file) {
    return file.parent_path() /
           ("." + file.filename().string() + ".part-" + std::to_string(::getpid()));
}

void moveIntoPlace(const std::filesystem::path& temporary, const std::filesystem::path& file) {
    std::error_code error;
    std::filesystem::rename(temporary, file, error);
    if (error) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw std::runtime_error(file.string() +
                                 ": cannot move the finished file into place: " + error.message());
    }
}

} // namespace dragoman::render

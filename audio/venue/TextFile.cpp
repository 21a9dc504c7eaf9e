#include "venue/TextFile.h"

#include "venue/FileDescriptor.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace dragoman::venue {

std::string readTextFile(const std::filesystem::path& file, std::size_t maxBytes) {
    const auto reason = [](int error) { return std::generic_category().message(error); };
    const FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        throw TextFileError("cannot open the file: " + reason(errno));
    std::string text;
    std::array<char, 65536> buffer{};
    for (;;) {
        // One byte past the limit tells a file of exactly maxBytes from a longer one.
        const std::size_t room = maxBytes + 1 - text.size();
        const auto count = ::read(fd.get(), buffer.data(), std::min(buffer.size(), room));
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            throw TextFileError("cannot read the file: " + reason(errno));
        if (count == 0)
            return text;
        text.append(buffer.data(), static_cast<std::size_t>(count));
        if (text.size() > maxBytes)
            throw TextFileError("the file is larger than " + std::to_string(maxBytes) +
                                " bytes, the most this file may hold");
    }
}

} // namespace dragoman::venue

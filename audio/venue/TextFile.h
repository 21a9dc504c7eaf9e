// Reading a whole text file of bounded size (venue files, MIDI mapping files, event scripts):
// it never reads more than the limit allows, whatever the file holds (or claims to hold).
//
// Thread contract: any thread; allocates; throws TextFileError.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace dragoman::venue {

// Why a file could not be read, without its name: "cannot open the file: No such file or
// directory", "the file is larger than 1048576 bytes". Loaders throw their own error with it.
class TextFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The file's bytes; refuses a file of more than `maxBytes`.
std::string readTextFile(const std::filesystem::path& file, std::size_t maxBytes);

} // namespace dragoman::venue

// A sound file that cannot be read or written. what() names the file and the problem.
//
// Thread contract: plain value.
#pragma once

#include <stdexcept>

namespace dragoman::render {

class WavError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace dragoman::render

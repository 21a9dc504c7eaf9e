// UTF-8 checks for text read from files: whether it is well-formed, and a form of it that is
// safe to show in a message.
//
// Thread contract: any thread; printableUtf8() allocates.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dragoman::venue {

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool isValidUtf8(std::string_view text);

// How many code points well-formed `text` holds (each ill-formed byte counts as one).
std::size_t utf8Length(std::string_view text);

// `text` with every ill-formed byte written as "\xFF".
std::string printableUtf8(std::string_view text);

} // namespace dragoman::venue

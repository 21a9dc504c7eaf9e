#include "venue/JsonPath.h"

#include "venue/JsonFileError.h"

#include <algorithm>

namespace dragoman::venue {

namespace {

bool isIdentifier(std::string_view key) {
    if (key.empty())
        return false;
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!letter(key.front()) && key.front() != '_')
        return false;
    return std::all_of(key.begin(), key.end(),
                       [&](char c) { return letter(c) || digit(c) || c == '_'; });
}

} // namespace

std::string jsonMember(std::string_view path, std::string_view key) {
    if (isIdentifier(key))
        return std::string(path) + "." + std::string(key);
    return std::string(path) + "[" + quoteJson(key) + "]";
}

std::string jsonElement(std::string_view path, std::size_t index) {
    return std::string(path) + "[" + std::to_string(index) + "]";
}

} // namespace dragoman::venue

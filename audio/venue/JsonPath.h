// JSON paths, as every refusal of a JSON file names the place it means: "$",
// "$.booths[2].desks[1].mic"; a key that is not an identifier is written ["..."]
// ("$.preselect[\"en.1\"]").
//
// Thread contract: any thread; allocates.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dragoman::venue {

// The path of `key` inside the object at `path`.
std::string jsonMember(std::string_view path, std::string_view key);

// The path of element `index` inside the array at `path`.
std::string jsonElement(std::string_view path, std::size_t index);

} // namespace dragoman::venue

// Step 1 of reading a JSON file: the syntax. A strict parse (RFC 8259: no comments, no trailing
// commas) that also refuses duplicate keys, which a plain parse silently collapses to the last
// one. A refusal names the JSON path ("$.booths[2]") and the problem, so that every loader can
// throw its own JsonFileError with them (venue files, MIDI mapping files; request bodies may
// use it too, with limits of their own).
//
// Bounded: the text, the nesting depth, every string and every key have a limit, checked as
// the parser meets them, so a hostile document (100,000 nested arrays, a 1 GB string) is
// refused early and costs memory in proportion to what was read, never more.
//
// Thread contract: any thread; allocates; never throws for bad input (only std::bad_alloc).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace dragoman::venue {

// Where a document is refused, and why.
struct JsonRefusal {
    std::string path;    // "$", "$.channels[1]", ...
    std::string problem; // "duplicate key \"code\": a key may appear once per object"
};

struct StrictJson {
    nlohmann::ordered_json document;    // the whole document (keys in file order) if accepted
    std::optional<JsonRefusal> refusal; // set if refused; `document` is then unspecified
};

// What a document may hold. The defaults suit a hand-written configuration file.
struct JsonLimits {
    std::size_t maxBytes = std::size_t{1} << 20; // the whole text: 1 MiB
    std::size_t maxDepth = 16;                   // arrays and objects inside each other
    std::size_t maxStringBytes = 4096;           // one string value
    std::size_t maxKeyBytes = 200;               // one object key
};

// Parses `text` as one JSON document within `limits`.
StrictJson parseStrictJson(std::string_view text, const JsonLimits& limits = {});

} // namespace dragoman::venue

// What every JSON file Dragoman reads (venues, MIDI mappings) says when it refuses one: which
// file, where in it (a JSON path such as "$.booths[2].desks[0].mic") and what is wrong, with the
// offending value described in the same words everywhere. what() reads "FILE: PATH: PROBLEM".
//
// Thread contract: any thread; allocates.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dragoman::venue {

class JsonFileError : public std::runtime_error {
public:
    JsonFileError(std::string file, std::string jsonPath, std::string problem);

    const std::string& file() const { return file_; }
    const std::string& jsonPath() const { return jsonPath_; }
    const std::string& problem() const { return problem_; }

private:
    std::string file_;
    std::string jsonPath_;
    std::string problem_;
};

// A string as a JSON string literal, for messages: "sq", "Shqip".
std::string quoteJson(std::string_view text);

// What a value is, for messages: null, true, number 7, string "sq" (long strings cut short),
// an array, an object.
std::string describeJson(const nlohmann::ordered_json& value);

} // namespace dragoman::venue

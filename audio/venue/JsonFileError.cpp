#include "venue/JsonFileError.h"

#include <utility>

namespace dragoman::venue {

JsonFileError::JsonFileError(std::string file, std::string jsonPath, std::string problem)
    : std::runtime_error(file + ": " + jsonPath + ": " + problem)
    , file_(std::move(file))
    , jsonPath_(std::move(jsonPath))
    , problem_(std::move(problem)) {
}

std::string quoteJson(std::string_view text) {
    using Json = nlohmann::ordered_json;
    return Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string describeJson(const nlohmann::ordered_json& value) {
    using Json = nlohmann::ordered_json;
    constexpr std::size_t kLongest = 40;
    switch (value.type()) {
    case Json::value_t::null:
        return "null";
    case Json::value_t::boolean:
        return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
        return "number " + value.dump();
    case Json::value_t::string: {
        const auto& text = value.get_ref<const std::string&>();
        if (text.size() <= kLongest)
            return "string " + quoteJson(text);
        return "string " + quoteJson(text.substr(0, kLongest)) + "...";
    }
    case Json::value_t::array:
        return "an array";
    case Json::value_t::object:
        return "an object";
    default:
        return "an unsupported value";
    }
}

} // namespace dragoman::venue

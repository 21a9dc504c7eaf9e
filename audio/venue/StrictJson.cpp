#include "venue/StrictJson.h"

#include "venue/JsonFileError.h"
#include "venue/JsonPath.h"
#include "venue/Utf8.h"

#include <unordered_set>
#include <utility>
#include <vector>

namespace dragoman::venue {

namespace {

using Json = nlohmann::ordered_json;

// A SAX handler that builds the document like nlohmann's own DOM parser, but refuses duplicate
// keys and anything past its limits. The JSON path of a refusal is built only when there is
// one: each open container keeps just its own key or index, so the stack costs no more than
// the text it was read from.
class StrictDocument final : public nlohmann::json_sax<Json> {
public:
    explicit StrictDocument(const JsonLimits& limits)
        : limits_(limits) {}

    Json root;
    std::string errorPath = "$";
    std::string errorProblem = "invalid JSON";

    bool null() override { return add(Json(nullptr)); }
    bool boolean(bool value) override { return add(Json(value)); }
    bool number_integer(number_integer_t value) override { return add(Json(value)); }
    bool number_unsigned(number_unsigned_t value) override { return add(Json(value)); }
    bool number_float(number_float_t value, const string_t&) override { return add(Json(value)); }
    bool string(string_t& value) override {
        if (value.size() > limits_.maxStringBytes)
            return refuse(nextPath(), "a string of " + std::to_string(value.size()) +
                                          " bytes; a string holds at most " +
                                          std::to_string(limits_.maxStringBytes));
        return add(Json(std::move(value)));
    }
    bool binary(binary_t& value) override { return add(Json::binary(std::move(value))); }

    bool start_object(std::size_t) override { return open(Json::object()); }
    bool start_array(std::size_t) override { return open(Json::array()); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& key) override {
        if (key.size() > limits_.maxKeyBytes)
            return refuse(pathOf(open_.size()), "a key of " + std::to_string(key.size()) +
                                                    " bytes; a key holds at most " +
                                                    std::to_string(limits_.maxKeyBytes));
        if (!open_.back().keys.insert(key).second)
            return refuse(jsonMember(pathOf(open_.size()), key),
                          "duplicate key " + quoteJson(key) + ": a key may appear once per object");
        key_ = std::move(key);
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const Json::exception& ex) override {
        if (refused_)
            return false; // nlohmann reports our own refusal as a parse error too
        // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 3,
        // column 5: syntax error while parsing ..."; keep it without the bracketed id.
        std::string message = ex.what();
        if (const auto bracket = message.find("] ");
            !message.empty() && message.front() == '[' && bracket != std::string::npos)
            message.erase(0, bracket + 2);
        return refuse("$", "invalid JSON at byte " + std::to_string(position) + ": " +
                               printableUtf8(message));
    }

private:
    struct OpenContainer {
        Json* value;
        std::string key;                      // its key in its parent object, or
        std::size_t index = 0;                // its index in its parent array
        bool inArray = false;                 // which of the two
        std::unordered_set<std::string> keys; // an object's keys so far (a linear search
                                              // per key would make big objects quadratic)
    };

    bool refuse(std::string path, std::string problem) {
        refused_ = true;
        errorPath = std::move(path);
        errorProblem = std::move(problem);
        return false;
    }

    // The path of the innermost `depth` open containers ("$" for none).
    std::string pathOf(std::size_t depth) const {
        std::string path = "$";
        for (std::size_t i = 1; i < depth; ++i)
            path = open_[i].inArray ? jsonElement(path, open_[i].index)
                                    : jsonMember(path, open_[i].key);
        return path;
    }

    // The path the next value would have.
    std::string nextPath() const {
        if (open_.empty())
            return "$";
        const auto& parent = *open_.back().value;
        const auto path = pathOf(open_.size());
        return parent.is_array() ? jsonElement(path, parent.size()) : jsonMember(path, key_);
    }

    // Puts `value` where the parser is: the root, the next array element or the pending key.
    Json* place(Json value, OpenContainer* where) {
        if (open_.empty()) {
            root = std::move(value);
            return &root;
        }
        auto& parent = *open_.back().value;
        if (parent.is_array()) {
            if (where) {
                where->inArray = true;
                where->index = parent.size();
            }
            parent.push_back(std::move(value));
            return &parent.back();
        }
        if (where)
            where->key = key_;
        // key() has refused a key the object holds already: append without looking it up.
        auto& members = *parent.get_ptr<Json::object_t*>();
        members.emplace_back(key_, std::move(value));
        return &members.back().second;
    }

    bool add(Json value) {
        place(std::move(value), nullptr);
        return true;
    }

    // A container's children are only added while it is the innermost open one, so the
    // pointers on the stack stay valid (the parent does not grow while a child is open).
    bool open(Json container) {
        if (open_.size() >= limits_.maxDepth)
            return refuse(nextPath(), "nested deeper than " + std::to_string(limits_.maxDepth) +
                                          " levels of arrays and objects");
        OpenContainer entry{};
        entry.value = place(std::move(container), &entry);
        open_.push_back(std::move(entry));
        return true;
    }

    bool close() {
        open_.pop_back();
        return true;
    }

    const JsonLimits& limits_;
    std::vector<OpenContainer> open_;
    std::string key_;
    bool refused_ = false;
};

} // namespace

StrictJson parseStrictJson(std::string_view text, const JsonLimits& limits) {
    StrictJson result;
    if (text.size() > limits.maxBytes) {
        result.refusal =
            JsonRefusal{"$", "the document is " + std::to_string(text.size()) + " bytes; at most " +
                                 std::to_string(limits.maxBytes) + " are read"};
        return result;
    }
    StrictDocument document(limits);
    if (!Json::sax_parse(text.begin(), text.end(), &document)) {
        result.refusal =
            JsonRefusal{std::move(document.errorPath), std::move(document.errorProblem)};
        return result;
    }
    result.document = std::move(document.root);
    return result;
}

} // namespace dragoman::venue

#include "control/StrictJson.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace dragoman::control {

namespace {

int characters(const std::string& utf8) {
    int n = 0;
    for (const char c : utf8)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80; // not a continuation byte
    return n;
}

class StrictReader : public nlohmann::json_sax<nlohmann::json> {
public:
    explicit StrictReader(const StrictJsonLimits& limits)
        : limits_(limits) {}

    QString problem;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool string(string_t& text) override {
        if (characters(text) > limits_.maxChars)
            return fail(QStringLiteral("a string longer than %1 characters at %2")
                            .arg(limits_.maxChars)
                            .arg(path()));
        return value();
    }
    bool start_object(std::size_t) override { return open(true); }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(false); }
    bool end_array() override { return close(); }
    bool key(string_t& name) override {
        if (characters(name) > limits_.maxChars)
            return fail(QStringLiteral("a key longer than %1 characters at %2")
                            .arg(limits_.maxChars)
                            .arg(path()));
        Level& level = levels_.back();
        if (!level.keys.insert(name).second)
            return fail(QStringLiteral("duplicate key \"%1\" at %2")
                            .arg(QString::fromStdString(name), path()));
        level.key = name;
        return true;
    }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& error) override {
        std::string what = error.what();
        if (const auto colon = what.rfind(": "); colon != std::string::npos)
            what = what.substr(colon + 2);
        return fail(QStringLiteral("invalid JSON at byte %1: %2")
                        .arg(position)
                        .arg(QString::fromStdString(what)));
    }

private:
    struct Level {
        bool object = false;
        std::set<std::string> keys;
        std::string key;
        int index = -1; // arrays: the element being read
    };

    bool value() {
        if (++values_ > limits_.maxValues)
            return fail(QStringLiteral("more than %1 values").arg(limits_.maxValues));
        if (!levels_.empty() && !levels_.back().object)
            ++levels_.back().index;
        return true;
    }
    bool open(bool object) {
        if (!value())
            return false;
        if (static_cast<int>(levels_.size()) >= limits_.maxDepth)
            return fail(QStringLiteral("nested deeper than %1 levels at %2")
                            .arg(limits_.maxDepth)
                            .arg(path()));
        levels_.push_back({object, {}, {}, -1});
        return true;
    }
    bool close() {
        levels_.pop_back();
        return true;
    }
    bool fail(const QString& message) {
        if (problem.isEmpty())
            problem = message;
        return false;
    }
    QString path() const {
        QString text;
        for (const auto& level : levels_)
            text += '/' + (level.object ? QString::fromStdString(level.key).left(40)
                                        : QString::number(level.index));
        return text.isEmpty() ? QStringLiteral("/") : text;
    }

    const StrictJsonLimits& limits_;
    std::vector<Level> levels_;
    int values_ = 0;
};

} // namespace

QString strictJsonProblem(QByteArrayView body, const StrictJsonLimits& limits) {
    StrictReader reader(limits);
    const char* begin = body.data();
    const bool ok = nlohmann::json::sax_parse(begin, begin + body.size(), &reader);
    if (!ok && reader.problem.isEmpty())
        return QStringLiteral("invalid JSON");
    return reader.problem;
}

} // namespace dragoman::control

// The control API's write bodies are read strictly (StrictJson.h, WriteRequests.h): duplicate
// keys, deep nesting, long strings and ids that are not written exactly are refused with a
// message naming the problem.
#include "control/StrictJson.h"

#include "control/WriteRequests.h"
#include "support/TiranaVenue.h"

#include <catch2/catch.hpp>
#include <string>

using namespace dragoman;

TEST_CASE("Strict JSON refuses duplicate keys, deep nesting and long strings, naming where") {
    struct Row {
        std::string body;
        std::string problem; // "" = accepted; else a part of the message
    };
    const std::vector<Row> rows{
        {R"({"mic":true})", ""},
        {R"({"a":{"b":[1,2,{"c":"d"}]}})", ""},
        {R"({"mic":true,"mic":false})", "duplicate key \"mic\" at /"},
        {R"({"a":{"b":1,"b":2}})", "duplicate key \"b\" at /a"},
        {R"({"a":[{"x":1},{"x":2}]})", ""}, // the same key in two objects is fine
        {R"({"a":[0,{"x":1,"x":1}]})", "duplicate key \"x\" at /a/1"},
        {std::string(9, '[') + std::string(9, ']'),
         "nested deeper than 8 levels at /0/0/0/0/0/0/0/0"},
        {std::string(100000, '[') + std::string(100000, ']'), "nested deeper than 8 levels"},
        {R"({"in":")" + std::string(201, 'e') + R"("})",
         "a string longer than 200 characters at /in"},
        {R"({"in":")" + std::string(200, 'e') + R"("})", ""},
        {"{\"in\":\"" + std::string(150, 'a') +
             [] { // 200 characters, 250 bytes
                 std::string cyrillic;
                 for (int i = 0; i < 50; ++i)
                     cyrillic += "д";
                 return cyrillic;
             }() +
             "\"}",
         ""},
        {"{\"" + std::string(201, 'k') + "\":1}", "a key longer than 200 characters at /"},
        {R"({"mic":tru})", "invalid JSON at byte"},
        {"[" +
             [] {
                 std::string many;
                 for (int i = 0; i < 1001; ++i)
                     many += "0,";
                 return many;
             }() +
             "0]",
         "more than 1000 values"},
    };
    for (const auto& row : rows) {
        INFO(row.body.substr(0, 80));
        const QString problem = control::strictJsonProblem(QByteArray::fromStdString(row.body));
        if (row.problem.empty())
            CHECK(problem.isEmpty());
        else
            CHECK(problem.toStdString().find(row.problem) != std::string::npos);
    }
}

TEST_CASE("Writes refuse duplicate keys and ids not written exactly") {
    const auto venue = test::tiranaVenue();
    using control::parseDeskWrite;
    struct Row {
        const char* what;
        control::ParsedWrite parsed;
        std::string problem; // "" = accepted
    };
    const std::vector<Row> rows{
        {"desk 1", parseDeskWrite(venue, "en", "1", R"({"mic":true})"), ""},
        {"desk 01", parseDeskWrite(venue, "en", "01", R"({"mic":true})"), "has no desk \"01\""},
        {"desk +1", parseDeskWrite(venue, "en", "+1", R"({"mic":true})"), "has no desk \"+1\""},
        {"a duplicate field", parseDeskWrite(venue, "en", "1", R"({"mic":true,"mic":false})"),
         "duplicate key \"mic\""},
        {"input 0", control::parseInputWrite(venue, "0", R"({"trim":1})"), ""},
        {"input 00", control::parseInputWrite(venue, "00", R"({"trim":1})"),
         "unknown input \"00\""},
        {"input 1.0", control::parseInputWrite(venue, "1.0", R"({"trim":1})"), "unknown input"},
        {"monitor desk en.1", control::parseMonitorWrite(venue, R"({"desk":"en.1"})"), ""},
        {"monitor desk en.01", control::parseMonitorWrite(venue, R"({"desk":"en.01"})"),
         "unknown desk \"en.01\""},
        {"a channel code of 300 characters",
         control::parseChannelWrite(venue, QString(300, 'x'), R"({"trim":1})"),
         "unknown channel \"" + std::string(60, 'x') + "...\""},
        {"a 300-character value",
         parseDeskWrite(venue, "en", "1", QByteArray(R"({"in":")") + QByteArray(300, 'x') + "\"}"),
         "a string longer than 200 characters at /in"},
    };
    for (const auto& row : rows) {
        INFO(row.what << ": " << row.parsed.error.toStdString());
        if (row.problem.empty())
            CHECK(row.parsed.ok());
        else
            CHECK(row.parsed.error.toStdString().find(row.problem) != std::string::npos);
    }
}

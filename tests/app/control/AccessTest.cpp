// Who may read and write (app/control/Access.h, ControlToken.h): the rules as tables, for
// peers the tests cannot be (test traffic stays on loopback).
#include "control/Access.h"

#include "control/ControlToken.h"

#include <catch2/catch.hpp>
#include <string>

using namespace dragoman;

TEST_CASE("Reads are open to loopback, to other hosts only with remoteReads or the token") {
    struct Row {
        const char* peer;
        bool remoteReads;
        bool token;
        bool allowed;
    };
    const auto row = GENERATE(values<Row>({
        {"127.0.0.1", false, false, true},
        {"127.0.0.53", false, false, true},
        {"::1", false, false, true},
        {"::ffff:127.0.0.1", false, false, true},
        {"192.168.1.20", false, false, false},
        {"10.0.0.7", false, false, false},
        {"fe80::1", false, false, false},
        {"::ffff:192.168.1.20", false, false, false},
        {"192.168.1.20", true, false, true},
        {"192.168.1.20", false, true, true},
        {"2001:db8::5", true, false, true},
    }));
    INFO(row.peer << " remoteReads=" << row.remoteReads << " token=" << row.token);
    CHECK(control::mayRead(QHostAddress(QString::fromLatin1(row.peer)), row.remoteReads,
                           row.token) == row.allowed);
}

TEST_CASE("A presented token matches only the very same token") {
    const QByteArray token = "0123456789abcdef-token";
    CHECK(control::tokensMatch(token, token));
    CHECK_FALSE(control::tokensMatch(token + "x", token));
    CHECK_FALSE(control::tokensMatch(token.left(token.size() - 1), token));
    CHECK_FALSE(control::tokensMatch("1123456789abcdef-token", token));
    CHECK_FALSE(control::tokensMatch("", token));
    CHECK_FALSE(control::tokensMatch("", "")); // no token configured: nothing matches
    CHECK_FALSE(control::tokensMatch("x", ""));
}

TEST_CASE("tokenProblem() accepts no token or a strong one and says what is wrong otherwise") {
    struct Row {
        const char* token;
        std::string problem; // "" = fine
    };
    const auto row = GENERATE(values<Row>({
        {"", ""},
        {"0123456789abcdef", ""},
        {"A-b_c.d~e+f/g=0123456789", ""},
        {"0123456789abcde", "has 15 characters; use at least 16"},
        {"0123456789 abcdef", "printable ASCII characters without spaces"},
        {"0123456789abcdef\t", "printable ASCII characters without spaces"},
        {"0123456789abcdefé", "printable ASCII characters without spaces"},
    }));
    INFO(row.token);
    const auto problem = control::tokenProblem(QString::fromUtf8(row.token)).toStdString();
    if (row.problem.empty())
        CHECK(problem.empty());
    else
        CHECK_THAT(problem, Catch::Matchers::Contains(row.problem));
}

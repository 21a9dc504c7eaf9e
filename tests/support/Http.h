// HTTP requests from tests, made by a real client: the curl binary.
#pragma once

#include "support/ChildProcess.h"

#include <string>

namespace dragoman::test {

struct HttpReply {
    int status = 0; // 0: no answer
    std::string body;
};

inline std::string shellQuote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// Runs a curl command that writes the body then "\n%{http_code}" (-w), and reads its reply.
inline HttpReply curlReply(const std::string& command) {
    const std::string out = capture(command);
    HttpReply reply;
    const auto newline = out.rfind('\n');
    if (newline == std::string::npos)
        return reply;
    reply.body = out.substr(0, newline);
    reply.status = std::atoi(out.c_str() + newline + 1);
    return reply;
}

inline HttpReply http(const std::string& method, const std::string& url,
                      const std::string& body = "", const std::string& token = "") {
    std::string command = "curl -s -m 5 -o - -w '\\n%{http_code}' -X " + method;
    if (!token.empty())
        command += " -H " + shellQuote("Authorization: Bearer " + token);
    if (!body.empty())
        command += " -H 'Content-Type: application/json' --data-binary " + shellQuote(body);
    return curlReply(command + " " + shellQuote(url) + " 2>/dev/null");
}

} // namespace dragoman::test

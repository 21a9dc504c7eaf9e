// The strict reading of a JSON request body before it is used (the control API's writes; the
// venue files are read as strictly by audio/venue): a duplicate key in an object is refused
// (a plain parser keeps the last, so two readers could disagree), and so is nesting deeper
// than maxDepth, a string or key longer than maxChars characters, or more than maxValues
// values. It reads with nlohmann's SAX interface, building nothing: memory stays in proportion
// to the longest string and the depth, whatever the body.
//
//   if (const auto problem = strictJsonProblem(body); !problem.isEmpty()) refuse(problem);
//
// Thread contract: a plain function; any thread; allocates (bounded as above).
#pragma once

#include <QByteArrayView>
#include <QString>

namespace dragoman::control {

struct StrictJsonLimits {
    int maxDepth = 8;
    int maxChars = 200; // Unicode characters in any one string or key
    int maxValues = 1000;
};

// "" when `body` is one JSON value within the limits and without duplicate keys; otherwise
// what is wrong, naming the JSON path (e.g. "duplicate key \"mic\" at /").
QString strictJsonProblem(QByteArrayView body, const StrictJsonLimits& limits = {});

} // namespace dragoman::control

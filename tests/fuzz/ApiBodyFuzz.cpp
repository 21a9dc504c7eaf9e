// Fuzz target: arbitrary bodies for the HTTP API's writes (WriteRequests.h), against the
// Tirana venue. Byte 0 picks the endpoint, byte 1 the id in its path (from a list of real and
// wrong ones); the rest is the body. A parser must answer commands or an error message, never
// both and never neither; a crash or undefined behaviour is a finding.
#include "FuzzVenue.h"
#include "control/WriteRequests.h"

#include <QByteArray>
#include <QString>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dragoman;
    if (size < 2)
        return 0;
    const auto& venue = fuzz::tirana();
    static const char* const booths[] = {"en", "sq", "bsm", "mk", "floor", "", "xx", "EN"};
    static const char* const desks[] = {"1", "2", "0", "-1", "99999999999", "", "1x", "3"};
    static const char* const channels[] = {"floor", "en", "sq", "bsm", "mk", "", "zz", "0"};
    static const char* const inputs[] = {"0", "2", "15", "16", "-1", "", "a", "4294967296"};
    const int id = data[1] % 8;
    const QByteArray body(reinterpret_cast<const char*>(data) + 2,
                          static_cast<qsizetype>(size - 2));
    control::ParsedWrite parsed;
    switch (data[0] % 5) {
    case 0:
        parsed = control::parseDeskWrite(venue, QString::fromLatin1(booths[id]),
                                         QString::fromLatin1(desks[(data[1] >> 3) % 8]), body);
        break;
    case 1:
        parsed = control::parseChannelWrite(venue, QString::fromLatin1(channels[id]), body);
        break;
    case 2:
        parsed = control::parseInputWrite(venue, QString::fromLatin1(inputs[id]), body);
        break;
    case 3:
        parsed = control::parseBoothWrite(venue, QString::fromLatin1(booths[id]), body);
        break;
    default:
        parsed = control::parseMonitorWrite(venue, body);
        break;
    }
    if (parsed.ok() == parsed.commands.empty())
        __builtin_trap();
    return 0;
}

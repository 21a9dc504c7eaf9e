// Fuzz target: arbitrary bytes sent to the HTTP control API (ControlServer behind its
// GuardedTcpServer) over a loopback connection, with a real engine answering writes: request
// lines, heads, bodies, pipelined requests. The input is sent as one connection's bytes; a
// crash, undefined behaviour, a leak or a server that holds the connection after the client
// has gone is a finding. "TOKEN" in the input stands for the API's token, so the fuzzer
// reaches the writes.
#include "LoopbackHttp.h"
#include "control/ControlServer.h"
#include "device/DeviceStatus.h"

#include <QByteArray>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

struct ControlSide {
    dragoman::fuzz::RunningEngine engine;
    dragoman::control::ControlServer server{
        engine.controller(), [] { return dragoman::device::DeviceStatus{}; }, settings()};

    static dragoman::control::ServerSettings settings() {
        dragoman::control::ServerSettings s;
        s.port = 0;
        s.token = QStringLiteral("fuzz-token-0123456789abcdef");
        return s;
    }
    ControlSide() {
        if (!server.listen())
            __builtin_trap();
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    dragoman::fuzz::application();
    static auto* side = new ControlSide; // lives for the whole run
    QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    bytes.replace("TOKEN", "fuzz-token-0123456789abcdef");
    dragoman::fuzz::exchange(side->server.port(),
                             reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                             static_cast<std::size_t>(bytes.size()));
    return 0;
}

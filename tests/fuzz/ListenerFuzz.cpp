// Fuzz target: the listener's inputs. First byte even: the rest is a channel list as
// dragoman-listener reads it from /channels.json (parseChannelList: a list or an error, never
// a channel without a code). Odd: the rest is one connection's bytes to the router's
// listeners' server (ListenerServer behind its GuardedTcpServer) on loopback: the SDP
// subscription requests (/sdp/CODE.sdp?port=N), the channel list, the page. A crash,
// undefined behaviour, a leak or a server that holds the connection after the client has gone
// is a finding.
#include "LoopbackHttp.h"
#include "listener/RouterClient.h"
#include "listeners/ListenerServer.h"
#include "stream/RtpSender.h"

#include <QByteArray>
#include <cstddef>
#include <cstdint>

namespace {

struct ListenerSide {
    dragoman::fuzz::RunningEngine engine;
    dragoman::stream::RtpSender rtp{config()};
    dragoman::listeners::ListenerServer server{
        engine.controller(), rtp, {QHostAddress::LocalHost, 0, "page", std::nullopt}};

    static dragoman::stream::RtpSenderConfig config() {
        dragoman::stream::RtpSenderConfig c;
        c.channels = static_cast<int>(dragoman::fuzz::tirana().channels.size());
        c.bindAddress = "127.0.0.1";
        return c;
    }
    ListenerSide() {
        rtp.start();
        if (!server.listen())
            __builtin_trap();
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    dragoman::fuzz::application();
    if (data[0] % 2 == 0) {
        QString error;
        const auto channels = dragoman::ui::parseChannelList(
            QByteArray(reinterpret_cast<const char*>(data) + 1, static_cast<qsizetype>(size - 1)),
            &error);
        for (const auto& channel : channels)
            if (channel.code.isEmpty())
                __builtin_trap();
        if (!error.isEmpty() && !channels.isEmpty())
            __builtin_trap();
        return 0;
    }
    static auto* side = new ListenerSide; // lives for the whole run
    dragoman::fuzz::exchange(side->server.port(), data + 1, size - 1);
    return 0;
}

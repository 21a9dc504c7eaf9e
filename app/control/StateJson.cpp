#include "control/StateJson.h"

#include "control/EngineController.h"
#include "venue/VenueWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <cmath>

namespace dragoman::control {

namespace {

// dB values to a hundredth: meters cannot show more, and JSON stays readable.
double db(float value) {
    return std::round(static_cast<double>(value) * 100.0) / 100.0;
}

QString text(std::string_view view) {
    return QString::fromUtf8(view.data(), static_cast<qsizetype>(view.size()));
}

// The device layer owns device::toString(); this library only needs the header, so it keeps
// its own words (the same ones) rather than a link dependency on audio/device.
QString clockName(device::Clock clock) {
    switch (clock) {
    case device::Clock::Device:
        return QStringLiteral("device");
    case device::Clock::Virtual:
        return QStringLiteral("virtual");
    }
    return QStringLiteral("?");
}

QString stateName(device::State state) {
    switch (state) {
    case device::State::Stopped:
        return QStringLiteral("stopped");
    case device::State::Running:
        return QStringLiteral("running");
    case device::State::Reconnecting:
        return QStringLiteral("reconnecting");
    }
    return QStringLiteral("?");
}

QJsonObject limiterJson(const core::LimiterReading& reading) {
    return {{"gainReductionDb", db(reading.gainReductionDb)},
            {"sustained", reading.sustained},
            {"warning", reading.warning},
            {"averageDb", db(reading.averageDb)}};
}

// Mirrors POST /api/monitor: {"source": "channel", "id": "en"} is posted back as
// {"channel": "en"}.
QJsonObject monitorJson(const venue::Venue& venue, const core::RoutingState& routing) {
    const int index = routing.monitorIndex;
    switch (routing.monitor) {
    case core::MonitorSource::Channel:
        return {{"source", "channel"}, {"id", channelCodeJson(venue, index)}};
    case core::MonitorSource::FloorMic:
        return {{"source", "floorMic"}, {"id", index}};
    case core::MonitorSource::DeskMic:
        return {{"source", "mic"}, {"id", deskIdJson(venue, index)}};
    case core::MonitorSource::DeskFeed:
        return {{"source", "desk"}, {"id", deskIdJson(venue, index)}};
    }
    return {};
}

QString channelSource(const core::ChannelStatus& channel) {
    if (channel.sourceDesk >= 0)
        return QStringLiteral("desk");
    return channel.tag == core::QualityTag::Silent ? QStringLiteral("silent")
                                                   : QStringLiteral("floor");
}

} // namespace

QJsonValue deskIdJson(const venue::Venue& venue, int flatDesk) {
    if (flatDesk < 0 || flatDesk >= venue.deskCount())
        return QJsonValue::Null;
    return QString::fromStdString(venue.deskId(flatDesk));
}

QJsonValue channelCodeJson(const venue::Venue& venue, int channel) {
    if (channel < 0 || channel >= static_cast<int>(venue.channels.size()))
        return QJsonValue::Null;
    return QString::fromStdString(venue.channels[static_cast<std::size_t>(channel)].code);
}

QJsonObject meterJson(const core::MeterReading& reading) {
    return {{"peakDb", db(reading.peakDb)},
            {"truePeakDb", db(reading.truePeakDb)},
            {"rmsDb", db(reading.rmsDb)},
            {"clips", static_cast<qint64>(reading.clips)}};
}

// The callback's cycle time as a share of the period (device::CycleHistogram): "buckets" are
// [bucket, count] pairs, bucket b holding shares in [b, b + 1) / 1000.
static QJsonObject cycleJson(const device::DeviceStatus& status) {
    QJsonArray buckets;
    for (const auto& [bucket, count] : status.cycleBuckets)
        buckets.append(QJsonArray{static_cast<qint64>(bucket), static_cast<qint64>(count)});
    return {{"cycles", static_cast<qint64>(status.cycles)},
            {"p50", status.cycleP50},
            {"p99", status.cycleP99},
            {"max", status.cycleMax},
            {"buckets", buckets}};
}

QJsonObject venueJson(const venue::Venue& venue) {
    venue::Venue shown = venue;
    shown.control.token.clear();
    shown.icecast = {};
    for (auto& server : shown.webrtc.servers) {
        server.apiSecret.clear();
        server.apiToken.clear();
        server.adminKey.clear();
    }
    return QJsonDocument::fromJson(QByteArray::fromStdString(venue::toJson(shown))).object();
}

QJsonObject deviceStatusJson(const device::DeviceStatus& status) {
    return {{"clock", clockName(status.clock)},
            {"state", stateName(status.state)},
            {"requested", QString::fromStdString(status.requested)},
            {"hostApi", QString::fromStdString(status.hostApi)},
            {"device", QString::fromStdString(status.device)},
            {"sampleRate", status.sampleRate},
            {"blockSize", status.blockSize},
            {"inputLatencyMs", status.inputLatencyMs},
            {"outputLatencyMs", status.outputLatencyMs},
            {"cpuLoad", status.cpuLoad},
            {"xruns", static_cast<qint64>(status.xruns)},
            {"callbacks", static_cast<qint64>(status.callbacks)},
            {"reconnects", static_cast<qint64>(status.reconnects)},
            {"lastError", QString::fromStdString(status.lastError)},
            {"notice", QString::fromStdString(status.notice)},
            {"audioThreadAllocations", static_cast<qint64>(status.audioThreadAllocations)},
            {"cycle", cycleJson(status)}};
}

// A desk's {"mic", "feed"} meters.
static QJsonObject deskMetersJson(const core::MeterBank& meters, int desk) {
    return {{"mic", meterJson(meters.read(core::MeterPoint::DeskMic, desk))},
            {"feed", meterJson(meters.read(core::MeterPoint::DeskFeed, desk))}};
}

QJsonObject metersJson(const venue::Venue& venue, const core::MeterBank& meters) {
    using core::MeterPoint;
    QJsonObject desks;
    for (int d = 0; d < venue.deskCount(); ++d)
        desks.insert(QString::fromStdString(venue.deskId(d)),
                     QJsonObject{{"meters", deskMetersJson(meters, d)},
                                 {"limiter", limiterJson(meters.limiter(d))}});
    QJsonObject channels;
    for (std::size_t c = 0; c < venue.channels.size(); ++c)
        channels.insert(QString::fromStdString(venue.channels[c].code),
                        meterJson(meters.read(MeterPoint::Channel, static_cast<int>(c))));
    QJsonArray floorMics;
    for (std::size_t m = 0; m < venue.floorMics.size(); ++m)
        floorMics.append(meterJson(meters.read(MeterPoint::FloorMic, static_cast<int>(m))));
    return {{"desks", desks}, {"channels", channels}, {"floorMics", floorMics}};
}

QJsonObject stateJson(const venue::Venue& venue, const core::RoutingState& routing,
                      const core::MeterBank& meters, const core::Engine::Stats& stats,
                      const device::DeviceStatus& device) {
    using core::MeterPoint;

    QJsonObject desks;
    const int deskCount = std::min(venue.deskCount(), static_cast<int>(routing.desks.size()));
    for (int d = 0; d < deskCount; ++d) {
        const auto& desk = routing.desks[static_cast<std::size_t>(d)];
        const auto address = venue.deskAddress(d);
        desks.insert(QString::fromStdString(venue.deskId(d)),
                     QJsonObject{
                         {"booth", QString::fromStdString(
                                       venue.booths[static_cast<std::size_t>(address.booth)].code)},
                         {"mic", desk.mic},
                         {"live", desk.live()},
                         {"cough", desk.cough},
                         {"out", text(venue::toString(desk.out))},
                         {"outChannel", channelCodeJson(venue, desk.outChannel)},
                         {"in", channelCodeJson(venue, desk.in)},
                         {"hearing", channelCodeJson(venue, desk.hearing)},
                         {"volume", db(desk.volumeDb)},
                         {"bass", db(desk.bassDb)},
                         {"treble", db(desk.trebleDb)},
                         {"slowCalls", static_cast<double>(desk.slowCalls)},
                         {"helpCalls", static_cast<double>(desk.helpCalls)},
                         {"limiter", limiterJson(meters.limiter(d))},
                         {"meters", deskMetersJson(meters, d)},
                     });
    }

    QJsonObject channels;
    const auto channelCount = std::min(venue.channels.size(), routing.channels.size());
    for (std::size_t c = 0; c < channelCount; ++c) {
        const auto& channel = routing.channels[c];
        const auto& config = venue.channels[c];
        channels.insert(
            QString::fromStdString(config.code),
            QJsonObject{
                {"name", QString::fromStdString(config.name)},
                {"nativeName", QString::fromStdString(config.nativeName)},
                {"sourceDesk", deskIdJson(venue, channel.sourceDesk)},
                {"source", channelSource(channel)},
                {"tag", text(core::toString(channel.tag))},
                {"autoFloor", channel.autoFloor},
                {"trimDb", static_cast<double>(channel.trimDb)},
                {"meters", meterJson(meters.read(MeterPoint::Channel, static_cast<int>(c)))},
            });
    }

    QJsonObject booths;
    const auto boothCount = std::min(venue.booths.size(), routing.booths.size());
    for (std::size_t b = 0; b < boothCount; ++b) {
        const auto& booth = routing.booths[b];
        const auto& config = venue.booths[b];
        QJsonObject slots;
        for (int s = 0; s < venue::kSlotCount; ++s)
            slots.insert(text(venue::toString(static_cast<venue::Slot>(s))),
                         channelCodeJson(venue, config.outgoing[static_cast<std::size_t>(s)]));
        booths.insert(QString::fromStdString(config.code),
                      QJsonObject{
                          {"name", QString::fromStdString(config.name)},
                          {"slots", slots},
                          {"interlock", text(venue::toString(booth.interlock))},
                          {"autoRelay", booth.autoRelay},
                          {"liveDesk", deskIdJson(venue, booth.liveDesk)},
                      });
    }

    QJsonArray floorMics;
    for (std::size_t m = 0; m < venue.floorMics.size(); ++m)
        floorMics.append(QJsonObject{
            {"name", QString::fromStdString(venue.floorMics[m].name)},
            {"meters", meterJson(meters.read(MeterPoint::FloorMic, static_cast<int>(m)))},
        });

    QJsonArray inputTrims; // dB per device input
    for (const float trim : routing.inputTrimDb)
        inputTrims.append(static_cast<double>(trim));

    return {
        {"venue", QString::fromStdString(venue.name)},
        {"sampleRate", venue.sampleRate},
        {"routingVersion", static_cast<qint64>(routing.version)},
        {"desks", desks},
        {"channels", channels},
        {"booths", booths},
        {"floorMics", floorMics},
        {"monitor", monitorJson(venue, routing)},
        {"inputTrimsDb", inputTrims},
        {"device", deviceStatusJson(device)},
        {"engine",
         QJsonObject{
             {"frames", static_cast<qint64>(stats.frames)},
             {"blocks", static_cast<qint64>(stats.blocks)},
             {"commandsApplied", static_cast<qint64>(stats.commandsApplied)},
             {"commandsDropped", static_cast<qint64>(stats.commandsDropped)},
             {"resultsDropped", static_cast<qint64>(stats.resultsDropped)},
         }},
    };
}

QJsonObject stateJson(EngineController& controller, const device::DeviceStatus& device) {
    QJsonObject state = stateJson(controller.venue(), controller.routing(), controller.meters(),
                                  controller.stats(), device);
    QJsonObject engine = state.value("engine").toObject();
    engine.insert("pending", static_cast<qint64>(controller.pending()));
    state.insert("engine", engine);
    return state;
}

} // namespace dragoman::control

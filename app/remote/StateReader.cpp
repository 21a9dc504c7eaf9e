#include "remote/StateReader.h"

#include "dsp/Decibels.h"

#include <QJsonArray>
#include <QJsonValue>

namespace dragoman::remote {

namespace {

// Reads fields of one JSON object, counting those that are missing or of another type.
class Fields {
public:
    Fields(const QJsonObject& object, int& problems)
        : object_(object)
        , problems_(problems) {}

    bool boolean(const char* key, bool fallback = false) const {
        const QJsonValue v = object_.value(QLatin1String(key));
        if (v.isBool())
            return v.toBool();
        ++problems_;
        return fallback;
    }
    double number(const char* key, double fallback = 0.0) const {
        const QJsonValue v = object_.value(QLatin1String(key));
        if (v.isDouble())
            return v.toDouble();
        ++problems_;
        return fallback;
    }
    float decibels(const char* key) const {
        return static_cast<float>(number(key, static_cast<double>(dsp::kSilenceDb)));
    }
    QString string(const char* key) const {
        const QJsonValue v = object_.value(QLatin1String(key));
        if (v.isString())
            return v.toString();
        ++problems_;
        return {};
    }
    std::string text(const char* key) const { return string(key).toStdString(); }
    QJsonObject object(const char* key) const {
        const QJsonValue v = object_.value(QLatin1String(key));
        if (v.isObject())
            return v.toObject();
        ++problems_;
        return {};
    }
    // A desk id, channel code or the like that may be null: "" for null, counted when absent.
    QString nullableString(const char* key) const {
        const QJsonValue v = object_.value(QLatin1String(key));
        if (v.isString())
            return v.toString();
        if (!v.isNull())
            ++problems_;
        return {};
    }

private:
    const QJsonObject& object_;
    int& problems_;
};

int channelIndex(const venue::Venue& venue, const QString& code, int fallback) {
    const auto index = venue.channelIndex(code.toStdString());
    return index ? *index : fallback;
}

int deskIndex(const venue::Venue& venue, const QString& id) {
    const auto index = venue.deskIndex(id.toStdString());
    return index ? *index : -1;
}

core::QualityTag tagFrom(const QString& text) {
    if (text == QLatin1String("floor"))
        return core::QualityTag::Floor;
    if (text == QLatin1String("+"))
        return core::QualityTag::Plus;
    if (text == QString::fromUtf8(core::toString(core::QualityTag::Minus).data()))
        return core::QualityTag::Minus;
    return core::QualityTag::Silent;
}

core::LimiterReading readLimiter(const QJsonObject& limiter, int& problems) {
    const Fields f(limiter, problems);
    return {static_cast<float>(f.number("gainReductionDb")), f.boolean("sustained"),
            f.boolean("warning"), f.decibels("averageDb")};
}

void readMonitor(const venue::Venue& venue, const QJsonObject& monitor, core::RoutingState& routing,
                 int& problems) {
    const Fields f(monitor, problems);
    const QString source = f.string("source");
    const QJsonValue id = monitor.value(QLatin1String("id"));
    if (source == QLatin1String("channel")) {
        routing.monitor = core::MonitorSource::Channel;
        routing.monitorIndex = channelIndex(venue, id.toString(), 0);
    } else if (source == QLatin1String("floorMic")) {
        routing.monitor = core::MonitorSource::FloorMic;
        routing.monitorIndex = id.toInt(0);
    } else if (source == QLatin1String("mic") || source == QLatin1String("desk")) {
        routing.monitor = source == QLatin1String("mic") ? core::MonitorSource::DeskMic
                                                         : core::MonitorSource::DeskFeed;
        routing.monitorIndex = std::max(0, deskIndex(venue, id.toString()));
    } else {
        ++problems;
    }
}

} // namespace

core::MeterReading readMeter(const QJsonObject& meter) {
    int problems = 0;
    const Fields f(meter, problems);
    return {f.decibels("peakDb"), f.decibels("truePeakDb"), f.decibels("rmsDb"),
            static_cast<std::uint32_t>(f.number("clips"))};
}

device::DeviceStatus readDevice(const QJsonObject& device) {
    int problems = 0;
    const Fields f(device, problems);
    device::DeviceStatus status;
    status.clock = f.string("clock") == QLatin1String("device") ? device::Clock::Device
                                                                : device::Clock::Virtual;
    const QString state = f.string("state");
    status.state = state == QLatin1String("running")        ? device::State::Running
                   : state == QLatin1String("reconnecting") ? device::State::Reconnecting
                                                            : device::State::Stopped;
    status.requested = f.text("requested");
    status.hostApi = f.text("hostApi");
    status.device = f.text("device");
    status.sampleRate = f.number("sampleRate");
    status.blockSize = static_cast<int>(f.number("blockSize"));
    status.inputLatencyMs = f.number("inputLatencyMs");
    status.outputLatencyMs = f.number("outputLatencyMs");
    status.cpuLoad = f.number("cpuLoad");
    status.xruns = static_cast<std::uint64_t>(f.number("xruns"));
    status.callbacks = static_cast<std::uint64_t>(f.number("callbacks"));
    status.reconnects = static_cast<std::uint64_t>(f.number("reconnects"));
    status.lastError = f.text("lastError");
    status.notice = f.text("notice");
    status.audioThreadAllocations = static_cast<std::uint64_t>(f.number("audioThreadAllocations"));
    const QJsonObject cycle = f.object("cycle");
    const Fields c(cycle, problems);
    status.cycles = static_cast<std::uint64_t>(c.number("cycles"));
    status.cycleP50 = c.number("p50");
    status.cycleP99 = c.number("p99");
    status.cycleMax = c.number("max");
    for (const QJsonValue bucket : cycle.value(QLatin1String("buckets")).toArray()) {
        const QJsonArray pair = bucket.toArray();
        if (pair.size() == 2)
            status.cycleBuckets.emplace_back(static_cast<std::size_t>(pair[0].toDouble()),
                                             static_cast<std::uint64_t>(pair[1].toDouble()));
    }
    return status;
}

RouterState readState(const venue::Venue& venue, const QJsonObject& state) {
    RouterState out;
    int& problems = out.problems;
    const Fields top(state, problems);
    auto& routing = out.routing;
    routing.version = static_cast<std::uint64_t>(top.number("routingVersion"));

    const QJsonObject desks = top.object("desks");
    routing.desks.resize(static_cast<std::size_t>(venue.deskCount()));
    out.panels.assign(static_cast<std::size_t>(venue.deskCount()), 0);
    for (int d = 0; d < venue.deskCount(); ++d) {
        const QJsonValue value = desks.value(QString::fromStdString(venue.deskId(d)));
        if (!value.isObject()) {
            ++problems;
            continue;
        }
        const QJsonObject desk = value.toObject();
        const Fields f(desk, problems);
        auto& status = routing.desks[static_cast<std::size_t>(d)];
        status.mic = f.boolean("mic");
        status.cough = f.boolean("cough");
        status.out = venue::slotFromString(f.text("out")).value_or(venue::Slot::A);
        status.outChannel = channelIndex(venue, f.nullableString("outChannel"), -1);
        status.in = channelIndex(venue, f.nullableString("in"), 0);
        status.hearing = channelIndex(venue, f.nullableString("hearing"), status.in);
        status.volumeDb = static_cast<float>(f.number("volume"));
        status.bassDb = static_cast<float>(f.number("bass"));
        status.trebleDb = static_cast<float>(f.number("treble"));
        status.slowCalls = static_cast<std::uint32_t>(f.number("slowCalls"));
        status.helpCalls = static_cast<std::uint32_t>(f.number("helpCalls"));
        // Presence: only routers that count desk panels say it.
        out.panels[static_cast<std::size_t>(d)] = desk.value(QLatin1String("panels")).toInt(0);
    }

    const QJsonObject channels = top.object("channels");
    routing.channels.resize(venue.channels.size());
    out.listeners.assign(venue.channels.size(), 0);
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        const QJsonValue value = channels.value(QString::fromStdString(venue.channels[c].code));
        if (!value.isObject()) {
            ++problems;
            continue;
        }
        const QJsonObject channel = value.toObject();
        const Fields f(channel, problems);
        auto& status = routing.channels[c];
        status.sourceDesk = deskIndex(venue, f.nullableString("sourceDesk"));
        status.tag = tagFrom(f.string("tag"));
        status.autoFloor = f.boolean("autoFloor", true);
        status.trimDb = static_cast<float>(f.number("trimDb"));
        out.listeners[c] = channel.value(QLatin1String("listeners")).toInt(0);
    }

    const QJsonObject booths = top.object("booths");
    routing.booths.resize(venue.booths.size());
    for (std::size_t b = 0; b < venue.booths.size(); ++b) {
        const QJsonValue value = booths.value(QString::fromStdString(venue.booths[b].code));
        if (!value.isObject()) {
            ++problems;
            continue;
        }
        const QJsonObject booth = value.toObject();
        const Fields f(booth, problems);
        auto& status = routing.booths[b];
        status.interlock = venue::interlockModeFromString(f.text("interlock"))
                               .value_or(venue::InterlockMode::Override);
        status.autoRelay = f.boolean("autoRelay");
        status.liveDesk = deskIndex(venue, f.nullableString("liveDesk"));
    }
    // The pivot: the channel of a live auto-relay booth's live desk.
    for (std::size_t b = 0; b < routing.booths.size(); ++b) {
        const auto& booth = routing.booths[b];
        if (booth.autoRelay && booth.liveDesk >= 0 &&
            booth.liveDesk < static_cast<int>(routing.desks.size()))
            routing.pivotChannel =
                routing.desks[static_cast<std::size_t>(booth.liveDesk)].outChannel;
    }

    for (const QJsonValue trim : state.value(QLatin1String("inputTrimsDb")).toArray())
        routing.inputTrimDb.push_back(static_cast<float>(trim.toDouble()));
    readMonitor(venue, top.object("monitor"), routing, problems);
    out.device = readDevice(top.object("device"));
    return out;
}

int readMeters(const venue::Venue& venue, const QJsonObject& frame, core::MeterBank& bank) {
    using core::MeterPoint;
    int problems = 0;
    const Fields top(frame, problems);
    const QJsonObject desks = top.object("desks");
    for (int d = 0; d < venue.deskCount(); ++d) {
        const QJsonObject desk = desks.value(QString::fromStdString(venue.deskId(d))).toObject();
        const Fields f(desk, problems);
        const QJsonObject meters = f.object("meters");
        const Fields m(meters, problems);
        bank.store(MeterPoint::DeskMic, d, readMeter(m.object("mic")));
        bank.store(MeterPoint::DeskFeed, d, readMeter(m.object("feed")));
        bank.storeLimiter(d, readLimiter(f.object("limiter"), problems));
    }
    const QJsonObject channels = top.object("channels");
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        QJsonObject meter =
            channels.value(QString::fromStdString(venue.channels[c].code)).toObject();
        if (meter.contains(QLatin1String("meters"))) // a whole state: the channel's object
            meter = meter.value(QLatin1String("meters")).toObject();
        if (meter.isEmpty())
            ++problems;
        bank.store(MeterPoint::Channel, static_cast<int>(c), readMeter(meter));
    }
    const QJsonArray floorMics = frame.value(QLatin1String("floorMics")).toArray();
    for (qsizetype m = 0; m < floorMics.size(); ++m) {
        QJsonObject meter = floorMics[m].toObject();
        if (meter.contains(QLatin1String("meters")))
            meter = meter.value(QLatin1String("meters")).toObject();
        bank.store(MeterPoint::FloorMic, static_cast<int>(m), readMeter(meter));
    }
    return problems;
}

} // namespace dragoman::remote

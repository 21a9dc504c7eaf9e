#include "router/SessionState.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <cmath>

namespace dragoman::router {

namespace {

QString q(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

std::string s(const QString& text) {
    return text.toStdString();
}

QJsonObject monitorJson(const venue::Venue& venue, const core::RoutingState& routing) {
    const int index = routing.monitorIndex;
    switch (routing.monitor) {
    case core::MonitorSource::Channel:
        if (index >= 0 && index < static_cast<int>(venue.channels.size()))
            return {{"channel", q(venue.channels[static_cast<std::size_t>(index)].code)}};
        break;
    case core::MonitorSource::FloorMic:
        return {{"floorMic", index}};
    case core::MonitorSource::DeskMic:
        if (index >= 0 && index < venue.deskCount())
            return {{"mic", q(venue.deskId(index))}};
        break;
    case core::MonitorSource::DeskFeed:
        if (index >= 0 && index < venue.deskCount())
            return {{"desk", q(venue.deskId(index))}};
        break;
    }
    return {};
}

// A number in [lo, hi], or nothing.
std::optional<float> level(const QJsonValue& v, float lo, float hi) {
    if (!v.isDouble())
        return std::nullopt;
    const double x = v.toDouble();
    if (!std::isfinite(x) || x < lo || x > hi)
        return std::nullopt;
    return static_cast<float>(x);
}

} // namespace

QByteArray sessionStateJson(const venue::Venue& venue, const core::RoutingState& routing,
                            bool running) {
    QJsonObject booths;
    for (std::size_t b = 0; b < venue.booths.size() && b < routing.booths.size(); ++b)
        booths.insert(q(venue.booths[b].code),
                      QJsonObject{{"interlock", q(venue::toString(routing.booths[b].interlock))},
                                  {"autorelay", routing.booths[b].autoRelay}});
    QJsonObject channels;
    for (std::size_t c = 0; c < venue.channels.size() && c < routing.channels.size(); ++c) {
        QJsonObject channel{{"trim", routing.channels[c].trimDb}};
        if (c > 0)
            channel.insert("autofloor", routing.channels[c].autoFloor);
        channels.insert(q(venue.channels[c].code), channel);
    }
    QJsonArray inputs;
    for (const float trim : routing.inputTrimDb)
        inputs.append(trim);
    QJsonObject desks;
    for (int d = 0; d < venue.deskCount() && d < static_cast<int>(routing.desks.size()); ++d) {
        const auto& desk = routing.desks[static_cast<std::size_t>(d)];
        const int in = desk.in;
        desks.insert(q(venue.deskId(d)),
                     QJsonObject{{"out", q(venue::toString(desk.out))},
                                 {"in", in >= 0 && in < static_cast<int>(venue.channels.size())
                                            ? q(venue.channels[static_cast<std::size_t>(in)].code)
                                            : QStringLiteral("floor")},
                                 {"volume", desk.volumeDb},
                                 {"bass", desk.bassDb},
                                 {"treble", desk.trebleDb}});
    }
    const QJsonObject root{
        {"format", "dragoman-session-state"},
        {"version", 1},
        {"venue", q(venue.name)},
        {"running", running},
        {"written", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {"booths", booths},
        {"channels", channels},
        {"inputs", inputs},
        {"desks", desks},
        {"monitor", monitorJson(venue, routing)},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

SessionRestore parseSessionState(const venue::Venue& venue, const QByteArray& json) {
    SessionRestore restore;
    QJsonParseError parseError{};
    const auto document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        restore.error = QStringLiteral("not JSON (at byte %1: %2)")
                            .arg(parseError.offset)
                            .arg(parseError.errorString());
        return restore;
    }
    const auto root = document.object();
    if (!document.isObject() || root.value("format").toString() != "dragoman-session-state") {
        restore.error = QStringLiteral("$.format: not a Dragoman session state file");
        return restore;
    }
    if (root.value("version").toInt() != 1) {
        restore.error = QStringLiteral("$.version: version %1 is not one this Dragoman reads")
                            .arg(root.value("version").toVariant().toString());
        return restore;
    }
    restore.running = root.value("running").toBool();
    restore.written = root.value("written").toString();
    auto& out = restore.commands;
    auto problem = [&](const QString& path, const QString& what) {
        restore.problems.append(path + ": " + what);
    };
    const auto object = [&](const char* key) {
        const auto v = root.value(key);
        if (!v.isUndefined() && !v.isObject())
            problem(QStringLiteral("$.%1").arg(key), QStringLiteral("not an object"));
        return v.toObject();
    };

    const auto booths = object("booths");
    for (auto it = booths.begin(); it != booths.end(); ++it) {
        const QString path = "$.booths." + it.key();
        const auto b = venue.boothIndex(s(it.key()));
        if (!b) {
            problem(path, QStringLiteral("no such booth in this venue"));
            continue;
        }
        const auto o = it.value().toObject();
        const auto mode = o.value("interlock").toString();
        if (mode == "override" || mode == "interlock")
            out.push_back(core::Command::boothInterlock(*b, mode == "override"
                                                                ? core::InterlockMode::Override
                                                                : core::InterlockMode::Interlock));
        else if (o.contains("interlock"))
            problem(path + ".interlock", QStringLiteral("not override or interlock"));
        if (o.value("autorelay").isBool())
            out.push_back(core::Command::boothAutoRelay(*b, o.value("autorelay").toBool()));
    }

    const auto channels = object("channels");
    for (auto it = channels.begin(); it != channels.end(); ++it) {
        const QString path = "$.channels." + it.key();
        const auto c = venue.channelIndex(s(it.key()));
        if (!c) {
            problem(path, QStringLiteral("no such channel in this venue"));
            continue;
        }
        const auto o = it.value().toObject();
        if (*c > 0 && o.value("autofloor").isBool())
            out.push_back(core::Command::channelAutoFloor(*c, o.value("autofloor").toBool()));
        if (const auto trim = level(o.value("trim"), core::kTrimMinDb, core::kTrimMaxDb))
            out.push_back(core::Command::channelTrim(*c, *trim));
        else if (o.contains("trim"))
            problem(path + ".trim", QStringLiteral("not a trim in dB (-24 .. +12)"));
    }

    const auto inputs = root.value("inputs").toArray();
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        if (i >= venue.deviceInputs) {
            problem(QStringLiteral("$.inputs[%1]").arg(i),
                    QStringLiteral("the venue has %1 inputs").arg(venue.deviceInputs));
            break;
        }
        if (const auto trim = level(inputs[i], core::kTrimMinDb, core::kTrimMaxDb))
            out.push_back(core::Command::inputTrim(static_cast<int>(i), *trim));
        else
            problem(QStringLiteral("$.inputs[%1]").arg(i),
                    QStringLiteral("not a trim in dB (-24 .. +12)"));
    }

    const auto desks = object("desks");
    for (auto it = desks.begin(); it != desks.end(); ++it) {
        const QString path = "$.desks." + it.key();
        const auto d = venue.deskIndex(s(it.key()));
        if (!d) {
            problem(path, QStringLiteral("no such desk in this venue"));
            continue;
        }
        const auto o = it.value().toObject();
        const auto slot = o.value("out").toString();
        if (slot == "A" || slot == "B" || slot == "C")
            out.push_back(core::Command::deskOut(*d, slot == "A"   ? venue::Slot::A
                                                     : slot == "B" ? venue::Slot::B
                                                                   : venue::Slot::C));
        else if (o.contains("out"))
            problem(path + ".out", QStringLiteral("not A, B or C"));
        if (o.contains("in")) {
            if (const auto in = venue.channelIndex(s(o.value("in").toString())))
                out.push_back(core::Command::deskIn(*d, *in));
            else
                problem(path + ".in", QStringLiteral("no such channel in this venue"));
        }
        const struct {
            const char* key;
            float lo, hi;
            core::Command (*make)(int, float);
        } levels[] = {{"volume", core::kVolumeMinDb, core::kVolumeMaxDb, core::Command::deskVolume},
                      {"bass", -core::kToneMaxDb, core::kToneMaxDb, core::Command::deskBass},
                      {"treble", -core::kToneMaxDb, core::kToneMaxDb, core::Command::deskTreble}};
        for (const auto& l : levels) {
            if (const auto db = level(o.value(l.key), l.lo, l.hi))
                out.push_back(l.make(*d, *db));
            else if (o.contains(l.key))
                problem(path + "." + l.key, QStringLiteral("out of range"));
        }
    }

    const auto monitor = object("monitor");
    if (monitor.contains("channel")) {
        if (const auto c = venue.channelIndex(s(monitor.value("channel").toString())))
            out.push_back(core::Command::monitorSource(core::MonitorSource::Channel, *c));
        else
            problem("$.monitor.channel", QStringLiteral("no such channel in this venue"));
    } else if (monitor.contains("desk") || monitor.contains("mic")) {
        const bool feed = monitor.contains("desk");
        if (const auto d = venue.deskIndex(s(monitor.value(feed ? "desk" : "mic").toString())))
            out.push_back(core::Command::monitorSource(
                feed ? core::MonitorSource::DeskFeed : core::MonitorSource::DeskMic, *d));
        else
            problem(feed ? "$.monitor.desk" : "$.monitor.mic",
                    QStringLiteral("no such desk in this venue"));
    } else if (monitor.contains("floorMic")) {
        const int m = monitor.value("floorMic").toInt(-1);
        if (m >= 0 && m < static_cast<int>(venue.floorMics.size()))
            out.push_back(core::Command::monitorSource(core::MonitorSource::FloorMic, m));
        else
            problem("$.monitor.floorMic", QStringLiteral("no such floor mic in this venue"));
    }
    return restore;
}

bool keptSettingsDiffer(const core::RoutingState& a, const core::RoutingState& b) {
    if (a.desks.size() != b.desks.size() || a.channels.size() != b.channels.size() ||
        a.booths.size() != b.booths.size() || a.inputTrimDb != b.inputTrimDb ||
        a.monitor != b.monitor || a.monitorIndex != b.monitorIndex)
        return true;
    for (std::size_t i = 0; i < a.desks.size(); ++i) {
        const auto &x = a.desks[i], &y = b.desks[i];
        if (x.out != y.out || x.in != y.in || x.volumeDb != y.volumeDb || x.bassDb != y.bassDb ||
            x.trebleDb != y.trebleDb)
            return true;
    }
    for (std::size_t i = 0; i < a.channels.size(); ++i)
        if (a.channels[i].autoFloor != b.channels[i].autoFloor ||
            a.channels[i].trimDb != b.channels[i].trimDb)
            return true;
    for (std::size_t i = 0; i < a.booths.size(); ++i)
        if (a.booths[i].interlock != b.booths[i].interlock ||
            a.booths[i].autoRelay != b.booths[i].autoRelay)
            return true;
    return false;
}

} // namespace dragoman::router

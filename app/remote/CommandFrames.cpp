#include "remote/CommandFrames.h"

#include <QJsonArray>
#include <array>

namespace dragoman::remote {

namespace {

using Kind = core::Command::Kind;

QString text(std::string_view view) {
    return QString::fromUtf8(view.data(), static_cast<qsizetype>(view.size()));
}

QJsonValue deskId(const venue::Venue& venue, int desk) {
    if (desk < 0 || desk >= venue.deskCount())
        return QJsonValue::Undefined;
    return QString::fromStdString(venue.deskId(desk));
}

QJsonValue channelCode(const venue::Venue& venue, int channel) {
    if (channel < 0 || channel >= static_cast<int>(venue.channels.size()))
        return QJsonValue::Undefined;
    return QString::fromStdString(venue.channels[static_cast<std::size_t>(channel)].code);
}

QJsonValue boothCode(const venue::Venue& venue, int booth) {
    if (booth < 0 || booth >= static_cast<int>(venue.booths.size()))
        return QJsonValue::Undefined;
    return QString::fromStdString(venue.booths[static_cast<std::size_t>(booth)].code);
}

// {"type": type, key: target, "set": {field: value}}, or {} when the target or value is not
// in the venue.
QJsonObject frame(const char* type, const char* key, const QJsonValue& target, const char* field,
                  const QJsonValue& value) {
    if ((key && target.isUndefined()) || value.isUndefined())
        return {};
    QJsonObject f{{"type", QLatin1String(type)}, {"set", QJsonObject{{field, value}}}};
    if (key)
        f.insert(QLatin1String(key), target);
    return f;
}

QJsonObject monitorFrame(const venue::Venue& venue, const core::Command& command) {
    switch (command.monitor) {
    case core::MonitorSource::Channel:
        return frame("monitor", nullptr, {}, "channel", channelCode(venue, command.index));
    case core::MonitorSource::DeskFeed:
        return frame("monitor", nullptr, {}, "desk", deskId(venue, command.index));
    case core::MonitorSource::DeskMic:
        return frame("monitor", nullptr, {}, "mic", deskId(venue, command.index));
    case core::MonitorSource::FloorMic:
        if (command.index < 0 || command.index >= static_cast<int>(venue.floorMics.size()))
            return {};
        return frame("monitor", nullptr, {}, "floorMic", command.index);
    }
    return {};
}

core::Refusal refusalFrom(const QString& reason) {
    for (const auto refusal :
         {core::Refusal::ChannelEngaged, core::Refusal::BoothEngaged, core::Refusal::NoSuchSlot,
          core::Refusal::UnknownTarget, core::Refusal::OutOfRange})
        if (reason == text(core::toString(refusal)))
            return refusal;
    return core::Refusal::OutOfRange;
}

int deskIndex(const venue::Venue& venue, const QJsonValue& id) {
    const auto index = id.isString() ? venue.deskIndex(id.toString().toStdString()) : std::nullopt;
    return index ? *index : -1;
}

} // namespace

QJsonObject commandFrame(const venue::Venue& venue, const core::Command& command, qint64 id) {
    const auto desk = [&](const char* field, const QJsonValue& value) {
        return frame("desk", "desk", deskId(venue, command.target), field, value);
    };
    const double amount = static_cast<double>(command.amount);
    QJsonObject f;
    switch (command.kind) {
    case Kind::DeskMic:
        f = desk("mic", command.flag);
        break;
    case Kind::DeskCough:
        f = desk("cough", command.flag);
        break;
    case Kind::DeskOut:
        f = desk("out", text(venue::toString(command.slot)));
        break;
    case Kind::DeskIn:
        f = desk("in", channelCode(venue, command.index));
        break;
    case Kind::DeskVolume:
        f = desk("volume", amount);
        break;
    case Kind::DeskBass:
        f = desk("bass", amount);
        break;
    case Kind::DeskTreble:
        f = desk("treble", amount);
        break;
    case Kind::DeskCallKey:
        f = desk("call", command.call == core::DeskCall::Help ? QStringLiteral("help")
                                                              : QStringLiteral("slow"));
        break;
    case Kind::ChannelAutoFloor:
        f = frame("channel", "channel", channelCode(venue, command.target), "autofloor",
                  command.flag);
        break;
    case Kind::ChannelTrim:
        f = frame("channel", "channel", channelCode(venue, command.target), "trim", amount);
        break;
    case Kind::BoothInterlock:
        f = frame("booth", "booth", boothCode(venue, command.target), "interlock",
                  text(venue::toString(command.mode)));
        break;
    case Kind::BoothAutoRelay:
        f = frame("booth", "booth", boothCode(venue, command.target), "autorelay", command.flag);
        break;
    case Kind::InputTrim:
        if (command.target >= 0 && command.target < venue.deviceInputs)
            f = frame("input", "input", QString::number(command.target), "trim", amount);
        break;
    case Kind::Monitor:
        f = monitorFrame(venue, command);
        break;
    }
    if (!f.isEmpty())
        f.insert(QLatin1String("id"), id);
    return f;
}

control::CommandAnswer readAnswer(const venue::Venue& venue, const core::Command& command,
                                  const QJsonObject& frame) {
    using Outcome = control::CommandAnswer::Outcome;
    control::CommandAnswer answer;
    answer.id = command.id;
    answer.kind = command.kind;
    answer.target = command.target;
    answer.accepted = frame.value(QLatin1String("accepted")).toBool(false);
    const int status = frame.value(QLatin1String("status")).toInt(0);
    const QJsonArray results = frame.value(QLatin1String("results")).toArray();
    const QJsonObject result = results.isEmpty() ? QJsonObject() : results.last().toObject();
    if (answer.accepted) {
        answer.handover = deskIndex(venue, result.value(QLatin1String("handover")));
        answer.displaced = deskIndex(venue, result.value(QLatin1String("displaced")));
        return answer;
    }
    const QString reason = result.value(QLatin1String("reason")).toString();
    answer.holder = deskIndex(venue, result.value(QLatin1String("holder")));
    if (reason == QLatin1String("engine busy"))
        answer.outcome = Outcome::EngineBusy;
    else if (reason == QLatin1String("engine not answering") || (status == 503 && result.isEmpty()))
        answer.outcome = Outcome::TimedOut;
    else if (!result.isEmpty())
        answer.reason = refusalFrom(reason);
    else // refused before the engine saw it: 400 (a value the router cannot read), 403 (scope)
        answer.reason = status == 403 ? core::Refusal::UnknownTarget : core::Refusal::OutOfRange;
    return answer;
}

} // namespace dragoman::remote

#include "control/WriteRequests.h"

#include "control/StrictJson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <optional>

namespace dragoman::control {

namespace {

using core::Command;

// A value as a message shows it: string "fr", number 5, true, null, an array.
QString describe(const QJsonValue& value) {
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QStringLiteral("number %1").arg(value.toDouble());
    case QJsonValue::String: {
        constexpr qsizetype kLongest = 40;
        const QString text = value.toString();
        return QStringLiteral("string \"%1\"")
            .arg(text.size() > kLongest ? text.left(kLongest) + "..." : text);
    }
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

// Ids are exact: "1", "12", "0" (inputs), never "01", "+1" or " 1".
bool isCanonicalNumber(const QString& text) {
    if (text.isEmpty() || text.size() > 9 || (text.size() > 1 && text.front() == '0'))
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c >= '0' && c <= '9'; });
}

QString quoted(const QString& text) {
    constexpr qsizetype kLongest = 60; // messages stay short whatever was sent
    return '"' + (text.size() > kLongest ? text.left(kLongest) + "..." : text) + '"';
}

// A field name and the other spelling it may come in ("autofloor" / "autoFloor").
struct FieldName {
    QString name;
    QString alias;
};

// One write request being read. The first problem found sticks: later checks see failed()
// and do nothing, so each step reads as if everything before it succeeded.
class Request {
public:
    explicit Request(const venue::Venue& venue)
        : venue_(venue) {}

    bool failed() const { return !error_.isEmpty(); }

    void refuse(const QString& message) {
        if (!failed())
            error_ = message;
    }

    // Adds a command unless the request has failed already.
    void add(const QString& field, const Command& command) {
        if (!failed())
            commands_.push_back({field, command});
    }

    ParsedWrite result() const {
        ParsedWrite parsed;
        parsed.error = error_;
        if (!failed())
            parsed.commands = commands_;
        return parsed;
    }

    // The body as a non-empty JSON object; `example` shows what one looks like.
    QJsonObject body(const QByteArray& body, const QString& example) {
        if (failed())
            return {};
        if (body.trimmed().isEmpty()) {
            refuse("the request has no body; send a JSON object such as " + example);
            return {};
        }
        if (const QString problem = strictJsonProblem(body); !problem.isEmpty()) {
            refuse(problem);
            return {};
        }
        QJsonParseError parseError{};
        const auto document = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            refuse(QStringLiteral("invalid JSON at byte %1: %2")
                       .arg(parseError.offset)
                       .arg(parseError.errorString()));
            return {};
        }
        if (!document.isObject()) {
            refuse("expected a JSON object such as " + example + ", got " +
                   (document.isArray() ? QStringLiteral("an array") : QStringLiteral("a value")));
            return {};
        }
        if (document.object().isEmpty())
            refuse("nothing to change; send a JSON object such as " + example);
        return document.object();
    }

    // The value of each field in `fields` order (undefined where absent). Refuses keys that
    // are no field, and a field given under both its spellings.
    std::vector<QJsonValue> fields(const QJsonObject& object,
                                   const std::vector<FieldName>& fields) {
        std::vector<QJsonValue> values(fields.size(), QJsonValue(QJsonValue::Undefined));
        QStringList names;
        for (const auto& field : fields)
            names << field.name;
        for (auto it = object.begin(); it != object.end(); ++it) {
            const bool known = std::any_of(fields.begin(), fields.end(), [&](const FieldName& f) {
                return it.key() == f.name || (!f.alias.isEmpty() && it.key() == f.alias);
            });
            if (!known)
                refuse("unknown field " + quoted(it.key()) + "; the fields here are " +
                       names.join(", "));
        }
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const auto& field = fields[i];
            const bool plain = object.contains(field.name);
            const bool alias = !field.alias.isEmpty() && object.contains(field.alias);
            if (plain && alias)
                refuse("give " + quoted(field.name) + " once (it came as " + quoted(field.alias) +
                       " too)");
            if (plain || alias)
                values[i] = object.value(plain ? field.name : field.alias);
        }
        return values;
    }

    bool boolean(const QJsonValue& value, const QString& field) {
        if (!value.isBool())
            refuse(quoted(field) + " must be true or false, got " + describe(value));
        return value.toBool();
    }

    QString string(const QJsonValue& value, const QString& field) {
        if (!value.isString())
            refuse(quoted(field) + " must be a string, got " + describe(value));
        return value.toString();
    }

    // A finite number of dB; the engine judges its range.
    float decibels(const QJsonValue& value, const QString& field) {
        if (!value.isDouble() || !std::isfinite(value.toDouble())) {
            refuse(quoted(field) + " must be a number of dB, got " + describe(value));
            return 0.0f;
        }
        constexpr double kFarOutOfRange = 1.0e6; // still refused by the engine; fits a float
        return static_cast<float>(std::clamp(value.toDouble(), -kFarOutOfRange, kFarOutOfRange));
    }

    int channel(const QString& code, const QString& where) {
        if (failed())
            return 0;
        if (const auto index = venue_.channelIndex(code.toStdString()))
            return *index;
        QStringList codes;
        for (const auto& c : venue_.channels)
            codes << QString::fromStdString(c.code);
        refuse("unknown channel " + quoted(code) + where + "; the venue's channels are " +
               codes.join(", "));
        return 0;
    }

    int booth(const QString& code) {
        if (failed())
            return 0;
        if (const auto index = venue_.boothIndex(code.toStdString()))
            return *index;
        QStringList codes;
        for (const auto& b : venue_.booths)
            codes << QString::fromStdString(b.code);
        refuse("unknown booth " + quoted(code) + "; the venue's booths are " + codes.join(", "));
        return 0;
    }

    int desk(const QString& id, const QString& field) {
        if (failed())
            return 0;
        const auto dot = id.lastIndexOf('.');
        if (const auto index = venue_.deskIndex(id.toStdString());
            index && dot >= 0 && isCanonicalNumber(id.mid(dot + 1)))
            return *index;
        refuse("unknown desk " + quoted(id) + " in " + quoted(field) +
               "; desks are named BOOTH.N, such as \"" +
               QString::fromStdString(venue_.deskCount() > 0 ? venue_.deskId(0) : "en.1") + "\"");
        return 0;
    }

private:
    const venue::Venue& venue_;
    QString error_;
    std::vector<FieldCommand> commands_;
};

} // namespace

ParsedWrite parseDeskWrite(const venue::Venue& venue, const QString& boothCode,
                           const QString& deskNumber, const QByteArray& body) {
    Request request(venue);
    const int b = request.booth(boothCode);
    int d = 0;
    if (!request.failed()) {
        const auto index = isCanonicalNumber(deskNumber)
                               ? venue.deskIndex((boothCode + '.' + deskNumber).toStdString())
                               : std::nullopt;
        if (index)
            d = *index;
        else
            request.refuse("booth " + quoted(boothCode) + " has no desk " + quoted(deskNumber) +
                           QStringLiteral("; its desks are 1..%1")
                               .arg(venue.booths[static_cast<std::size_t>(b)].desks.size()));
    }

    const auto object = request.body(body, QStringLiteral("{\"mic\": true}"));
    const auto values = request.fields(object, {{"out", {}},
                                                {"in", {}},
                                                {"mic", {}},
                                                {"cough", {}},
                                                {"volume", {}},
                                                {"bass", {}},
                                                {"treble", {}},
                                                {"call", {}}});
    if (request.failed())
        return request.result();

    if (const auto& v = values[0]; !v.isUndefined()) {
        const auto slot = venue::slotFromString(request.string(v, "out").toStdString());
        if (!slot)
            request.refuse("\"out\" must be \"A\", \"B\" or \"C\", got " + describe(v));
        request.add("out", Command::deskOut(d, slot.value_or(venue::Slot::A)));
    }
    if (const auto& v = values[1]; !v.isUndefined())
        request.add("in",
                    Command::deskIn(d, request.channel(request.string(v, "in"), " in \"in\"")));
    if (const auto& v = values[2]; !v.isUndefined())
        request.add("mic", Command::deskMic(d, request.boolean(v, "mic")));
    if (const auto& v = values[3]; !v.isUndefined())
        request.add("cough", Command::deskCough(d, request.boolean(v, "cough")));
    if (const auto& v = values[4]; !v.isUndefined())
        request.add("volume", Command::deskVolume(d, request.decibels(v, "volume")));
    if (const auto& v = values[5]; !v.isUndefined())
        request.add("bass", Command::deskBass(d, request.decibels(v, "bass")));
    if (const auto& v = values[6]; !v.isUndefined())
        request.add("treble", Command::deskTreble(d, request.decibels(v, "treble")));
    if (const auto& v = values[7]; !v.isUndefined()) {
        const QString call = request.string(v, "call");
        if (call != QLatin1String("slow") && call != QLatin1String("help"))
            request.refuse("\"call\" must be \"slow\" (the speaker is too fast) or \"help\" (call "
                           "the technician), got " +
                           describe(v));
        request.add("call",
                    Command::deskCall(d, call == QLatin1String("help") ? core::DeskCall::Help
                                                                       : core::DeskCall::Slow));
    }
    return request.result();
}

ParsedWrite parseChannelWrite(const venue::Venue& venue, const QString& code,
                              const QByteArray& body) {
    Request request(venue);
    const int channel = request.channel(code, "");
    const auto object = request.body(body, QStringLiteral("{\"autofloor\": false}"));
    const auto values = request.fields(object, {{"autofloor", "autoFloor"}, {"trim", {}}});
    if (request.failed())
        return request.result();
    if (const auto& v = values[0]; !v.isUndefined()) {
        if (channel == 0)
            request.refuse("the floor always carries the floor; auto-floor is set on language "
                           "channels");
        request.add("autofloor",
                    Command::channelAutoFloor(channel, request.boolean(v, "autofloor")));
    }
    if (const auto& v = values[1]; !v.isUndefined())
        request.add("trim", Command::channelTrim(channel, request.decibels(v, "trim")));
    return request.result();
}

ParsedWrite parseInputWrite(const venue::Venue& venue, const QString& input,
                            const QByteArray& body) {
    Request request(venue);
    bool number = false;
    const int index = isCanonicalNumber(input) ? input.toInt(&number) : -1;
    if (!number || index < 0 || index >= venue.deviceInputs)
        request.refuse(QStringLiteral("unknown input \"%1\"; the device's inputs are 0..%2")
                           .arg(input)
                           .arg(venue.deviceInputs - 1));
    const auto object = request.body(body, QStringLiteral("{\"trim\": -3}"));
    const auto values = request.fields(object, {{"trim", {}}});
    if (request.failed())
        return request.result();
    if (const auto& v = values[0]; !v.isUndefined())
        request.add("trim", Command::inputTrim(index, request.decibels(v, "trim")));
    return request.result();
}

ParsedWrite parseBoothWrite(const venue::Venue& venue, const QString& code,
                            const QByteArray& body) {
    Request request(venue);
    const int b = request.booth(code);
    const auto object = request.body(body, QStringLiteral("{\"interlock\": \"interlock\"}"));
    const auto values = request.fields(object, {{"interlock", {}}, {"autorelay", "autoRelay"}});
    if (request.failed())
        return request.result();

    if (const auto& v = values[0]; !v.isUndefined()) {
        const auto mode =
            venue::interlockModeFromString(request.string(v, "interlock").toStdString());
        if (!mode)
            request.refuse("\"interlock\" must be \"override\" (the newest press wins) or "
                           "\"interlock\" (the first holds), got " +
                           describe(v));
        request.add("interlock",
                    Command::boothInterlock(b, mode.value_or(venue::InterlockMode::Override)));
    }
    if (const auto& v = values[1]; !v.isUndefined())
        request.add("autorelay", Command::boothAutoRelay(b, request.boolean(v, "autorelay")));
    return request.result();
}

ParsedWrite parseMonitorWrite(const venue::Venue& venue, const QByteArray& body) {
    using core::MonitorSource;
    Request request(venue);
    const auto object = request.body(body, QStringLiteral("{\"channel\": \"en\"}"));
    const auto values =
        request.fields(object, {{"channel", {}}, {"desk", {}}, {"mic", {}}, {"floorMic", {}}});
    if (!request.failed() && object.size() != 1)
        request.refuse("the monitor listens to one source; give exactly one of channel, desk, "
                       "mic, floorMic");
    if (request.failed())
        return request.result();

    if (const auto& v = values[0]; !v.isUndefined()) {
        const int channel = request.channel(request.string(v, "channel"), " in \"channel\"");
        request.add("channel", Command::monitorSource(MonitorSource::Channel, channel));
    } else if (const auto& w = values[1]; !w.isUndefined()) {
        const int desk = request.desk(request.string(w, "desk"), "desk");
        request.add("desk", Command::monitorSource(MonitorSource::DeskFeed, desk));
    } else if (const auto& x = values[2]; !x.isUndefined()) {
        const int desk = request.desk(request.string(x, "mic"), "mic");
        request.add("mic", Command::monitorSource(MonitorSource::DeskMic, desk));
    } else {
        const auto& y = values[3];
        const int count = static_cast<int>(venue.floorMics.size());
        const double number = y.toDouble(-1.0);
        if (!y.isDouble() || std::trunc(number) != number || number < 0 || number >= count)
            request.refuse(
                QStringLiteral("\"floorMic\" must be a floor microphone's number, 0..%1, got ")
                    .arg(count - 1) +
                describe(y));
        else
            request.add("floorMic",
                        Command::monitorSource(MonitorSource::FloorMic, static_cast<int>(number)));
    }
    return request.result();
}

} // namespace dragoman::control

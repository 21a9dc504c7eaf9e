// The HTTP control API (app/control/ControlServer.h) against a running engine on loopback:
// every endpoint, the engine's refusals, access rules, malformed requests, and that the API
// never blocks. Requests come from a real client (QNetworkAccessManager, and curl for the
// examples in docs/control-api.md).
#include "ControlFixture.h"
#include "control/ControlToken.h"

#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace dragoman;
using namespace dragoman::test;
using Catch::Matchers::Contains;

namespace {

QJsonObject at(const QJsonObject& object, std::initializer_list<const char*> path) {
    QJsonObject current = object;
    for (const char* key : path)
        current = current.value(key).toObject();
    return current;
}

std::string str(const QJsonValue& value) {
    if (value.isString())
        return value.toString().toStdString();
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).toStdString();
}

// The "field" of each result, in order.
std::vector<std::string> fieldsOf(const HttpReply& reply) {
    std::vector<std::string> fields;
    for (const auto& result : reply.json.value("results").toArray())
        fields.push_back(result.toObject().value("field").toString().toStdString());
    return fields;
}

QJsonObject lastResult(const HttpReply& reply) {
    const auto results = reply.json.value("results").toArray();
    return results.isEmpty() ? QJsonObject{} : results.last().toObject();
}

struct WriteCase {
    std::string description;
    QString path;
    QByteArray body;
    std::vector<std::string> fields; // the results, in the order applied
    std::function<void(const QJsonObject& state)> check;
};

std::vector<WriteCase> writeCases() {
    return {
        {"a desk's mic goes live on its A channel",
         "/api/desks/en/1",
         R"({"mic": true})",
         {"mic"},
         [](const QJsonObject& s) {
             CHECK(at(s, {"desks", "en.1"}).value("live").toBool());
             CHECK(str(at(s, {"channels", "en"}).value("sourceDesk")) == "en.1");
         }},
        {"a desk's outgoing select",
         "/api/desks/sq/2",
         R"({"out": "B"})",
         {"out"},
         [](const QJsonObject& s) {
             CHECK(str(at(s, {"desks", "sq.2"}).value("out")) == "B");
             CHECK(str(at(s, {"desks", "sq.2"}).value("outChannel")) == "en");
         }},
        {"a desk takes relay from another channel",
         "/api/desks/mk/1",
         R"({"in": "en"})",
         {"in"},
         [](const QJsonObject& s) {
             CHECK(str(at(s, {"desks", "mk.1"}).value("in")) == "en");
             CHECK(str(at(s, {"desks", "mk.1"}).value("hearing")) == "en");
         }},
        {"a desk goes back to the floor",
         "/api/desks/mk/1",
         R"({"in": "floor"})",
         {"in"},
         [](const QJsonObject& s) {
             CHECK(str(at(s, {"desks", "mk.1"}).value("in")) == "floor");
         }},
        {"a desk's cough key",
         "/api/desks/en/2",
         R"({"cough": true})",
         {"cough"},
         [](const QJsonObject& s) {
             CHECK(at(s, {"desks", "en.2"}).value("cough").toBool());
         }},
        {"a desk's volume and tone",
         "/api/desks/bsm/1",
         R"({"treble": -3, "volume": -6.5, "bass": 3})",
         {"volume", "bass", "treble"},
         [](const QJsonObject& s) {
             const auto desk = at(s, {"desks", "bsm.1"});
             CHECK(desk.value("volume").toDouble() == -6.5);
             CHECK(desk.value("bass").toDouble() == 3.0);
             CHECK(desk.value("treble").toDouble() == -3.0);
         }},
        {"a channel's auto-floor",
         "/api/channels/mk",
         R"({"autofloor": false})",
         {"autofloor"},
         [](const QJsonObject& s) {
             const auto mk = at(s, {"channels", "mk"});
             CHECK_FALSE(mk.value("autoFloor").toBool());
             CHECK(str(mk.value("source")) == "silent");
             CHECK(str(mk.value("tag")).empty());
         }},
        {"a desk's slow and help keys",
         "/api/desks/mk/2",
         R"({"call": "help"})",
         {"call"},
         [](const QJsonObject& s) {
             CHECK(at(s, {"desks", "mk.2"}).value("helpCalls").toInt() == 1);
             CHECK(at(s, {"desks", "mk.2"}).value("slowCalls").toInt() == 0);
         }},
        {"a channel's trim, the floor's too",
         "/api/channels/floor",
         R"({"trim": -4.5})",
         {"trim"},
         [](const QJsonObject& s) {
             CHECK(at(s, {"channels", "floor"}).value("trimDb").toDouble() == -4.5);
         }},
        {"a device input's trim",
         "/api/inputs/3",
         R"({"trim": 6})",
         {"trim"},
         [](const QJsonObject& s) {
             CHECK(s.value("inputTrimsDb").toArray().at(3).toDouble() == 6.0);
         }},
        {"auto-floor in the state's own spelling",
         "/api/channels/sq",
         R"({"autoFloor": false})",
         {"autofloor"},
         [](const QJsonObject& s) {
             CHECK_FALSE(at(s, {"channels", "sq"}).value("autoFloor").toBool());
         }},
        {"a booth's interlock mode and auto-relay",
         "/api/booths/en",
         R"({"autorelay": true, "interlock": "interlock"})",
         {"interlock", "autorelay"},
         [](const QJsonObject& s) {
             CHECK(str(at(s, {"booths", "en"}).value("interlock")) == "interlock");
             CHECK(at(s, {"booths", "en"}).value("autoRelay").toBool());
         }},
        {"the monitor on a channel",
         "/api/monitor",
         R"({"channel": "sq"})",
         {"channel"},
         [](const QJsonObject& s) {
             CHECK(str(at(s, {"monitor"}).value("source")) == "channel");
             CHECK(str(at(s, {"monitor"}).value("id")) == "sq");
         }},
        {"the monitor on a desk's headphone feed",
         "/api/monitor",
         R"({"desk": "mk.2"})",
         {"desk"},
         [](const QJsonObject& s) {
             CHECK(str(at(s, {"monitor"}).value("source")) == "desk");
             CHECK(str(at(s, {"monitor"}).value("id")) == "mk.2");
         }},
        {"the monitor on a desk's microphone",
         "/api/monitor",
         R"({"mic": "en.2"})",
         {"mic"},
         [](const QJsonObject& s) {
             CHECK(str(at(s, {"monitor"}).value("source")) == "mic");
             CHECK(str(at(s, {"monitor"}).value("id")) == "en.2");
         }},
        {"the monitor on a floor microphone",
         "/api/monitor",
         R"({"floorMic": 1})",
         {"floorMic"},
         [](const QJsonObject& s) {
             CHECK(str(at(s, {"monitor"}).value("source")) == "floorMic");
             CHECK(at(s, {"monitor"}).value("id").toInt() == 1);
         }},
    };
}

struct BadRequest {
    std::string description;
    QString path;
    QByteArray body;
    std::string error; // a substring of the reply's "error"
};

std::vector<BadRequest> badRequests() {
    const QString desk = QStringLiteral("/api/desks/en/1");
    return {
        {"invalid JSON", desk, R"({"mic": tru})", "invalid JSON at byte"},
        {"no body", desk, "", "the request has no body"},
        {"a JSON array", desk, "[true]", "expected a JSON object"},
        {"an empty object", desk, "{}", "nothing to change"},
        {"an unknown field", desk, R"({"mike": true})",
         "unknown field \"mike\"; the fields here are out, in, mic, cough, volume, bass, treble, "
         "call"},
        {"a call is slow or help", desk, R"({"call": "louder"})",
         "\"call\" must be \"slow\" (the speaker is too fast) or \"help\""},
        {"mic is a boolean", desk, R"({"mic": "on"})",
         "\"mic\" must be true or false, got string \"on\""},
        {"cough is a boolean", desk, R"({"cough": 1})", "\"cough\" must be true or false"},
        {"volume is a number", desk, R"({"volume": "-6"})",
         "\"volume\" must be a number of dB, got string \"-6\""},
        {"bass is a number", desk, R"({"bass": null})",
         "\"bass\" must be a number of dB, got null"},
        {"out is A, B or C", desk, R"({"out": "D"})", "\"out\" must be \"A\", \"B\" or \"C\""},
        {"in is a channel code", desk, R"({"in": 1})", "\"in\" must be a string, got number 1"},
        {"in names a channel of the venue", desk, R"({"in": "fr"})",
         "unknown channel \"fr\" in \"in\"; the venue's channels are floor, en, sq, bsm, mk"},
        {"an unknown booth", "/api/desks/fr/1", R"({"mic": true})",
         "unknown booth \"fr\"; the venue's booths are en, sq, bsm, mk"},
        {"an unknown desk", "/api/desks/en/3", R"({"mic": true})",
         "booth \"en\" has no desk \"3\"; its desks are 1..2"},
        {"a desk number that is no number", "/api/desks/en/one", R"({"mic": true})",
         "has no desk \"one\""},
        {"an unknown channel", "/api/channels/fr", R"({"autofloor": true})",
         "unknown channel \"fr\""},
        {"the floor has no auto-floor", "/api/channels/floor", R"({"autofloor": false})",
         "the floor always carries the floor"},
        {"autofloor is a boolean", "/api/channels/en", R"({"autofloor": "off"})",
         "\"autofloor\" must be true or false"},
        {"autofloor given twice", "/api/channels/en", R"({"autofloor": false, "autoFloor": true})",
         "give \"autofloor\" once"},
        {"trim is a number", "/api/channels/en", R"({"trim": "-3"})",
         "\"trim\" must be a number of dB, got string \"-3\""},
        {"an input the device does not have", "/api/inputs/16", R"({"trim": -3})",
         "unknown input \"16\"; the device's inputs are 0..15"},
        {"an input number that is no number", "/api/inputs/mic", R"({"trim": -3})",
         "unknown input \"mic\""},
        {"an unknown input field", "/api/inputs/0", R"({"gain": -3})",
         "unknown field \"gain\"; the fields here are trim"},
        {"an unknown booth's interlock", "/api/booths/fr", R"({"interlock": "override"})",
         "unknown booth \"fr\""},
        {"an interlock mode that does not exist", "/api/booths/en", R"({"interlock": "strict"})",
         "\"interlock\" must be \"override\" (the newest press wins) or \"interlock\""},
        {"an unknown booth field", "/api/booths/en", R"({"relay": true})",
         "unknown field \"relay\"; the fields here are interlock, autorelay"},
        {"the monitor listens to one source", "/api/monitor",
         R"({"channel": "en", "desk": "en.1"})",
         "give exactly one of channel, desk, mic, floorMic"},
        {"the monitor on an unknown desk", "/api/monitor", R"({"desk": "en.9"})",
         "unknown desk \"en.9\" in \"desk\""},
        {"the monitor on an unknown channel", "/api/monitor", R"({"channel": "fr"})",
         "unknown channel \"fr\""},
        {"a floor mic the venue does not have", "/api/monitor", R"({"floorMic": 2})",
         "\"floorMic\" must be a floor microphone's number, 0..1, got number 2"},
        {"a floor mic number is whole", "/api/monitor", R"({"floorMic": 0.5})",
         "\"floorMic\" must be a floor microphone's number"},
    };
}

// Refusals only the engine can make: the request reaches it, and the reply carries its answer.
struct EngineRefusal {
    std::string description;
    QString path;
    QByteArray body;
    std::string reason;
};

std::vector<EngineRefusal> engineRefusals() {
    return {
        {"volume above +12 dB", "/api/desks/en/1", R"({"volume": 20})", "value out of range"},
        {"volume below -60 dB", "/api/desks/en/1", R"({"volume": -61})", "value out of range"},
        {"a volume far out of range", "/api/desks/en/1", R"({"volume": 1e300})",
         "value out of range"},
        {"bass beyond 12 dB", "/api/desks/sq/1", R"({"bass": -13})", "value out of range"},
        {"treble beyond 12 dB", "/api/desks/sq/1", R"({"treble": 12.5})", "value out of range"},
        {"a channel trim above +12 dB", "/api/channels/en", R"({"trim": 13})",
         "value out of range"},
        {"an input trim below -24 dB", "/api/inputs/0", R"({"trim": -25})", "value out of range"},
        {"a C channel the booth does not have", "/api/desks/en/1", R"({"out": "C"})",
         "no such outgoing channel"},
    };
}

struct MissingCase {
    QByteArray method;
    QString path;
    int status;
    QByteArray allow;
};

// Runs curl (as a docs/control-api.md reader would) without blocking the event loop serving it.
HttpReply curl(const QStringList& arguments) {
    QProcess process;
    process.start(QStringLiteral("curl"),
                  QStringList{"-sS", "--noproxy", "*", "-m", "10", "-w", "\n%{http_code}"} +
                      arguments);
    waitUntil([&] { return process.state() == QProcess::NotRunning; }, 15000);
    HttpReply reply;
    const QByteArray out = process.readAllStandardOutput();
    const auto newline = out.lastIndexOf('\n');
    if (newline < 0)
        return reply;
    reply.body = out.left(newline);
    reply.status = out.mid(newline + 1).toInt();
    reply.json = QJsonDocument::fromJson(reply.body).object();
    return reply;
}

} // namespace

TEST_CASE("GET /api/state describes the venue, the routing, meters, device and engine") {
    ControlFixture api;
    REQUIRE(api.post("/api/desks/en/1", R"({"mic": true})").status == 200);
    // Let the meters see a second of the tone on en.1's microphone (in audio time: a slow,
    // sanitised build pumps the engine more slowly).
    const auto start = api.engine.stats().frames;
    REQUIRE(waitUntil([&] { return api.engine.stats().frames >= start + 48000; }, 20000));

    const auto reply = api.get();
    REQUIRE(reply.status == 200);
    CHECK(reply.contentType == "application/json");
    CHECK(reply.cacheControl == "no-store");
    const auto& s = reply.json;

    CHECK_THAT(str(s.value("venue")), Contains("Tirana"));
    CHECK(s.value("sampleRate").toInt() == 48000);

    SECTION("desks, by id") {
        const auto desks = s.value("desks").toObject();
        CHECK(desks.keys() ==
              QStringList{"bsm.1", "bsm.2", "en.1", "en.2", "mk.1", "mk.2", "sq.1", "sq.2"});
        const auto en1 = desks.value("en.1").toObject();
        CHECK(str(en1.value("booth")) == "en");
        CHECK(en1.value("mic").toBool());
        CHECK(en1.value("live").toBool());
        CHECK_FALSE(en1.value("cough").toBool());
        CHECK(str(en1.value("out")) == "A");
        CHECK(str(en1.value("outChannel")) == "en");
        CHECK(str(en1.value("in")) == "floor");
        CHECK(str(en1.value("hearing")) == "floor");
        CHECK(en1.value("volume").toDouble() == 0.0);
        CHECK(en1.value("bass").toDouble() == 0.0);
        CHECK(en1.value("treble").toDouble() == 0.0);
        const auto limiter = en1.value("limiter").toObject();
        CHECK(limiter.keys() ==
              QStringList{"averageDb", "gainReductionDb", "sustained", "warning"});
        const auto mic = at(en1, {"meters", "mic"});
        CHECK(mic.keys() == QStringList{"clips", "peakDb", "rmsDb", "truePeakDb"});
        CHECK(mic.value("peakDb").toDouble() == Approx(-20.0).margin(0.5));
        CHECK(mic.value("rmsDb").toDouble() == Approx(-23.0).margin(1.0));
        CHECK(mic.value("clips").toInt() == 0);
        CHECK(at(en1, {"meters", "feed"}).contains("truePeakDb"));
        CHECK_FALSE(desks.value("en.2").toObject().value("live").toBool());
    }

    SECTION("channels, by code, with their source and quality tag") {
        const auto channels = s.value("channels").toObject();
        CHECK(channels.keys() == QStringList{"bsm", "en", "floor", "mk", "sq"});
        const auto en = channels.value("en").toObject();
        CHECK(str(en.value("name")) == "English");
        CHECK(str(en.value("sourceDesk")) == "en.1");
        CHECK(str(en.value("source")) == "desk");
        CHECK(str(en.value("tag")) == "+");
        CHECK(en.value("autoFloor").toBool());
        CHECK(en.value("meters").toObject().value("peakDb").toDouble() ==
              Approx(-20.0).margin(0.5));
        const auto mk = channels.value("mk").toObject();
        CHECK(str(mk.value("nativeName")) == "Македонски");
        CHECK(mk.value("sourceDesk").isNull());
        CHECK(str(mk.value("source")) == "floor");
        CHECK(str(mk.value("tag")) == "floor");
    }

    SECTION("booths, the floor mics and the monitor") {
        const auto en = at(s, {"booths", "en"});
        CHECK(str(en.value("interlock")) == "override");
        CHECK_FALSE(en.value("autoRelay").toBool());
        CHECK(str(en.value("liveDesk")) == "en.1");
        CHECK(str(at(en, {"slots"}).value("B")) == "sq");
        CHECK(at(en, {"slots"}).value("C").isNull());
        CHECK(at(s, {"booths", "sq"}).value("liveDesk").isNull());

        const auto floorMics = s.value("floorMics").toArray();
        REQUIRE(floorMics.size() == 2);
        CHECK(str(floorMics[0].toObject().value("name")) == "Chair");
        CHECK(floorMics[1].toObject().value("meters").toObject().contains("peakDb"));

        CHECK(str(at(s, {"monitor"}).value("source")) == "channel");
        CHECK(str(at(s, {"monitor"}).value("id")) == "floor");
    }

    SECTION("the device, the engine and the API's own counters") {
        const auto device = at(s, {"device"});
        CHECK(str(device.value("clock")) == "device");
        CHECK(str(device.value("state")) == "running");
        CHECK(str(device.value("hostApi")) == "JACK Audio Connection Kit");
        CHECK(device.value("blockSize").toInt() == 128);
        CHECK(device.value("xruns").toInt() == 3);
        CHECK(str(device.value("lastError")) == "Device unavailable");

        const auto engine = at(s, {"engine"});
        CHECK(engine.value("frames").toDouble() > 0);
        CHECK(engine.value("blocks").toDouble() > 0);
        CHECK(engine.value("commandsApplied").toInt() >= 1);
        CHECK(engine.value("commandsDropped").toInt() == 0);
        CHECK(engine.value("resultsDropped").toInt() == 0);
        CHECK(engine.value("pending").toInt() == 0);

        CHECK(at(s, {"api"}).value("requests").toInt() == 2);
        CHECK(at(s, {"api"}).value("rejected").toInt() == 0);
    }
}

TEST_CASE("Every write endpoint applies its fields and the state shows them") {
    const auto row = GENERATE(Catch::Generators::from_range(writeCases()));
    INFO(row.description << ": POST " << row.path.toStdString() << " " << row.body.toStdString());
    ControlFixture api;

    const auto reply = api.post(row.path, row.body);

    CHECK(reply.status == 200);
    CHECK(reply.json.value("accepted").toBool());
    CHECK(fieldsOf(reply) == row.fields);
    for (const auto& result : reply.json.value("results").toArray())
        CHECK(result.toObject().value("accepted").toBool());
    row.check(api.state()); // the answer came after the engine applied it: no waiting needed
}

TEST_CASE("Desk fields apply in the order out, in, mic, ... whatever the body's order") {
    ControlFixture api;

    const auto reply = api.post("/api/desks/sq/1", R"({"mic": true, "in": "floor", "out": "B"})");

    REQUIRE(reply.status == 200);
    CHECK(fieldsOf(reply) == std::vector<std::string>{"out", "in", "mic"});
    const auto state = api.state();
    CHECK(str(at(state, {"channels", "en"}).value("sourceDesk")) == "sq.1"); // live on B = en
    CHECK(str(at(state, {"channels", "en"}).value("tag")) == "+");
}

TEST_CASE("A mic press names the booth-mate it took over from and the desk it displaced") {
    ControlFixture api;
    REQUIRE(api.post("/api/desks/en/1", R"({"mic": true})").status == 200);

    SECTION("handover inside the booth") {
        const auto reply = api.post("/api/desks/en/2", R"({"mic": true})");
        REQUIRE(reply.status == 200);
        CHECK(str(lastResult(reply).value("handover")) == "en.1");
        CHECK(lastResult(reply).value("displaced").isNull());
        CHECK(str(at(api.state(), {"booths", "en"}).value("liveDesk")) == "en.2");
    }

    SECTION("override between booths: the newcomer wins") {
        const auto reply = api.post("/api/desks/sq/1", R"({"out": "B", "mic": true})");
        REQUIRE(reply.status == 200);
        CHECK(lastResult(reply).value("handover").isNull());
        CHECK(str(lastResult(reply).value("displaced")) == "en.1");
        CHECK(str(at(api.state(), {"channels", "en"}).value("sourceDesk")) == "sq.1");
    }
}

TEST_CASE("Under interlock a second booth is refused 409 with the holder named") {
    ControlFixture api;
    REQUIRE(api.post("/api/booths/en", R"({"interlock": "interlock"})").status == 200);
    REQUIRE(api.post("/api/desks/en/1", R"({"mic": true})").status == 200);

    const auto reply = api.post("/api/desks/sq/1", R"({"out": "B", "mic": true, "volume": -10})");

    CHECK(reply.status == 409);
    CHECK_FALSE(reply.json.value("accepted").toBool());
    CHECK_THAT(str(reply.json.value("error")), Contains("mic: channel engaged (held by en.1)"));
    REQUIRE(fieldsOf(reply) == std::vector<std::string>{"out", "mic"}); // stops at the refusal
    const auto results = reply.json.value("results").toArray();
    CHECK(results[0].toObject().value("accepted").toBool());
    const auto refusal = results[1].toObject();
    CHECK_FALSE(refusal.value("accepted").toBool());
    CHECK(str(refusal.value("reason")) == "channel engaged");
    CHECK(str(refusal.value("holder")) == "en.1");

    const auto state = api.state();
    CHECK(str(at(state, {"channels", "en"}).value("sourceDesk")) == "en.1");
    CHECK(str(at(state, {"desks", "sq.1"}).value("out")) == "B"); // applied before the refusal
    CHECK(at(state, {"desks", "sq.1"}).value("volume").toDouble() == 0.0); // never posted
    CHECK(at(state, {"api"}).value("rejected").toInt() == 0); // 409 is the engine's word
}

TEST_CASE("Writes without the right bearer token are refused 401 and change nothing") {
    struct Row {
        std::string description;
        std::optional<QByteArray> authorization;
        std::string error;
    };
    const auto row = GENERATE(values<Row>({
        {"no Authorization header", std::nullopt, "needs the header \"Authorization: Bearer"},
        {"a wrong token", "Bearer wrong-token-0123456789abcdef", "wrong token"},
        {"the token with a character more", "Bearer " + kToken.toUtf8() + "x", "wrong token"},
        {"the token's first half", "Bearer " + kToken.left(8).toUtf8(), "wrong token"},
        {"another scheme", "Basic " + kToken.toUtf8(), "wrong token"},
        {"the scheme alone", "Bearer", "wrong token"},
    }));
    INFO(row.description);
    ControlFixture api;

    QNetworkRequest request(api.url("/api/desks/en/1"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    if (row.authorization)
        request.setRawHeader("Authorization", *row.authorization);
    const auto reply = ControlFixture::finish(api.network.post(request, R"({"mic": true})"));

    CHECK(reply.status == 401);
    CHECK_THAT(str(reply.json.value("error")), Contains(row.error));
    CHECK(reply.wwwAuthenticate.startsWith("Bearer"));
    CHECK_FALSE(at(api.state(), {"desks", "en.1"}).value("mic").toBool());
}

TEST_CASE("The scheme name of the bearer token is case-insensitive") {
    ControlFixture api;
    QNetworkRequest request(api.url("/api/desks/en/1"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setRawHeader("Authorization", "bearer " + kToken.toUtf8());
    CHECK(ControlFixture::finish(api.network.post(request, R"({"mic": true})")).status == 200);
}

TEST_CASE("Without a configured token every write is refused 403 with how to set one") {
    FixtureOptions options;
    options.token.clear();
    ControlFixture api(options);

    for (const auto* path :
         {"/api/desks/en/1", "/api/channels/en", "/api/booths/en", "/api/monitor"}) {
        INFO(path);
        const auto reply = api.post(path, R"({"mic": true})", kToken);
        CHECK(reply.status == 403);
        CHECK_THAT(str(reply.json.value("error")), Contains("no control token is set") &&
                                                       Contains("control") &&
                                                       Contains("DRAGOMAN_TOKEN"));
    }
    CHECK(api.get().status == 200); // reading stays open
}

TEST_CASE("Malformed writes are refused 400 with a message naming the problem") {
    const auto row = GENERATE(Catch::Generators::from_range(badRequests()));
    INFO(row.description << ": POST " << row.path.toStdString() << " " << row.body.toStdString());
    ControlFixture api;

    const auto reply = api.post(row.path, row.body);

    CHECK(reply.status == 400);
    CHECK_THAT(str(reply.json.value("error")), Contains(row.error));
    const auto state = api.state();
    CHECK(at(state, {"api"}).value("rejected").toInt() == 1);
    CHECK(at(state, {"engine"}).value("commandsApplied").toInt() == 0); // nothing was posted
}

TEST_CASE("Values the engine refuses come back 400 with the engine's reason") {
    const auto row = GENERATE(Catch::Generators::from_range(engineRefusals()));
    INFO(row.description << ": POST " << row.path.toStdString() << " " << row.body.toStdString());
    ControlFixture api;

    const auto reply = api.post(row.path, row.body);

    CHECK(reply.status == 400);
    CHECK_FALSE(reply.json.value("accepted").toBool());
    CHECK(str(lastResult(reply).value("reason")) == row.reason);
    CHECK_THAT(str(reply.json.value("error")), Contains(row.reason));
}

TEST_CASE("Unknown paths are 404 and other methods 405 with the methods allowed") {
    const auto row = GENERATE(values<MissingCase>({
        {"GET", "/api/nothing", 404, ""},
        {"GET", "/", 404, ""},
        {"GET", "/api/desks/en", 404, ""},
        {"POST", "/api/desks/en/1/mic", 404, ""},
        {"GET", "/api/state/", 404, ""},
        {"POST", "/api/state", 405, "GET"},
        {"DELETE", "/api/state", 405, "GET"},
        {"GET", "/api/desks/en/1", 405, "POST"},
        {"PUT", "/api/channels/en", 405, "POST"},
        {"DELETE", "/api/booths/en", 405, "POST"},
        {"PATCH", "/api/monitor", 405, "POST"},
    }));
    INFO(row.method.toStdString() << " " << row.path.toStdString());
    ControlFixture api;

    const auto reply = api.request(row.method, row.path, R"({"mic": true})", kToken);

    CHECK(reply.status == row.status);
    CHECK(reply.allow == row.allow);
    CHECK_FALSE(str(reply.json.value("error")).empty());
    CHECK(at(api.state(), {"api"}).value("rejected").toInt() == 1);
}

TEST_CASE("The API counts every request and every one it rejected") {
    ControlFixture api;
    const auto before = api.server.counters();
    REQUIRE(api.post("/api/booths/en", R"({"interlock": "interlock"})").status == 200);
    REQUIRE(api.post("/api/desks/en/1", R"({"mic": true})").status == 200);
    REQUIRE(api.post("/api/desks/sq/1", R"({"out": "B", "mic": true})").status == 409);
    REQUIRE(api.post("/api/desks/en/1", R"({"mic": tru})").status == 400);
    REQUIRE(api.post("/api/desks/en/1", R"({"mic": true})", "wrong").status == 401);
    REQUIRE(api.request("GET", "/api/nothing").status == 404);
    REQUIRE(api.request("PUT", "/api/monitor").status == 405);
    REQUIRE(api.post("/api/desks/en/1", R"({"volume": 99})").status == 400);

    const auto counts = at(api.state(), {"api"});
    CHECK(counts.value("requests").toInt() == static_cast<int>(before.requests) + 9);
    CHECK(counts.value("rejected").toInt() == static_cast<int>(before.rejected) + 5);
    CHECK(api.server.counters().requests == before.requests + 9);
}

TEST_CASE("Clients that present the token may read the state, and so may others on loopback") {
    ControlFixture api;
    QNetworkRequest request(api.url("/api/state"));
    request.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
    CHECK(ControlFixture::finish(api.network.get(request)).status == 200);
    CHECK(api.get().status == 200);
}

TEST_CASE("listen() refuses what would expose the routing without a usable token") {
    struct Row {
        std::string description;
        QHostAddress address;
        QString token;
        std::string error;
    };
    const auto row = GENERATE(values<Row>({
        {"every IPv4 interface without a token", QHostAddress(QHostAddress::AnyIPv4), "",
         "without a token"},
        {"every interface without a token", QHostAddress(QHostAddress::Any), "", "without a token"},
        {"a LAN address without a token", QHostAddress("192.0.2.10"), "", "without a token"},
        {"a token too short to keep anyone out", QHostAddress(QHostAddress::LocalHost), "letmein",
         "the control token has 7 characters; use at least 16"},
        {"a token with a space", QHostAddress(QHostAddress::LocalHost),
         "correct horse battery staple", "printable ASCII characters without spaces"},
    }));
    INFO(row.description);
    const auto venue = tiranaVenue();
    core::Engine engine(venue);
    control::EngineController controller(engine);
    control::ServerSettings settings;
    settings.address = row.address;
    settings.port = 0;
    settings.token = row.token;
    control::ControlServer server(controller, {}, settings);

    QString error;
    CHECK_FALSE(server.listen(&error));
    CHECK_THAT(error.toStdString(), Contains(row.error));
    CHECK(server.port() == 0);
}

TEST_CASE("listen() on loopback without a token serves a read-only API") {
    const auto venue = tiranaVenue();
    core::Engine engine(venue);
    control::EngineController controller(engine);
    control::ServerSettings settings;
    settings.port = 0;
    control::ControlServer server(controller, {}, settings);

    QString error;
    CHECK(server.listen(&error));
    CHECK(error.isEmpty());
    CHECK(server.port() != 0);
    CHECK_FALSE(server.listen(&error)); // once
    CHECK_THAT(error.toStdString(), Contains("listening already"));
}

TEST_CASE("listen() reports a port that is taken") {
    ControlFixture first;
    const auto venue = tiranaVenue();
    core::Engine engine(venue);
    control::EngineController controller(engine);
    control::ServerSettings settings;
    settings.port = first.server.port();
    control::ControlServer second(controller, {}, settings);

    QString error;
    CHECK_FALSE(second.listen(&error));
    CHECK_THAT(error.toStdString(), Contains("cannot listen on 127.0.0.1 port"));
}

TEST_CASE("The token in DRAGOMAN_TOKEN overrides the venue's") {
    auto venue = tiranaVenue();
    venue.control.token = "venue-token-0123456789";
    const QString fromEnvironment = QStringLiteral("environment-token-0123456789");

    SECTION("resolveToken(): the environment wins; unset or empty, the venue's") {
        qunsetenv("DRAGOMAN_TOKEN");
        CHECK(control::resolveToken(venue) == "venue-token-0123456789");
        qputenv("DRAGOMAN_TOKEN", "");
        CHECK(control::resolveToken(venue) == "venue-token-0123456789");
        qputenv("DRAGOMAN_TOKEN", fromEnvironment.toUtf8());
        CHECK(control::resolveToken(venue) == fromEnvironment);
        venue.control.token.clear();
        CHECK(control::resolveToken(venue) == fromEnvironment);
        qunsetenv("DRAGOMAN_TOKEN");
        CHECK(control::resolveToken(venue).isEmpty());
    }

    SECTION("a server set up from it takes the environment's token, not the venue's") {
        qputenv("DRAGOMAN_TOKEN", fromEnvironment.toUtf8());
        FixtureOptions options;
        options.token = control::resolveToken(venue);
        qunsetenv("DRAGOMAN_TOKEN");
        ControlFixture api(options);

        CHECK(api.post("/api/desks/en/1", R"({"mic": true})", "venue-token-0123456789").status ==
              401);
        CHECK(api.post("/api/desks/en/1", R"({"mic": true})", fromEnvironment).status == 200);
    }
}

TEST_CASE("The API never blocks: 50 concurrent writes are all answered") {
    ControlFixture api;
    // Ten clients with five requests each: every request has its own connection in flight.
    std::vector<std::unique_ptr<QNetworkAccessManager>> clients;
    std::vector<QNetworkReply*> replies;
    for (int c = 0; c < 10; ++c) {
        clients.push_back(std::make_unique<QNetworkAccessManager>());
        clients.back()->setProxy(QNetworkProxy::NoProxy);
        for (int r = 0; r < 5; ++r) {
            const int desk = (c * 5 + r) % 8;
            const QString path = QStringLiteral("/api/desks/%1/%2")
                                     .arg(QStringList{"en", "sq", "bsm", "mk"}[desk / 2])
                                     .arg(desk % 2 + 1);
            const QByteArray body = QStringLiteral(R"({"volume": %1, "cough": %2})")
                                        .arg(-(c * 5 + r) % 40)
                                        .arg(r % 2 ? "true" : "false")
                                        .toUtf8();
            replies.push_back(api.start("POST", path, body, kToken, clients.back().get()));
        }
    }
    // A read while they are under way is answered too.
    const auto read = api.get();
    CHECK(read.status == 200);

    int ok = 0;
    for (auto* reply : replies) {
        const auto answer = ControlFixture::finish(reply, 10000);
        ok += answer.status == 200 && answer.json.value("accepted").toBool() ? 1 : 0;
    }
    CHECK(ok == 50);
    const auto engine = at(api.state(), {"engine"});
    CHECK(engine.value("commandsApplied").toInt() == 100);
    CHECK(engine.value("commandsDropped").toInt() == 0);
    CHECK(engine.value("pending").toInt() == 0);
}

TEST_CASE("With no audio running, reads answer at once and writes 503 after the timeout") {
    FixtureOptions options;
    options.pump = false;
    options.controller.timeoutMs = 300;
    ControlFixture api(options);

    QElapsedTimer elapsed;
    elapsed.start();
    auto* write = api.start("POST", "/api/desks/en/1", R"({"mic": true})", kToken);
    REQUIRE(waitUntil([&] { return api.controller.pending() == 1; }));
    const auto read = api.get();
    const auto readMs = elapsed.elapsed();
    const auto written = ControlFixture::finish(write);
    const auto writeMs = elapsed.elapsed();

    CHECK(read.status == 200);
    CHECK(at(read.json, {"engine"}).value("pending").toInt() == 1);
    CHECK(readMs < writeMs); // answered while the write was still waiting for the engine
    CHECK(written.status == 503);
    CHECK(str(lastResult(written).value("reason")) == "engine not answering");
    CHECK_THAT(str(written.json.value("error")), Contains("is audio running?"));
    CHECK(writeMs >= 300);
}

TEST_CASE("A client that hangs up before the engine answers leaves the server serving") {
    FixtureOptions options;
    options.pump = false;
    options.controller.timeoutMs = 200;
    ControlFixture api(options);

    auto* write = api.start("POST", "/api/desks/en/1", R"({"mic": true})", kToken);
    spin(50);
    write->abort();
    write->deleteLater();
    spin(400); // the answer comes for a socket that is gone

    CHECK(api.get().status == 200);
    CHECK(api.controller.pending() == 0);
}

TEST_CASE("The curl examples in docs/control-api.md work as written") {
    REQUIRE_FALSE(QStandardPaths::findExecutable("curl").isEmpty());
    ControlFixture api;
    const QString base = api.url("").toString();
    const QString auth = "Authorization: Bearer " + kToken;

    const auto mic =
        curl({"-X", "POST", "-H", auth, "-d", R"({"mic":true})", base + "/api/desks/en/1"});
    CHECK(mic.status == 200);
    CHECK(mic.json.value("accepted").toBool());

    const auto refused = curl({"-X", "POST", "-d", R"({"mic":true})", base + "/api/desks/sq/1"});
    CHECK(refused.status == 401);

    CHECK(
        curl({"-X", "POST", "-H", auth, "-d", R"({"autofloor":false})", base + "/api/channels/mk"})
            .status == 200);
    CHECK(curl({"-X", "POST", "-H", auth, "-d", R"({"interlock":"interlock","autorelay":true})",
                base + "/api/booths/en"})
              .status == 200);
    CHECK(curl({"-X", "POST", "-H", auth, "-d", R"({"channel":"en"})", base + "/api/monitor"})
              .status == 200);

    const auto state = curl({base + "/api/state"});
    REQUIRE(state.status == 200);
    CHECK(str(at(state.json, {"channels", "en"}).value("sourceDesk")) == "en.1");
    CHECK(str(at(state.json, {"channels", "en"}).value("tag")) == "+");
    CHECK_FALSE(at(state.json, {"channels", "mk"}).value("autoFloor").toBool());
    CHECK(str(at(state.json, {"booths", "en"}).value("interlock")) == "interlock");
    CHECK(str(at(state.json, {"monitor"}).value("id")) == "en");
}

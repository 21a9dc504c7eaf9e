// The booth tablet's desk page end to end: headless Chromium opens /desk/ID#token=DESK-TOKEN
// on a running `dragoman`'s control port, as the pairing link does, and the interpreter's keys
// act on the router through the WebSocket: MIC live, a second booth's page refused under
// interlock with the holder named, COUGH held, A/B/C, the page's language; a desk token acts
// on its own desk only; a dropped socket greys every key at once and comes back by itself; after
// the router restarts the page reconnects and shows the true state; a revoked token keeps the
// page out.
#include "e2e/DragomanProcess.h"
#include "support/HeadlessChromium.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>

using namespace dragoman;
using namespace dragoman::test;
using namespace std::chrono_literals;

namespace {

std::string deskToken(const Dragoman& router, const std::string& desk) {
    const auto reply = http("GET", router.api("/desk-tokens/" + desk), "", kToken);
    REQUIRE(reply.status == 200);
    return json::parse(reply.body)["token"].get<std::string>();
}

std::string pageUrl(const Dragoman& router, const std::string& desk) {
    const std::string api = router.api("");
    return api.substr(0, api.size() - 4) + "/desk/" + desk + "#token=" + deskToken(router, desk);
}

QString status(HeadlessChromium& page, const char* field) {
    return page.evaluate(QStringLiteral("String(dragomanDesk.status().") + field + ")").toString();
}

bool started(const Dragoman& router) {
    router.waitFor([](const json& s) { return s.contains("desks"); }, 10s);
    return router.state().contains("desks");
}

} // namespace

TEST_CASE("A booth's tablet runs its desk from the desk page over the WebSocket") {
    TokenEnvironment token;
    const auto stateFile = std::filesystem::temp_directory_path() /
                           ("dragoman-desk-page-" + std::to_string(::getpid()) + ".json");
    const std::vector<std::string> options{"--audio", "virtual", "--state", stateFile.string()};
    auto router = std::make_unique<Dragoman>(options);
    INFO(router->output());
    REQUIRE(started(*router));
    REQUIRE(router->post("/booths/en", {{"interlock", "interlock"}}).status == 200);

    HeadlessChromium en(pageUrl(*router, "en.1"));
    INFO(en.log());
    REQUIRE(en.waitFor("window.dragomanDesk && dragomanDesk.status().connected", 10000));
    CHECK(status(en, "lang") == "en");
    CHECK(en.evaluate("location.hash") == QStringLiteral("")); // the token left the address bar

    // A tap on MIC: en.1 is live in the engine and the page says LIVE, in green.
    en.evaluate("dragomanDesk.press('mic')");
    REQUIRE(en.waitFor("dragomanDesk.status().live === true", 5000));
    CHECK(status(en, "micLabel") == "LIVE");
    CHECK(status(en, "micClass") == "live");
    CHECK(router->state()["desks"]["en.1"]["live"] == true);

    // sq.1's page, in Albanian: its retour (B) on English is refused, en.1 named.
    HeadlessChromium sq(pageUrl(*router, "sq.1"));
    INFO(sq.log());
    REQUIRE(sq.waitFor("window.dragomanDesk && dragomanDesk.status().connected", 10000));
    CHECK(status(sq, "lang") == "sq");
    sq.evaluate("dragomanDesk.key('b')");
    REQUIRE(sq.waitFor("dragomanDesk.status().out === 'B'", 5000));
    sq.evaluate("dragomanDesk.press('mic')");
    REQUIRE(sq.waitFor("dragomanDesk.status().refusedBy === 'en.1'", 5000));
    CHECK(status(sq, "micLabel") == "E ZËNË · EN.1");
    CHECK(status(sq, "micClass") == "refused");
    CHECK(router->state()["desks"]["sq.1"]["live"] == false);

    // en.1's token on its own socket: sq.1, the booth and the monitor are not its to change.
    const auto verdicts = en.evaluate(R"((async () => {
        const token = localStorage.getItem("dragoman-desk-token:en.1");
        const ws = new WebSocket("ws://" + location.host + "/api/ws");
        const answers = {};
        await new Promise((done) => {
          ws.onopen = () => ws.send(JSON.stringify({ type: "auth", token }));
          ws.onmessage = (e) => {
            const f = JSON.parse(e.data);
            if (f.type === "hello") {
              ws.send(JSON.stringify({ id: "desk", type: "desk", desk: "sq.1", set: { mic: false } }));
              ws.send(JSON.stringify({ id: "booth", type: "booth", booth: "en", set: { autorelay: true } }));
              ws.send(JSON.stringify({ id: "monitor", type: "monitor", set: { channel: "en" } }));
            } else if (f.type === "answer") {
              answers[f.id] = f.status;
              if (Object.keys(answers).length === 3) done();
            }
          };
          setTimeout(done, 4000);
        });
        ws.close();
        return answers;
      })())");
    INFO(QJsonDocument(verdicts.toObject()).toJson().toStdString());
    CHECK(verdicts.toObject().value("desk").toInt() == 403);
    CHECK(verdicts.toObject().value("booth").toInt() == 403);
    CHECK(verdicts.toObject().value("monitor").toInt() == 403);

    // COUGH while Space is held.
    en.evaluate("dragomanDesk.key(' ', true)");
    REQUIRE(en.waitFor("dragomanDesk.status().cough === true", 5000));
    CHECK(router->state()["desks"]["en.1"]["cough"] == true);
    en.evaluate("dragomanDesk.key(' ', false)");
    REQUIRE(en.waitFor("dragomanDesk.status().cough === false", 5000));

    // The socket drops: greyed at once, no stale "live", back by itself.
    en.evaluate("dragomanDesk.close()");
    REQUIRE(en.waitFor("dragomanDesk.status().disabled === true", 2000));
    CHECK(status(en, "micClass") == "");
    CHECK(en.waitFor("dragomanDesk.status().connected && dragomanDesk.status().live", 5000));

    // The router restarts (on the same port, with its settings): the page comes back by
    // itself and shows what the new router says, not what it showed before.
    const int port = router->port();
    router.reset();
    REQUIRE(en.waitFor("dragomanDesk.status().disabled === true", 3000));
    router = std::make_unique<Dragoman>(options, port);
    REQUIRE(started(*router));
    REQUIRE(en.waitFor("dragomanDesk.status().connected", 10000));
    const bool live = router->state()["desks"]["en.1"]["live"].get<bool>();
    CHECK(en.waitFor(QStringLiteral("dragomanDesk.status().live === ") + (live ? "true" : "false"),
                     3000));

    // Revoked: the page is shut out, also when it tries again.
    REQUIRE(http("DELETE", router->api("/desk-tokens/en.1"), "", kToken).status == 200);
    REQUIRE(en.waitFor("dragomanDesk.status().disabled === true", 3000));
    en.evaluate("new Promise(r => setTimeout(r, 2500))");
    CHECK_FALSE(en.evaluate("dragomanDesk.status().connected").toBool());
    CHECK(router->state()["api"]["webSockets"]["revoked"] == 1);
    CHECK(router->state()["api"]["webSockets"]["authFailed"].get<int>() >= 1);

    router.reset();
    std::error_code ec;
    std::filesystem::remove(stateFile, ec);
    std::filesystem::remove(stateFile.parent_path() / (stateFile.stem().string() + "-desks.json"),
                            ec);
}

// The booth tablet's desk page end to end: headless Chromium opens /desk/ID#token=DESK-TOKEN
// on a running `dragoman`'s control port, as the console's pairing link would, and the
// interpreter's keys act on the router through the WebSocket: MIC live (and refused with the
// holder named), COUGH held, A/B/C, the page's language; a dropped socket greys every key at
// once and comes back by itself; a revoked token keeps the page out.
#include "e2e/DragomanProcess.h"
#include "support/HeadlessChromium.h"

#include <catch2/catch.hpp>

using namespace dragoman;
using namespace dragoman::test;
using namespace std::chrono_literals;

namespace {

std::string deskToken(const Dragoman& router, const std::string& desk) {
    const auto reply = http("GET", router.api("/desk-tokens/" + desk), "", kToken);
    REQUIRE(reply.status == 200);
    return json::parse(reply.body)["token"].get<std::string>();
}

QString status(HeadlessChromium& page, const char* field) {
    const auto value = page.evaluate(QStringLiteral("dragomanDesk.status().") + field);
    return value.isString() ? value.toString() : QJsonDocument(QJsonArray{value}).toJson();
}

} // namespace

TEST_CASE("A booth's tablet runs its desk from the desk page over the WebSocket") {
    TokenEnvironment token;
    Dragoman router({"--audio", "virtual"});
    router.waitFor([](const json& s) { return s.contains("desks"); }, 10s);
    INFO(router.output());
    REQUIRE(router.state().contains("desks"));
    const std::string base = router.api("").substr(0, router.api("").size() - 4);

    // Another booth holds English under interlock, so sq.1's retour on English is refused.
    REQUIRE(router.post("/booths/en", {{"interlock", "interlock"}}).status == 200);
    REQUIRE(router.post("/desks/en/1", {{"mic", true}}).status == 200);

    HeadlessChromium page(base + "/desk/sq.1#token=" + deskToken(router, "sq.1"));
    INFO(page.log());
    REQUIRE(page.waitFor("window.dragomanDesk && dragomanDesk.status().connected", 10000));
    CHECK(status(page, "lang") == "sq");
    CHECK(page.evaluate("location.hash") == QStringLiteral("")); // the token left the address bar
    CHECK(page.evaluate("document.getElementById('mic').textContent")
              .toString()
              .contains("MIKROFONI"));

    // MIC on A: live, green, on the router.
    page.evaluate("dragomanDesk.press('mic')");
    REQUIRE(page.waitFor("dragomanDesk.status().live === true", 5000));
    CHECK(status(page, "micClass") == "live");
    CHECK(router.state()["desks"]["sq.1"]["live"] == true);
    page.evaluate("dragomanDesk.press('mic')");
    REQUIRE(page.waitFor("dragomanDesk.status().mic === false", 5000));

    // B (retour on English, held by en.1): refused in red with the holder.
    page.evaluate("dragomanDesk.key('b')");
    REQUIRE(page.waitFor("dragomanDesk.status().out === 'B'", 5000));
    page.evaluate("dragomanDesk.press('mic')");
    REQUIRE(page.waitFor("dragomanDesk.status().refusedBy === 'en.1'", 5000));
    CHECK(status(page, "micClass") == "refused");
    CHECK(router.state()["desks"]["sq.1"]["live"] == false);
    page.evaluate("dragomanDesk.key('a')");
    REQUIRE(page.waitFor("dragomanDesk.status().out === 'A'", 5000));

    // COUGH while Space is held.
    page.evaluate("dragomanDesk.key(' ', true)");
    REQUIRE(page.waitFor("dragomanDesk.status().cough === true", 5000));
    CHECK(router.state()["desks"]["sq.1"]["cough"] == true);
    page.evaluate("dragomanDesk.key(' ', false)");
    REQUIRE(page.waitFor("dragomanDesk.status().cough === false", 5000));

    // Live, then the socket drops: greyed at once, no stale "live", back by itself.
    page.evaluate("dragomanDesk.press('mic')");
    REQUIRE(page.waitFor("dragomanDesk.status().live === true", 5000));
    const auto dropped =
        page.evaluate("dragomanDesk.close(); JSON.stringify(dragomanDesk.status())");
    INFO(dropped.toString().toStdString());
    REQUIRE(page.waitFor("dragomanDesk.status().disabled === true", 2000));
    CHECK(page.evaluate("dragomanDesk.status().micClass") == QStringLiteral(""));
    CHECK(page.waitFor("dragomanDesk.status().connected && dragomanDesk.status().live", 5000));

    // Revoked: the page is shut out and says so.
    REQUIRE(http("DELETE", router.api("/desk-tokens/sq.1"), "", kToken).status == 200);
    REQUIRE(page.waitFor("dragomanDesk.status().disabled === true", 3000));
    page.evaluate("new Promise(r => setTimeout(r, 2500))");
    CHECK_FALSE(page.evaluate("dragomanDesk.status().connected").toBool());
    CHECK(router.state()["api"]["webSockets"]["revoked"] == 1);
    CHECK(router.state()["api"]["webSockets"]["authFailed"].get<int>() >= 1);
}

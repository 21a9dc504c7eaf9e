// The listener's window, offscreen, against a real router on the virtual clock: the channel
// list, tuning by click and by key, volume, the link quality and the window's language.
#include "listener/ListenerWindow.h"

#include "ListenerSupport.h"
#include "listener/ListenerSession.h"
#include "listener/RouterClient.h"
#include "listener/Translations.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSlider>
#include <QTest>
#include <catch2/catch.hpp>

using namespace dragoman;
using namespace std::chrono_literals;

namespace {

ui::SessionSettings settingsFor(const test::Router& router) {
    ui::SessionSettings s;
    s.router = QUrl(QString::fromStdString(router.url()));
    s.audio = "virtual";
    return s;
}

QString listText(const QListWidget* list) {
    QStringList rows;
    for (int i = 0; i < list->count(); ++i)
        rows << list->item(i)->text();
    return rows.join('\n');
}

} // namespace

TEST_CASE("The channel list parser reads the router's channels and refuses anything else",
          "[listener][ui]") {
    QString error;
    const auto channels = ui::parseChannelList(
        R"({"channels":[{"code":"floor","name":"Floor","nativeName":"Floor","live":false,"tag":"floor","rtpSourcePort":5000,"listeners":2},
                        {"code":"mk","name":"Macedonian","nativeName":"Македонски","live":true,"tag":"+","rtpSourcePort":5000}]})",
        &error);
    CHECK(error.isEmpty());
    REQUIRE(channels.size() == 2);
    CHECK(channels[1].nativeName == QStringLiteral("Македонски"));
    CHECK(channels[1].live);
    CHECK(channels[0].listeners == 2);
    CHECK(channels[0].rtpSourcePort == 5000);
    for (const char* bad : {"", "[]", "{\"channels\":3}", "{nope"}) {
        QString e;
        CHECK(ui::parseChannelList(bad, &e).isEmpty());
        CHECK_FALSE(e.isEmpty());
    }
}

TEST_CASE("The channel list parser bounds what a hostile router can make it hold",
          "[listener][ui]") {
    const auto list = [](const std::string& name) {
        return QByteArray::fromStdString(R"({"channels":[{"code":"en","name":")" + name +
                                         R"(","nativeName":"English"}]})");
    };
    std::string manyChannels = R"({"channels":[)";
    for (int i = 0; i < 300; ++i)
        manyChannels += std::string(i ? "," : "") + R"({"code":"c)" + std::to_string(i) + R"("})";
    manyChannels += "]}";
    struct Row {
        const char* what;
        QByteArray json;
        const char* problem; // "" = accepted
    };
    const std::vector<Row> rows{
        {"a name of 200 characters", list(std::string(200, 'n')), ""},
        {"a name of 201 characters", list(std::string(201, 'n')),
         "a string longer than 200 characters at /channels/0/name"},
        {"a name of 50 MB", list(std::string(50 * 1024 * 1024, 'n')), "over 1048576 bytes"},
        {"a duplicate key", R"({"channels":[{"code":"en","code":"sq"}]})",
         "duplicate key \"code\" at /channels/0"},
        {"deep nesting", QByteArray(500, '[') + QByteArray(500, ']'), "nested deeper than 8"},
        {"300 channels", QByteArray::fromStdString(manyChannels), "more than 256 channels"},
    };
    for (const auto& row : rows) {
        INFO(row.what);
        QString error;
        const auto channels = ui::parseChannelList(row.json, &error);
        if (*row.problem == 0) {
            CHECK(error.isEmpty());
            CHECK(channels.size() == 1);
        } else {
            CHECK(channels.isEmpty());
            CHECK(error.toStdString().find(row.problem) != std::string::npos);
        }
    }
}

TEST_CASE("The window lists the channels, tunes by click and by key, and shows the link quality",
          "[listener][ui]") {
    test::Router router("virtual", "router-ui-" + std::to_string(::getpid()));
    ui::ListenerSession session(settingsFor(router));
    REQUIRE(session.start());
    ui::ListenerWindow window(session);
    window.setLanguage(QStringLiteral("en"));
    window.show();
    auto* list = window.findChild<QListWidget*>(QStringLiteral("channels"));
    auto* quality = window.findChild<QLabel*>(QStringLiteral("quality"));
    REQUIRE(list);
    REQUIRE(quality);
    REQUIRE(test::waitUntil([&] { return list->count() == 5; }, 5s));
    const QString rows = listText(list);
    INFO(rows.toStdString());
    CHECK(rows.contains(QStringLiteral("Shqip (Albanian)")));
    CHECK(rows.contains(QStringLiteral("Македонски (Macedonian)")));
    CHECK(rows.contains(QStringLiteral("carrying the floor")));
    CHECK(quality->text() == QStringLiteral("Not tuned"));

    SECTION("a key 0-9 tunes the channel at that row") {
        QTest::keyClick(&window, Qt::Key_2);
        REQUIRE(test::waitUntil([&] { return session.tuned() == QStringLiteral("sq"); }, 5s));
        REQUIRE(test::waitUntil([&] { return session.quality().playing; }, 5s));
        CHECK(test::waitUntil(
            [&] { return quality->text().startsWith(QStringLiteral("Playing sq")); }, 2s));
        CHECK(quality->text().contains(QStringLiteral("Loss 0.0 %")));
        CHECK(quality->text().contains(QStringLiteral("latency")));
        CHECK(list->currentItem()->text().contains(QStringLiteral("tuned")));
    }
    SECTION("a click tunes the channel clicked, and another click switches") {
        const auto clickRow = [&](int row) {
            const QRect r = list->visualItemRect(list->item(row));
            QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, r.center());
        };
        clickRow(4);
        REQUIRE(test::waitUntil([&] { return session.tuned() == QStringLiteral("mk"); }, 5s));
        REQUIRE(test::waitUntil([&] { return session.quality().playing; }, 5s));
        clickRow(1);
        REQUIRE(
            test::waitUntil([&] { return session.quality().code == QStringLiteral("en"); }, 5s));
        CHECK(test::waitUntil([&] { return session.quality().playing; }, 5s));
    }
    SECTION("the volume slider sets the gain") {
        auto* volume = window.findChild<QSlider*>(QStringLiteral("volume"));
        REQUIRE(volume);
        volume->setValue(50);
        CHECK(session.volume() == Approx(0.25));
        volume->setValue(0);
        CHECK(session.volume() == 0.0);
        volume->setValue(100);
        CHECK(session.volume() == Approx(1.0));
    }
}

TEST_CASE("The window speaks Albanian, Macedonian and Bosnian, chosen from the locale or the list",
          "[listener][ui][i18n]") {
    struct Case {
        const char* locale;
        const char* language;
        const char* title;
        const char* connect;
    };
    const Case cases[] = {
        {"en_GB", "en", "Dragoman Listener", "Connect"},
        {"sq_AL", "sq", "Dragoman – Dëgjuesi", "Lidhu"},
        {"mk_MK", "mk", "Dragoman – Слушател", "Поврзи се"},
        {"bs_BA", "bs", "Dragoman – Slušalac", "Poveži se"},
        {"sr_ME", "bs", "Dragoman – Slušalac", "Poveži se"},
    };
    ui::SessionSettings s;
    s.router = QUrl(QStringLiteral("http://127.0.0.1:9"));
    s.audio = "virtual";
    ui::ListenerSession session(s);
    ui::ListenerWindow window(session);
    auto* connect = window.findChild<QPushButton*>(QStringLiteral("connect"));
    auto* language = window.findChild<QComboBox*>(QStringLiteral("language"));
    REQUIRE(connect);
    REQUIRE(language);
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.locale) {
            const QString code = ui::languageFor(QLocale(QString::fromLatin1(c.locale)));
            CHECK(code == QString::fromLatin1(c.language));
            // Through the list, as a listener would.
            language->setCurrentIndex(language->findData(code));
            CHECK(window.language() == code);
            CHECK(window.windowTitle() == QString::fromUtf8(c.title));
            CHECK(connect->text() == QString::fromUtf8(c.connect));
        }
    }
}

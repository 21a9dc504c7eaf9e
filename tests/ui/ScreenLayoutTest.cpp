// The console on the screen this test process was given (DRAGOMAN_TEST_SCREEN: 1366x768,
// 1920x1080, 2560x1440 at a device pixel ratio of 2, ...; see tests/ui/CMakeLists.txt), on the
// Tirana venue and on the largest DCN venue (resources/venues/dcn-max.json), in a live scene:
// desks live on A and on B, relays, a refusal, a clip. It opens inside the screen, and what a
// technician must always see is on screen, unclipped, without scrolling (widget geometry:
// mapTo() and visibleRegion(), not pixels): every booth and desk, the status (device state
// and alarms) and the event log; every channel's source and tag where the screen has room for
// them (Tirana on any screen, the DCN venue from 1920x1080 up). The pictures go to
// tests/ui/screenshots/ (and $DRAGOMAN_SCREENSHOT_DIR) as console-VENUE-WxH[@2x].png.
#include "ConsoleFixture.h"

#include <QDataStream>
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QLayout>
#include <QScreen>
#include <QSettings>
#include <QTest>
#include <catch2/catch.hpp>
#include <string>

using namespace dragoman;

namespace {

QStringList folders() {
    QStringList out{QStringLiteral(DRAGOMAN_BINARY_DIR "/tests/ui/screenshots")};
    const QByteArray extra = qgetenv("DRAGOMAN_SCREENSHOT_DIR");
    if (!extra.isEmpty())
        out << QString::fromLocal8Bit(extra);
    return out;
}

QScreen* screen() {
    return QGuiApplication::primaryScreen();
}

// "1366x768", "2560x1440@2x": the screen in device pixels.
QString screenName() {
    const QSize logical = screen()->geometry().size();
    const double ratio = screen()->devicePixelRatio();
    const QSize device = logical * ratio;
    QString name = QStringLiteral("%1x%2").arg(device.width()).arg(device.height());
    if (ratio != 1.0)
        name += QStringLiteral("@%1x").arg(ratio);
    return name;
}

// Where the whole of `w` is painted: shown, inside its window, and not clipped by a parent (a
// scroll area's viewport, a box) — its visible region is its whole rectangle.
bool wholeOnScreen(const QWidget* w, QString* why) {
    if (!w->isVisible()) {
        *why = w->objectName() + QStringLiteral(" is hidden");
        return false;
    }
    const QWidget* window = w->window();
    const QRect inWindow(w->mapTo(window, QPoint(0, 0)), w->size());
    if (!window->rect().contains(inWindow)) {
        *why = QStringLiteral("%1 at %2,%3 %4x%5 is outside the window")
                   .arg(w->objectName())
                   .arg(inWindow.x())
                   .arg(inWindow.y())
                   .arg(inWindow.width())
                   .arg(inWindow.height());
        return false;
    }
    if (w->visibleRegion() != QRegion(w->rect())) {
        const QRect seen = w->visibleRegion().boundingRect();
        *why = QStringLiteral("%1 is clipped: %2x%3 of %4x%5 seen")
                   .arg(w->objectName())
                   .arg(seen.width())
                   .arg(seen.height())
                   .arg(w->width())
                   .arg(w->height());
        return false;
    }
    return true;
}

#define CHECK_WHOLE(widget)                                                                        \
    do {                                                                                           \
        QString why;                                                                               \
        const bool whole = wholeOnScreen(widget, &why);                                            \
        INFO(why.toStdString());                                                                   \
        CHECK(whole);                                                                              \
    } while (false)

venue::Venue dcnMax() {
    return venue::load(std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/dcn-max.json");
}

// The desk of the last booth that asks for the held channel (not the booth's live desk).
int refusedDesk(const venue::Venue& v) {
    const int last = static_cast<int>(v.booths.size()) - 1;
    const int desks = static_cast<int>(v.booths.back().desks.size());
    return v.deskCount() - desks + (last % desks + 1) % desks;
}

// A live scene on any venue: in every booth one desk live (every third on its B channel), the
// floor and the live desks speaking, one clipping, and a refusal under interlock.
void liveScene(test::ConsoleFixture& f) {
    const auto& v = f.venue;
    const int booths = static_cast<int>(v.booths.size());
    // Booth 0 holds its channel under interlock.
    REQUIRE(f.command(core::Command::boothInterlock(0, core::InterlockMode::Interlock)).accepted);
    const int held = v.booths[0].outgoing[0];
    int flat = 0;
    for (int b = 0; b < booths; ++b) {
        const int desks = static_cast<int>(v.booths[static_cast<std::size_t>(b)].desks.size());
        const int desk = flat + b % desks;
        const int retour = v.booths[static_cast<std::size_t>(b)].outgoing[1];
        if (b % 3 == 2 && retour >= 0 && retour != held)
            REQUIRE(f.command(core::Command::deskOut(desk, core::Slot::B)).accepted);
        if (b % 4 == 1)
            REQUIRE(f.command(core::Command::deskIn(desk, 1)).accepted); // relay
        REQUIRE(f.command(core::Command::deskMic(desk, true)).accepted);
        flat += desks;
    }
    // A refusal: a desk of the last booth asks for booth 0's channel on B (in both venues the
    // last booth's B is booth 0's channel).
    const int asking = refusedDesk(v);
    REQUIRE(f.command(core::Command::deskOut(asking, core::Slot::B)).accepted);
    CHECK_FALSE(f.command(core::Command::deskMic(asking, true)).accepted); // engaged
    test::spin(600);
    f.window->refresh();
}

std::vector<test::Tone> tones(const venue::Venue& v) {
    std::vector<test::Tone> out{{v.floorMics[0].input, 220.0, -21.0, 0.8}};
    int flat = 0;
    for (std::size_t b = 0; b < v.booths.size(); ++b) {
        const int desks = static_cast<int>(v.booths[b].desks.size());
        const int desk = flat + static_cast<int>(b) % desks;
        // The first live desk clips; the others speak at interpreters' levels.
        out.push_back({v.desk(desk).mic, 180.0 + 10.0 * static_cast<double>(b),
                       b == 1 ? 1.0 : -24.0 - static_cast<double>(b % 5), 0.7});
        flat += desks;
    }
    return out;
}

} // namespace

TEST_CASE("The console opens inside this screen with every booth, the status and the event log "
          "whole and unclipped",
          "[screen]") {
    const std::string which = GENERATE(std::string("tirana"), std::string("dcn-max"));
    INFO("venue " << which << " on " << screenName().toStdString());
    QSettings().clear(); // the first run on this screen
    auto v = which == "tirana" ? test::tiranaVenue() : dcnMax();
    auto scene = tones(v);
    test::ConsoleFixture f(std::move(v), std::move(scene));
    REQUIRE(QTest::qWaitForWindowExposed(f.window.get()));
    liveScene(f);
    test::spin(300);
    f.window->refresh();
    test::spin(100);

    const QRect area = screen()->availableGeometry();
    INFO("window " << f.window->frameGeometry().width() << "x" << f.window->frameGeometry().height()
                   << " at " << f.window->frameGeometry().x() << ","
                   << f.window->frameGeometry().y() << " on " << area.width() << "x"
                   << area.height());
    CHECK(area.contains(f.window->frameGeometry()));

    auto* view = f.window->view();
    auto* map = view->boothMap();
    for (int b = 0; b < map->boothCount(); ++b)
        CHECK_WHOLE(map->boothBlock(b));
    for (int d = 0; d < map->deskCount(); ++d)
        CHECK_WHOLE(map->tile(d));
    CHECK_WHOLE(view->eventLog());
    CHECK_WHOLE(view->summary());
    CHECK_WHOLE(view->monitor());
    // The alarms are summarised with the channels and desks named.
    const QString alarms = view->summary()->alarmsText();
    INFO(alarms.toStdString());
    CHECK(alarms.contains(QStringLiteral("CLIP 1: ") +
                          QString::fromStdString(f.venue.channels[2].code)));
    CHECK(alarms.contains(QStringLiteral("REFUSED 1: ") +
                          QString::fromStdString(f.venue.deskId(refusedDesk(f.venue)))));
    CHECK(view->summary()->deviceText().startsWith(QStringLiteral("running")));

    // Every channel's source and tag, where the screen has room for them: Tirana on every
    // screen, the 32 channels of the DCN venue from 1920x1080 up.
    const bool roomForChannels = which == "tirana" || area.width() >= 1900;
    if (roomForChannels)
        for (std::size_t c = 0; c < f.venue.channels.size(); ++c) {
            INFO("channel " << f.venue.channels[c].code);
            CHECK_WHOLE(view->strip(static_cast<int>(c))->sourceLabel());
            CHECK_WHOLE(view->strip(static_cast<int>(c))->tagBadge());
        }

    // Drawn at the screen's ratio: a HiDPI screen gets a picture with twice the pixels, not a
    // scaled-up one.
    const QImage image = f.window->grab().toImage();
    CHECK(image.devicePixelRatio() == Approx(screen()->devicePixelRatio()));
    CHECK(image.width() == qRound(f.window->width() * screen()->devicePixelRatio()));
    for (const auto& folder : folders()) {
        QDir().mkpath(folder);
        CHECK(image.save(
            folder +
            QStringLiteral("/console-%1-%2.png").arg(QString::fromStdString(which), screenName())));
    }
}

TEST_CASE("A window geometry saved on a 2560x1440 screen opens inside this one", "[screen]") {
    // What QWidget::saveGeometry() (format 3.0) writes for a 2400x1300 window at 60,70 on a
    // 2560x1440 screen: frame, normal geometry, screen number, maximised, full screen, the
    // screen's width, the geometry.
    QByteArray saved;
    {
        QDataStream out(&saved, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_4_0);
        const QRect geometry(60, 100, 2400, 1270);
        const QRect frame(60, 70, 2400, 1300);
        out << quint32(0x1D9D0CB) << quint16(3) << quint16(0) << frame << geometry << qint32(0)
            << quint8(0) << quint8(0) << qint32(2560) << geometry;
    }
    QSettings().clear();
    QSettings().setValue(QStringLiteral("console/geometry"), saved);
    test::ConsoleFixture f({});
    REQUIRE(QTest::qWaitForWindowExposed(f.window.get()));
    const QRect area = screen()->availableGeometry();
    INFO("window " << f.window->frameGeometry().width() << "x" << f.window->frameGeometry().height()
                   << " at " << f.window->frameGeometry().x() << ","
                   << f.window->frameGeometry().y() << " on " << area.width() << "x"
                   << area.height());
    CHECK(area.contains(f.window->frameGeometry()));
    CHECK_WHOLE(f.window->view()->boothMap());
    CHECK_WHOLE(f.window->view()->eventLog());
    QSettings().clear();
}

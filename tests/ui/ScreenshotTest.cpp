// Renders the technician's view and a desk panel to PNG in a live scene: speech-like levels on
// the floor and three booths, one of them on relay (quality tag "−"), a refusal under interlock.
// The images land in the build folder (tests/ui/screenshots/), and also in
// $DRAGOMAN_SCREENSHOT_DIR when it is set (that is how docs/ is refreshed).
#include "ConsoleFixture.h"

#include <QDir>
#include <QImage>
#include <QPixmap>
#include <QPushButton>
#include <QSet>
#include <QTest>
#include <catch2/catch.hpp>

using namespace dragoman;

namespace {

QStringList folders() {
    QStringList out{QStringLiteral(DRAGOMAN_BINARY_DIR "/tests/ui/screenshots")};
    const QByteArray extra = qgetenv("DRAGOMAN_SCREENSHOT_DIR");
    if (!extra.isEmpty())
        out << QString::fromLocal8Bit(extra);
    return out;
}

// Saves `widget` as NAME.png in every folder; returns the image.
QImage save(QWidget* widget, const QString& name) {
    const QImage image = widget->grab().toImage();
    for (const auto& folder : folders()) {
        QDir().mkpath(folder);
        image.save(folder + QLatin1Char('/') + name + QStringLiteral(".png"));
    }
    return image;
}

int distinctColours(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    return static_cast<int>(colours.size());
}

} // namespace

TEST_CASE("The technician's view and a desk panel render to PNG") {
    // Speech-like levels, below the hearing protection's sustained limit (-16 dBFS).
    test::ConsoleFixture f({{0, 220.0, -21.0, 0.8},   // Chair
                            {2, 180.0, -22.0, 0.7},   // en.1
                            {6, 250.0, -24.0, 0.75},  // bsm.1
                            {9, 200.0, -25.0, 0.6}}); // mk.2
    f.window->resize(1680, 1050);
    const int en1 = f.desk("en.1");
    const int mk2 = f.desk("mk.2");
    REQUIRE(f.command(core::Command::boothInterlock(0, core::InterlockMode::Interlock)).accepted);
    REQUIRE(f.command(core::Command::deskMic(en1, true)).accepted);
    REQUIRE(f.command(core::Command::deskMic(f.desk("bsm.1"), true)).accepted);
    REQUIRE(f.command(core::Command::deskIn(mk2, f.channel("en"))).accepted); // relay from en
    REQUIRE(f.command(core::Command::deskMic(mk2, true)).accepted);
    REQUIRE(f.command(core::Command::deskVolume(en1, -6.0f)).accepted);
    REQUIRE(f.command(core::Command::monitorSource(core::MonitorSource::Channel, f.channel("en")))
                .accepted);
    auto* panel = f.window->openDesk(f.desk("sq.1"));
    panel->resize(1100, 470);
    REQUIRE(f.command(core::Command::deskOut(f.desk("sq.1"), core::Slot::B)).accepted);
    panel->storePreset(0);
    test::spin(3200); // meters, loudness and the event log fill up
    QTest::mouseClick(panel->micKey(), Qt::LeftButton); // refused: en.1 holds en under interlock
    REQUIRE(f.command(core::Command::deskCall(f.desk("bsm.2"), core::DeskCall::Slow)).accepted);
    test::spin(400);
    f.window->refresh();

    const QImage technician = save(f.window.get(), QStringLiteral("console-technician"));
    const QImage desk = save(panel, QStringLiteral("console-desk"));
    CHECK(technician.width() >= 1600);
    CHECK(desk.width() >= 1000);
    CHECK(distinctColours(technician) > 50);
    CHECK(distinctColours(desk) > 50);
    for (const auto& folder : folders()) {
        CHECK(QFile::exists(folder + QStringLiteral("/console-technician.png")));
        CHECK(QFile::exists(folder + QStringLiteral("/console-desk.png")));
    }
}

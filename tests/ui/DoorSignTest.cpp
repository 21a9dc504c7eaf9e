// The door sign and the console's QR codes, read back by tools nobody here wrote: poppler's
// pdftotext finds the venue and every channel's native name in the PDF, pdftoppm renders its
// pages (at 300 dpi, a printer's) and zbar's zbarimg decodes every QR code on them into the
// listeners' page and one address per channel; a QR code painted on a ratio-2 screen decodes too.
#include "console/DoorSign.h"

#include "support/ChildProcess.h"
#include "support/TiranaVenue.h"
#include "widgets/QrCode.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

using namespace dragoman;

namespace {

console::DoorSign signFor(const venue::Venue& venue) {
    console::DoorSign sign{
        QString::fromStdString(venue.name), QUrl(QStringLiteral("http://10.20.30.40:8480/")), {}};
    for (const auto& channel : venue.channels)
        sign.channels.push_back({QString::fromStdString(channel.code),
                                 QString::fromStdString(channel.nativeName),
                                 QString::fromStdString(channel.name)});
    return sign;
}

// Every QR code zbarimg finds in the images, one text each.
std::set<std::string> decoded(const QString& files) {
    std::istringstream lines(test::capture("zbarimg --quiet --raw " + files.toStdString()));
    std::set<std::string> texts;
    for (std::string line; std::getline(lines, line);)
        if (!line.empty())
            texts.insert(line);
    return texts;
}

} // namespace

TEST_CASE("The door sign names the venue and every channel, and its codes open each channel") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const auto pdf = dir.filePath(QStringLiteral("door-sign.pdf"));
    const auto sign = signFor(test::tiranaVenue());
    QString error;
    REQUIRE(console::writeDoorSign(sign, pdf, &error));
    CHECK(error.isEmpty());

    const auto text = QString::fromStdString(
        test::capture("pdftotext -layout '" + pdf.toStdString() + "' - 2>&1"));
    INFO(text.toStdString());
    CHECK(text.contains(QStringLiteral("Tirana")));
    CHECK(text.contains(QStringLiteral("http://10.20.30.40:8480/")));
    for (const auto& channel : sign.channels)
        CHECK(text.contains(channel.nativeName.split('/').first()));

    REQUIRE(std::system(("pdftoppm -r 300 -png '" + pdf.toStdString() + "' '" +
                         dir.filePath(QStringLiteral("page")).toStdString() + "'")
                            .c_str()) == 0);
    const auto codes = decoded(dir.filePath(QStringLiteral("page*.png")));
    std::set<std::string> expected{"http://10.20.30.40:8480/"};
    for (const auto& channel : sign.channels)
        expected.insert(console::channelUrl(sign.page, channel.code).toString().toStdString());
    CHECK(codes == expected);
    CHECK(expected.count("http://10.20.30.40:8480/?channel=sq") == 1);
}

TEST_CASE("A large venue's door sign goes on as many pages as it needs, every code readable") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const auto pdf = dir.filePath(QStringLiteral("door-sign.pdf"));
    const auto sign =
        signFor(venue::load(std::string(DRAGOMAN_SOURCE_DIR) + "/resources/venues/dcn-max.json"));
    REQUIRE(sign.channels.size() == 32);
    QString error;
    REQUIRE(console::writeDoorSign(sign, pdf, &error));
    REQUIRE(std::system(("pdftoppm -r 300 -png '" + pdf.toStdString() + "' '" +
                         dir.filePath(QStringLiteral("page")).toStdString() + "'")
                            .c_str()) == 0);
    const auto pages = QDir(dir.path()).entryList({QStringLiteral("page*.png")});
    CHECK(pages.size() > 1);
    CHECK(decoded(dir.filePath(QStringLiteral("page*.png"))).size() == 33);
}

TEST_CASE("A door sign that cannot be written says so, naming the file") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    QString error;
    CHECK_FALSE(console::writeDoorSign(signFor(test::tiranaVenue()),
                                       dir.filePath(QStringLiteral("no-such-folder/sign.pdf")),
                                       &error));
    CHECK(error.contains(QStringLiteral("no-such-folder/sign.pdf")));
}

TEST_CASE("A QR code painted for a ratio-2 screen decodes to its text") {
    const auto code = widgets::QrCode::encode("http://192.168.1.20:8480/");
    REQUIRE(code);
    CHECK(code->size() >= 21); // version 1 or more
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const auto file = dir.filePath(QStringLiteral("qr.png"));
    const auto pixmap = code->pixmap(200, 2.0);
    CHECK(pixmap.width() == 400);
    REQUIRE(pixmap.save(file));
    CHECK(decoded(file) == std::set<std::string>{"http://192.168.1.20:8480/"});
    CHECK_FALSE(widgets::QrCode::encode(QByteArray(8000, 'x')));
}

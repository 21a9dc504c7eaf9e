// Pairing a booth's tablet from the console (ui/console/DeskPairing.h) with the router's real
// desk tokens (app/control/DeskTokens.h): the QR code shown decodes, by zbar's zbarimg, to the
// desk page's link with that desk's token; revoking gives the desk a new token, which the code
// then carries, and the old one no longer matches; a loopback-only control port is called out.
#include "console/DeskPairing.h"

#include "control/DeskTokens.h"
#include "support/ChildProcess.h"
#include "support/TiranaVenue.h"

#include <QLabel>
#include <QTemporaryDir>
#include <catch2/catch.hpp>

using namespace dragoman;

namespace {

std::string decode(const QPixmap& code, const QTemporaryDir& dir) {
    const QString file = dir.filePath(QStringLiteral("code.png"));
    REQUIRE(code.save(file));
    auto text = test::capture("zbarimg --quiet --raw " + file.toStdString());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

} // namespace

TEST_CASE("The console pairs a booth tablet by a QR code of its desk's link, and revokes it") {
    const auto venue = test::tiranaVenue();
    control::DeskTokens tokens(venue, "technician-token-0123456789");
    QString host = QStringLiteral("192.0.2.10");
    console::DeskPairingSources sources{
        [&](int desk) {
            return QUrl(QStringLiteral("http://%1:8470/desk/%2#token=%3")
                            .arg(host, QString::fromStdString(venue.deskId(desk)),
                                 QString::fromLatin1(tokens.token(desk))));
        },
        [&](int desk, QString* error) { return tokens.revoke(desk, error); }};
    const int sq1 = *venue.deskIndex("sq.1");
    console::DeskPairingDialog dialog(venue, sources, sq1);
    QTemporaryDir dir;

    const QByteArray first = tokens.token(sq1);
    CHECK(dialog.desk() == sq1);
    CHECK(decode(dialog.code(), dir) ==
          "http://192.0.2.10:8470/desk/sq.1#token=" + first.toStdString());
    CHECK_FALSE(dialog.findChildren<QLabel*>().isEmpty());

    REQUIRE(dialog.revoke());
    const QByteArray second = tokens.token(sq1);
    CHECK(second != first);
    CHECK(tokens.deskFor(first) == -1);
    CHECK(decode(dialog.code(), dir) == dialog.link().toString().toStdString());
    CHECK(dialog.link().fragment().toLatin1() == "token=" + second);

    // Another desk; then a router whose control port is on loopback only: said in red.
    dialog.setDesk(0);
    CHECK(dialog.link().path() == "/desk/" + QString::fromStdString(venue.deskId(0)));
    const auto warningShown = [&] {
        for (const auto* label : dialog.findChildren<QLabel*>())
            if (label->text().contains(QStringLiteral("tablets cannot reach it")))
                return !label->isHidden();
        return false;
    };
    CHECK_FALSE(warningShown());
    host = QStringLiteral("127.0.0.1");
    dialog.setDesk(1);
    CHECK(warningShown());
}

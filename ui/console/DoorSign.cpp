#include "console/DoorSign.h"

#include "widgets/QrCode.h"

#include <QFont>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QUrlQuery>

namespace dragoman::console {

namespace {

constexpr int kDpi = 300;

// `text` in `font` into `box`, centred; the font shrinks until the text fits on one line.
void fitText(QPainter& painter, const QRectF& box, const QString& text, QFont font) {
    while (font.pointSizeF() > 6.0 &&
           QFontMetricsF(font, painter.device()).horizontalAdvance(text) > box.width())
        font.setPointSizeF(font.pointSizeF() * 0.9);
    painter.setFont(font);
    painter.drawText(box, Qt::AlignCenter, text);
}

QFont sized(double points, bool bold = false) {
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(points);
    font.setBold(bold);
    return font;
}

void paintQr(QPainter& painter, const QUrl& url, const QRectF& box) {
    if (const auto code = widgets::QrCode::encode(url.toString().toUtf8()))
        code->paint(painter, box);
}

} // namespace

QUrl channelUrl(const QUrl& page, const QString& code) {
    QUrl url = page;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("channel"), code);
    url.setQuery(query);
    return url;
}

bool writeDoorSign(const DoorSign& sign, const QString& file, QString* error) {
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("%1: %2").arg(file, out.errorString());
        return false;
    }
    {
        QPdfWriter pdf(&out);
        pdf.setTitle(QStringLiteral("%1 — listen on your phone").arg(sign.venue));
        pdf.setCreator(QStringLiteral("Dragoman"));
        pdf.setResolution(kDpi);
        pdf.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                      QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
        QPainter painter(&pdf);
        // The painter's origin is the top left of the area inside the margins.
        const QRectF page(QPointF(0, 0), QSizeF(pdf.pageLayout().paintRectPixels(kDpi).size()));
        const double mm = kDpi / 25.4;
        double y = 0;
        painter.setPen(Qt::black);
        fitText(painter, QRectF(0, y, page.width(), 14 * mm), sign.venue, sized(20, true));
        y += 16 * mm;
        fitText(painter, QRectF(0, y, page.width(), 10 * mm),
                QStringLiteral("Interpretation · listen on your phone"), sized(16));
        y += 12 * mm;
        const double big = 70 * mm;
        paintQr(painter, sign.page, QRectF((page.width() - big) / 2, y, big, big));
        y += big + 2 * mm;
        fitText(painter, QRectF(0, y, page.width(), 8 * mm), sign.page.toString(), sized(14, true));
        y += 10 * mm;
        fitText(painter, QRectF(0, y, page.width(), 7 * mm),
                QStringLiteral("Join the venue's Wi-Fi, scan, tap a channel. Or scan your "
                               "language:"),
                sized(11));
        y += 10 * mm;
        // The channels in two columns (three for a large venue), on as many pages as they
        // need: the native name, the English one, a code each.
        const int columns = sign.channels.size() > 6 ? 3 : 2;
        const double cellWidth = page.width() / columns;
        const double qr = 32 * mm;
        const double cellHeight = qr + 16 * mm;
        for (std::size_t i = 0; i < sign.channels.size(); ++i) {
            const auto& channel = sign.channels[i];
            const auto column = static_cast<int>(i % static_cast<std::size_t>(columns));
            if (column == 0 && i > 0)
                y += cellHeight;
            if (column == 0 && y + cellHeight > page.height()) {
                pdf.newPage();
                y = 0;
            }
            const double x = column * cellWidth;
            fitText(painter, QRectF(x, y, cellWidth, 8 * mm), channel.nativeName, sized(15, true));
            if (!channel.name.isEmpty() && channel.name != channel.nativeName)
                fitText(painter, QRectF(x, y + 8 * mm, cellWidth, 6 * mm), channel.name, sized(10));
            paintQr(painter, channelUrl(sign.page, channel.code),
                    QRectF(x + (cellWidth - qr) / 2, y + 14 * mm, qr, qr));
        }
        if (!painter.end()) {
            *error = QStringLiteral("%1: the PDF could not be drawn").arg(file);
            out.cancelWriting();
            return false;
        }
    }
    if (!out.commit()) {
        *error = QStringLiteral("%1: %2").arg(file, out.errorString());
        return false;
    }
    return true;
}

} // namespace dragoman::console

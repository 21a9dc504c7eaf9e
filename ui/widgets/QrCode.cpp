#include "widgets/QrCode.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <memory>
#include <qrencode.h>

namespace dragoman::widgets {

std::optional<QrCode> QrCode::encode(const QByteArray& text) {
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(static_cast<int>(text.size()),
                          reinterpret_cast<const unsigned char*>(text.constData()), 0,
                          QR_ECLEVEL_M),
        &QRcode_free);
    if (!code)
        return std::nullopt;
    QrCode qr;
    qr.size_ = code->width;
    qr.modules_.resize(static_cast<std::size_t>(qr.size_) * static_cast<std::size_t>(qr.size_));
    for (std::size_t i = 0; i < qr.modules_.size(); ++i)
        qr.modules_[i] = (code->data[i] & 1) != 0; // bit 0: dark; the others say what it is for
    return qr;
}

void QrCode::paint(QPainter& painter, const QRectF& area) const {
    const double side = std::min(area.width(), area.height());
    const QRectF square(area.x() + (area.width() - side) / 2, area.y() + (area.height() - side) / 2,
                        side, side);
    const double module = side / (size_ + 2 * kQuietZone);
    const QPointF origin = square.topLeft() + QPointF(kQuietZone * module, kQuietZone * module);
    painter.save();
    painter.fillRect(square, Qt::white);
    // One path of all the dark modules, rows merged into runs: no hairline seams between
    // neighbouring squares when antialiased.
    QPainterPath path;
    for (int y = 0; y < size_; ++y)
        for (int x = 0; x < size_;) {
            if (!dark(x, y)) {
                ++x;
                continue;
            }
            const int start = x;
            while (x < size_ && dark(x, y))
                ++x;
            path.addRect(QRectF(origin.x() + start * module, origin.y() + y * module,
                                (x - start) * module, module));
        }
    path.setFillRule(Qt::WindingFill);
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.fillPath(path, Qt::black);
    painter.restore();
}

QPixmap QrCode::pixmap(int side, qreal devicePixelRatio) const {
    QPixmap image(QSize(side, side) * devicePixelRatio);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(Qt::white);
    QPainter painter(&image);
    paint(painter, QRectF(0, 0, side, side));
    return image;
}

} // namespace dragoman::widgets

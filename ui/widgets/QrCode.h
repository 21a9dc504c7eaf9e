// A QR code (libqrencode, error correction level M) as its matrix of modules, painted as
// vector squares: sharp at any size, on a screen of any device pixel ratio and in a PDF.
//
//   auto code = QrCode::encode("http://10.0.0.2:8480/");
//   code->paint(painter, QRectF(x, y, side, side)); // with the 4-module quiet zone
//
// Thread contract: any thread; painting on the thread that owns the painter.
#pragma once

#include <QByteArray>
#include <QPixmap>
#include <QRectF>
#include <optional>
#include <vector>

class QPainter;

namespace dragoman::widgets {

class QrCode {
public:
    // Nullopt when the text does not fit in a QR code (about 2,300 bytes at level M).
    static std::optional<QrCode> encode(const QByteArray& text);

    int size() const { return size_; } // modules per side, without the quiet zone
    bool dark(int x, int y) const { return modules_[static_cast<std::size_t>(y * size_ + x)]; }

    static constexpr int kQuietZone = 4; // light modules around the code (ISO/IEC 18004)
    // Black on white into the square inside `area` (quiet zone included).
    void paint(QPainter& painter, const QRectF& area) const;
    // A `side`-pixel square (logical pixels) for a screen of `devicePixelRatio`.
    QPixmap pixmap(int side, qreal devicePixelRatio) const;

private:
    int size_ = 0;
    std::vector<bool> modules_;
};

} // namespace dragoman::widgets

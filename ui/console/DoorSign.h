// The door sign: a printable A4 page (PDF) that tells arriving listeners how to listen on
// their own phone — the venue's name, the listeners' page as a QR code and its address, and
// every channel in its own language with a QR code that opens the page playing that channel
// (`?channel=CODE`). Written atomically (QSaveFile): a failed save leaves the old file.
//
// Thread contract: the GUI thread (QPdfWriter paints with the GUI's fonts).
#pragma once

#include <QString>
#include <QUrl>
#include <vector>

namespace dragoman::console {

struct DoorSignChannel {
    QString code;       // "sq"
    QString nativeName; // "Shqip"
    QString name;       // "Albanian" (shown under the native name when it differs)
};

struct DoorSign {
    QString venue;
    QUrl page; // the listeners' page, e.g. http://10.0.0.2:8480/
    std::vector<DoorSignChannel> channels;
};

// The page that plays `code` at once.
QUrl channelUrl(const QUrl& page, const QString& code);

// False with `error` (naming the file) when the PDF cannot be written.
bool writeDoorSign(const DoorSign& sign, const QString& file, QString* error);

} // namespace dragoman::console

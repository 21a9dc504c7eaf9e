// Pairing a booth's tablet with its desk: the desk page's link with the desk's own token
// (/desk/en.1#token=…, app/control/DeskTokens.h) as a QR code to scan and as text, for the desk
// picked; and revoking that desk's token, which shuts its tablet out at once (a lost tablet, an
// interpreter gone) and shows the new link to pair again.
//
// When the control port listens on loopback only, tablets cannot reach it: the dialog says so
// (start with --http 0.0.0.0:8470) above the code.
//
// Thread contract: GUI thread.
#pragma once

#include "venue/Venue.h"

#include <QDialog>
#include <QUrl>
#include <functional>

class QComboBox;
class QLabel;
class QPushButton;

namespace dragoman::console {

struct DeskPairingSources {
    std::function<QUrl(int desk)> link;                   // the desk page's link with its token
    std::function<bool(int desk, QString* error)> revoke; // a new token for the desk
};

class DeskPairingDialog : public QDialog {
    Q_OBJECT

public:
    DeskPairingDialog(const venue::Venue& venue, DeskPairingSources sources, int desk,
                      QWidget* parent = nullptr);

    void setDesk(int desk);
    int desk() const;
    QUrl link() const { return link_; }
    // The QR code as shown (for tests: it must decode to link()).
    QPixmap code() const;
    // Revokes the shown desk's token and shows its new link; false with the reason otherwise.
    bool revoke(QString* error = nullptr);

private:
    void showDesk(int desk);

    const venue::Venue& venue_;
    DeskPairingSources sources_;
    QUrl link_;
    QComboBox* desks_ = nullptr;
    QLabel* warning_ = nullptr;
    QLabel* image_ = nullptr;
    QLabel* address_ = nullptr;
    QPushButton* revoke_ = nullptr;
};

} // namespace dragoman::console

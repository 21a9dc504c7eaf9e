// The strip across the top of a remote console's window that says the router is out of reach:
// red, over the (greyed) window, whatever the window's size; hidden while the link is up.
//
// Thread contract: the GUI thread.
#pragma once

#include <QLabel>

namespace dragoman::remote {

class LinkBanner : public QLabel {
    Q_OBJECT

public:
    // Lies over the top of `host` (a child of it, kept as wide as it).
    explicit LinkBanner(QWidget* host);

    // Shown with `text` (down), or hidden (up).
    void showDown(const QString& text);
    void hideUp();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void place();
};

} // namespace dragoman::remote

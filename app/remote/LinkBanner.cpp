#include "remote/LinkBanner.h"

#include <QEvent>

namespace dragoman::remote {

LinkBanner::LinkBanner(QWidget* host)
    : QLabel(host) {
    setObjectName(QStringLiteral("linkBanner"));
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    // Colours of its own: it must read the same on a disabled (greyed) window.
    setStyleSheet(QStringLiteral("QLabel#linkBanner { background: #b3261e; color: white; "
                                 "font-weight: bold; padding: 6px; }"));
    host->installEventFilter(this);
    hide();
}

void LinkBanner::showDown(const QString& text) {
    setText(text);
    place();
    show();
    raise();
}

void LinkBanner::hideUp() {
    hide();
}

bool LinkBanner::eventFilter(QObject* watched, QEvent* event) {
    if (watched == parent() && event->type() == QEvent::Resize)
        place();
    return QLabel::eventFilter(watched, event);
}

void LinkBanner::place() {
    const auto* host = parentWidget();
    setFixedWidth(host->width());
    setFixedHeight(heightForWidth(host->width()) > 0 ? heightForWidth(host->width()) + 12 : 36);
    move(0, 0);
}

} // namespace dragoman::remote

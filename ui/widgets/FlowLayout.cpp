#include "widgets/FlowLayout.h"

#include <QWidget>
#include <algorithm>

namespace dragoman::widgets {

FlowLayout::FlowLayout(QWidget* parent, int hSpacing, int vSpacing)
    : QLayout(parent)
    , hSpacing_(hSpacing)
    , vSpacing_(vSpacing) {
    setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout() {
    while (QLayoutItem* item = takeAt(0))
        delete item;
}

void FlowLayout::addItem(QLayoutItem* item) {
    items_.append(item);
}

QLayoutItem* FlowLayout::itemAt(int index) const {
    return index >= 0 && index < items_.size() ? items_.at(index) : nullptr;
}

QLayoutItem* FlowLayout::takeAt(int index) {
    return index >= 0 && index < items_.size() ? items_.takeAt(index) : nullptr;
}

int FlowLayout::heightForWidth(int width) const {
    return place(QRect(0, 0, width, 0), false);
}

QSize FlowLayout::minimumSize() const {
    QSize size;
    for (const auto* item : items_)
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

QSize FlowLayout::sizeHint() const {
    // One row of everything: what the group would like; heightForWidth says what it needs.
    int width = 0;
    int height = 0;
    for (const auto* item : items_) {
        if (item->isEmpty())
            continue;
        width += item->sizeHint().width() + (width > 0 ? hSpacing_ : 0);
        height = std::max(height, item->sizeHint().height());
    }
    const QMargins m = contentsMargins();
    return {width + m.left() + m.right(), height + m.top() + m.bottom()};
}

void FlowLayout::setGeometry(const QRect& rect) {
    QLayout::setGeometry(rect);
    place(rect, true);
}

int FlowLayout::place(const QRect& rect, bool apply) const {
    const QMargins m = contentsMargins();
    const QRect area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom());
    int x = area.x();
    int y = area.y();
    int rowHeight = 0;
    int inRow = 0;
    int firstRow = -1;
    int cellWidth = 0; // uniform columns: the width every item gets
    if (uniform_) {
        int widest = 1;
        for (const auto* item : items_)
            if (!item->isEmpty())
                widest = std::max(widest, item->minimumSize().width());
        const int columns = std::max(1, (area.width() + hSpacing_) / (widest + hSpacing_));
        cellWidth = std::max(1, (area.width() - (columns - 1) * hSpacing_) / columns);
    }
    for (auto* item : items_) {
        if (item->isEmpty())
            continue;
        QSize size = item->sizeHint().boundedTo(QSize(area.width(), 1 << 20));
        if (uniform_)
            size.setWidth(cellWidth);
        if (item->hasHeightForWidth())
            size.setHeight(item->heightForWidth(size.width()));
        if (inRow > 0 && x + size.width() > area.right() + 1) {
            if (firstRow < 0)
                firstRow = inRow;
            x = area.x();
            y += rowHeight + vSpacing_;
            rowHeight = 0;
            inRow = 0;
        }
        if (apply)
            item->setGeometry(QRect(QPoint(x, y), size));
        x += size.width() + hSpacing_;
        rowHeight = std::max(rowHeight, size.height());
        ++inRow;
    }
    if (apply)
        columns_ = firstRow < 0 ? inRow : firstRow;
    return y + rowHeight - rect.y() + m.bottom();
}

} // namespace dragoman::widgets

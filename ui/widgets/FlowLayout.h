// A layout that places its items left to right and wraps them onto the next row when the width
// runs out (the booths on the booth map, the channel strips, the input meters), so a group
// reflows with the window instead of hiding behind a scroll bar. Height follows width
// (heightForWidth), which QBoxLayout and QScrollArea honour.
//
// Thread contract: the GUI thread.
#pragma once

#include <QLayout>
#include <QList>

namespace dragoman::widgets {

class FlowLayout : public QLayout {
public:
    explicit FlowLayout(QWidget* parent = nullptr, int hSpacing = 8, int vSpacing = 8);
    ~FlowLayout() override;

    void addItem(QLayoutItem* item) override;
    int count() const override { return static_cast<int>(items_.size()); }
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;

    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect& rect) override;

    // Uniform columns: as many columns as the widest item's minimum size allows, widened to
    // share the whole width (a grid that reflows; default off: each item at its size hint,
    // ragged rows).
    void setUniformColumns(bool on) { uniform_ = on; }

    // Items per row the last setGeometry() placed (the first row's count).
    int columns() const { return columns_; }

private:
    int place(const QRect& rect, bool apply) const; // the height used
    QList<QLayoutItem*> items_;
    int hSpacing_;
    int vSpacing_;
    bool uniform_ = false;
    mutable int columns_ = 0;
};

} // namespace dragoman::widgets

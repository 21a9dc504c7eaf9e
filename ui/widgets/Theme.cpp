#include "widgets/Theme.h"

#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QStyleFactory>

namespace dragoman::widgets {

void applyTheme(QApplication& app) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    p.setColor(QPalette::Window, colour::background);
    p.setColor(QPalette::WindowText, colour::text);
    p.setColor(QPalette::Base, colour::panel);
    p.setColor(QPalette::AlternateBase, colour::panelRaised);
    p.setColor(QPalette::Text, colour::text);
    p.setColor(QPalette::Button, colour::panelRaised);
    p.setColor(QPalette::ButtonText, colour::text);
    p.setColor(QPalette::Highlight, colour::accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, colour::panelRaised);
    p.setColor(QPalette::ToolTipText, colour::text);
    p.setColor(QPalette::PlaceholderText, colour::textDim);
    p.setColor(QPalette::Disabled, QPalette::Text, colour::textDim);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, colour::textDim);
    app.setPalette(p);

    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(11.0);
    app.setFont(font);

    app.setStyleSheet(QStringLiteral(R"(
QMainWindow, QDialog { background: #121417; }
QToolTip { color: #f2f4f7; background: #262a31; border: 1px solid #3a404a; }
QGroupBox {
    border: 1px solid #3a404a; border-radius: 6px; margin-top: 14px; padding: 8px 6px 6px 6px;
    background: #1c1f24; font-weight: bold;
}
QGroupBox::title {
    subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #9aa3b0;
    text-transform: uppercase; letter-spacing: 1px;
}
QPushButton {
    background: #262a31; color: #f2f4f7; border: 1px solid #3a404a; border-radius: 5px;
    padding: 5px 10px; font-weight: bold;
}
QPushButton:hover { border-color: #3d9bff; }
QPushButton:checked { background: #3d9bff; color: #ffffff; border-color: #8cc4ff; }
QPushButton:pressed { background: #1a5fa8; }
QPushButton:disabled { color: #5b636e; border-color: #2b3038; }
QComboBox {
    background: #262a31; color: #f2f4f7; border: 1px solid #3a404a; border-radius: 5px;
    padding: 4px 8px;
}
QComboBox QAbstractItemView { background: #1c1f24; color: #f2f4f7; selection-background-color: #3d9bff; }
QPlainTextEdit {
    background: #0d0f12; color: #dfe4ea; border: 1px solid #3a404a; border-radius: 4px;
    font-family: "DejaVu Sans Mono"; font-size: 10pt;
}
QSlider::groove:horizontal { height: 6px; background: #3a404a; border-radius: 3px; }
QSlider::handle:horizontal { width: 18px; margin: -7px 0; background: #f2f4f7; border-radius: 9px; }
QSlider::sub-page:horizontal { background: #3d9bff; border-radius: 3px; }
QDockWidget { color: #9aa3b0; font-weight: bold; }
QDockWidget::title { background: #1c1f24; padding: 6px; }
QMenuBar { background: #1c1f24; color: #f2f4f7; }
QMenuBar::item:selected { background: #262a31; }
QMenu { background: #1c1f24; color: #f2f4f7; border: 1px solid #3a404a; }
QMenu::item:selected { background: #3d9bff; }
QStatusBar { background: #1c1f24; color: #9aa3b0; }
QScrollArea { border: none; background: transparent; }
QLabel[role="dim"] { color: #9aa3b0; }
QLabel[role="value"] { font-family: "DejaVu Sans Mono"; font-weight: bold; }
)"));
}

} // namespace dragoman::widgets

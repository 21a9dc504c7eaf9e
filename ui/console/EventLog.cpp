#include "console/EventLog.h"

#include "widgets/Theme.h"

#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

namespace dragoman::console {

EventLog::EventLog(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    view_ = new QPlainTextEdit(this);
    view_->setObjectName(QStringLiteral("eventlog"));
    view_->setReadOnly(true);
    view_->setMaximumBlockCount(kMaxLines);
    view_->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    view_->setCenterOnScroll(false);
    layout->addWidget(view_, 1);
    auto* row = new QHBoxLayout;
    save_ = new QPushButton(QStringLiteral("Save log…"), this);
    save_->setToolTip(QStringLiteral("Save the event log as a text file (Ctrl+S)"));
    row->addStretch();
    row->addWidget(save_);
    layout->addLayout(row);
    connect(save_, &QPushButton::clicked, this, &EventLog::saveAs);
}

QString EventLog::kindName(EventKind kind) {
    switch (kind) {
    case EventKind::Mic:
        return QStringLiteral("mic");
    case EventKind::Refusal:
        return QStringLiteral("refusal");
    case EventKind::Call:
        return QStringLiteral("call");
    case EventKind::Device:
        return QStringLiteral("device");
    case EventKind::Limiter:
        return QStringLiteral("limiter");
    case EventKind::Alarm:
        return QStringLiteral("alarm");
    case EventKind::Routing:
        return QStringLiteral("routing");
    case EventKind::Panel:
        return QStringLiteral("panel");
    }
    return {};
}

void EventLog::add(EventKind kind, const QString& text) {
    const QString time = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    const QString line =
        QStringLiteral("%1  %2  %3").arg(time, kindName(kind).leftJustified(8), text);
    QString colour = QStringLiteral("#dfe4ea");
    switch (kind) {
    case EventKind::Refusal:
    case EventKind::Alarm:
        colour = widgets::colour::alarm.name();
        break;
    case EventKind::Call:
    case EventKind::Limiter:
        colour = widgets::colour::warning.name();
        break;
    case EventKind::Device:
    case EventKind::Panel:
        colour = widgets::colour::accent.name();
        break;
    case EventKind::Mic:
    case EventKind::Routing:
        break;
    }
    auto* bar = view_->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    QTextCursor cursor(view_->document());
    cursor.movePosition(QTextCursor::End);
    if (!view_->document()->isEmpty())
        cursor.insertBlock();
    QTextCharFormat format;
    format.setForeground(QColor(colour));
    cursor.insertText(line, format);
    if (atEnd)
        bar->setValue(bar->maximum());
    Q_EMIT added(kind, line);
}

int EventLog::lineCount() const {
    return view_->document()->isEmpty() ? 0 : view_->document()->blockCount();
}

QString EventLog::lastLine() const {
    return view_->document()->lastBlock().text();
}

QString EventLog::text() const {
    return view_->toPlainText();
}

bool EventLog::save(const QString& path, QString* error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    QByteArray bytes = text().toUtf8();
    bytes.append('\n');
    file.write(bytes);
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void EventLog::saveAs() {
    const QString name =
        QStringLiteral("dragoman-events-%1.txt")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd-HHmm")));
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save the event log"),
                                                      name, QStringLiteral("Text (*.txt)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!save(path, &error))
        add(EventKind::Device, QStringLiteral("could not save the log: %1").arg(error));
}

} // namespace dragoman::console

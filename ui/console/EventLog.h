// The technician's event log: mic on/off, refusals, slow and help calls, device faults,
// limiter warnings, clips and lost signals, each with the time and a category; the newest at
// the bottom; saved as plain text. Holds the last kMaxLines lines (a long session never grows
// the console's memory).
//
// Thread contract: the GUI thread.
#pragma once

#include <QString>
#include <QWidget>

class QPlainTextEdit;
class QPushButton;

namespace dragoman::console {

enum class EventKind { Mic, Refusal, Call, Device, Limiter, Alarm, Routing, Panel };

class EventLog : public QWidget {
    Q_OBJECT

public:
    static constexpr int kMaxLines = 5000;

    explicit EventLog(QWidget* parent = nullptr);

    void add(EventKind kind, const QString& text);
    // Writes the log as UTF-8 text (atomically: a temporary file renamed over `path`); false
    // and a reason on failure.
    bool save(const QString& path, QString* error = nullptr) const;

    int lineCount() const;
    QString lastLine() const;
    QString text() const;

    static QString kindName(EventKind kind); // "mic", "refusal", "call", ...

    // Asks for a file name and saves there.
    void saveAs();

Q_SIGNALS:
    void added(dragoman::console::EventKind kind, const QString& line);

private:
    QPlainTextEdit* view_ = nullptr;
    QPushButton* save_ = nullptr;
};

} // namespace dragoman::console

// Keeps the router's running settings in a state file (SessionState.h) so that a crash, a
// `kill -9` or a power cut loses none of them: the file is rewritten atomically (QSaveFile: a
// temporary file renamed over the old one) whenever a kept setting changes, at most every
// kSaveDelay (changes in between are written together), on the control thread — never the
// audio thread. At start, a file left by a router that did not stop cleanly is restored
// through the EngineController (every mic off); a clean stop marks the file as such, so the
// next start begins from the venue. A file that cannot be read or parsed is reported and
// ignored, never fatal; a file that cannot be written is reported (statusJson, message()) and
// retried on the next change.
//
//   SessionKeeper keeper(controller, file);  keeper.start();  ...  keeper.finish();
//
// Thread contract: the control thread (the EngineController's); Qt's event loop drives it.
#pragma once

#include "control/EngineController.h"
#include "core/RoutingState.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <chrono>
#include <filesystem>
#include <optional>

namespace dragoman::router {

class SessionKeeper : public QObject {
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kSaveDelay{250};

    SessionKeeper(control::EngineController& controller, std::filesystem::path file,
                  QObject* parent = nullptr);

    // Reads the file; restores it when its router did not stop cleanly; then keeps it.
    void start();
    // A clean stop: writes the settings one last time, marked as stopped cleanly.
    void finish();

    const std::filesystem::path& file() const { return file_; }
    // {"file", "restored" (settings put back), "restoredFrom" (when the file was written),
    //  "problems", "error" (the file could not be used), "saves", "saveErrors", "lastSaveError"}
    QJsonObject statusJson() const;

Q_SIGNALS:
    // A line for the event log: the restore (or why the file was ignored), a failed write.
    void message(const QString& line);

private:
    void onRoutingChanged();
    void save(bool running);

    control::EngineController& controller_;
    std::filesystem::path file_;
    QTimer saveTimer_;
    std::optional<core::RoutingState> saved_; // what the file holds
    bool keeping_ = false;                    // the restore is done: changes are saved
    bool finished_ = false;
    int restorePending_ = 0;
    int restored_ = 0;
    QString restoredFrom_;
    QStringList problems_;
    QString error_;
    quint64 saves_ = 0;
    quint64 saveErrors_ = 0;
    QString lastSaveError_;
};

} // namespace dragoman::router

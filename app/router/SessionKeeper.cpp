#include "router/SessionKeeper.h"

#include "router/SessionState.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSaveFile>

namespace dragoman::router {

SessionKeeper::SessionKeeper(control::EngineController& controller, std::filesystem::path file,
                             QObject* parent)
    : QObject(parent)
    , controller_(controller)
    , file_(std::move(file)) {
    saveTimer_.setSingleShot(true);
    saveTimer_.setInterval(kSaveDelay);
    connect(&saveTimer_, &QTimer::timeout, this, [this] { save(true); });
    connect(&controller_, &control::EngineController::routingChanged, this,
            &SessionKeeper::onRoutingChanged);
}

void SessionKeeper::start() {
    const QString path = QString::fromStdString(file_.string());
    const auto begin = [this] {
        keeping_ = true;
        save(true); // the file says "running" from now on
    };
    QFile file(path);
    if (!file.exists()) {
        begin();
        return;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        error_ = "cannot read it: " + file.errorString();
    } else {
        const auto restore = parseSessionState(controller_.venue(), file.readAll());
        error_ = restore.error;
        problems_ = restore.problems;
        if (error_.isEmpty() && restore.running) {
            restoredFrom_ = restore.written;
            restorePending_ = static_cast<int>(restore.commands.size());
            for (const auto& command : restore.commands)
                controller_.submit(command, [this, begin, path](const control::CommandAnswer& a) {
                    if (a.outcome == control::CommandAnswer::Outcome::Answered && a.accepted)
                        ++restored_;
                    else
                        problems_.append(QStringLiteral("%1 %2: %3")
                                             .arg(QString::fromUtf8(core::toString(a.kind).data()))
                                             .arg(a.target)
                                             .arg(QString::fromUtf8(control::describe(a).data())));
                    if (--restorePending_ > 0)
                        return;
                    Q_EMIT message(QStringLiteral("session: the router had not stopped cleanly: "
                                                  "%1 settings restored from %2 (written %3); "
                                                  "every mic is off")
                                       .arg(restored_)
                                       .arg(path, restoredFrom_));
                    for (const auto& p : problems_)
                        Q_EMIT message("session: not restored: " + p);
                    begin();
                });
            if (restorePending_ > 0)
                return;
        }
    }
    if (!error_.isEmpty())
        Q_EMIT message(QStringLiteral("session: state file %1 ignored: %2").arg(path, error_));
    begin();
}

void SessionKeeper::finish() {
    if (finished_ || !keeping_)
        return;
    finished_ = true;
    saveTimer_.stop();
    save(false);
}

void SessionKeeper::onRoutingChanged() {
    if (!keeping_ || finished_ || saveTimer_.isActive())
        return;
    if (saved_ && !keptSettingsDiffer(*saved_, controller_.routing()))
        return;
    saveTimer_.start();
}

void SessionKeeper::save(bool running) {
    const auto& routing = controller_.routing();
    const QString path = QString::fromStdString(file_.string());
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    QString failure;
    if (!file.open(QIODevice::WriteOnly))
        failure = file.errorString();
    else if (file.write(sessionStateJson(controller_.venue(), routing, running)) < 0 ||
             !file.commit())
        failure = file.errorString();
    if (failure.isEmpty()) {
        ++saves_;
        saved_ = routing;
        return;
    }
    ++saveErrors_;
    const bool first = lastSaveError_ != failure;
    lastSaveError_ = failure;
    if (first)
        Q_EMIT message(
            QStringLiteral("session: cannot write the state file %1: %2").arg(path, failure));
}

QJsonObject SessionKeeper::statusJson() const {
    return {
        {"file", QString::fromStdString(file_.string())},
        {"restored", restored_},
        {"restoredFrom", restoredFrom_.isEmpty() ? QJsonValue() : QJsonValue(restoredFrom_)},
        {"problems", QJsonArray::fromStringList(problems_)},
        {"error", error_.isEmpty() ? QJsonValue() : QJsonValue(error_)},
        {"saves", static_cast<qint64>(saves_)},
        {"saveErrors", static_cast<qint64>(saveErrors_)},
        {"lastSaveError", lastSaveError_.isEmpty() ? QJsonValue() : QJsonValue(lastSaveError_)}};
}

} // namespace dragoman::router

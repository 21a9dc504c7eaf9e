#include "webrtc/JanusProcess.h"

#include <QJsonArray>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace dragoman::webrtc {

const char* toString(JanusProcess::State state) {
    switch (state) {
    case JanusProcess::State::Stopped:
        return "stopped";
    case JanusProcess::State::Starting:
        return "starting";
    case JanusProcess::State::Running:
        return "running";
    case JanusProcess::State::Restarting:
        return "restarting";
    case JanusProcess::State::Failed:
        return "failed";
    }
    return "?";
}

JanusProcess::JanusProcess(JanusConfig config, JanusMountpoints mountpoints, QString program,
                           QObject* parent)
    : JanusBackend(parent)
    , config_(std::move(config))
    , mountpoints_(std::move(mountpoints))
    , program_(std::move(program)) {
    process_.setProgram(program_);
    process_.setArguments({QStringLiteral("--config=") + config_.janusFile(),
                           QStringLiteral("--configs-folder=") + config_.folder,
                           QStringLiteral("--disable-colors")});
    process_.setProcessChannelMode(QProcess::MergedChannels);
    process_.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    connect(&process_, &QProcess::finished, this, &JanusProcess::onFinished);
    probe_.setInterval(100);
    connect(&probe_, &QTimer::timeout, this, &JanusProcess::probe);
    restart_.setSingleShot(true);
    connect(&restart_, &QTimer::timeout, this, [this] { launch(nullptr); });
}

JanusProcess::~JanusProcess() {
    stop();
}

bool JanusProcess::start(QString* error) {
    stopping_ = false;
    if (!config_.write(mountpoints_, error)) {
        state_ = State::Failed;
        return false;
    }
    return launch(error);
}

bool JanusProcess::launch(QString* error) {
    if (stopping_)
        return false;
    process_.setStandardOutputFile(logFile(), QIODevice::Append);
    process_.start();
    if (!process_.waitForStarted(5000)) {
        lastExit_ = process_.errorString();
        if (error)
            *error = QStringLiteral("cannot start %1: %2").arg(program_, lastExit_);
        state_ = State::Failed;
        if (restarts_ > 0) { // it ran before: keep trying
            state_ = State::Restarting;
            restart_.start(backoffMs_);
        }
        return false;
    }
    state_ = state_ == State::Restarting ? State::Restarting : State::Starting;
    upSince_.start();
    probe_.start();
    return true;
}

void JanusProcess::probe() {
    QUrl url(apiUrl().toString() + QStringLiteral("/info"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("apisecret"), config_.apiSecret);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(1000);
    auto* reply = network_.get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError || !probe_.isActive() ||
            process_.state() != QProcess::Running)
            return;
        probe_.stop();
        state_ = State::Running;
        Q_EMIT ready();
        Q_EMIT changed();
    });
}

void JanusProcess::onFinished(int exitCode, QProcess::ExitStatus status) {
    probe_.stop();
    lastExit_ = status == QProcess::CrashExit ? QStringLiteral("killed or crashed")
                                              : QStringLiteral("exit status %1").arg(exitCode);
    if (stopping_) {
        state_ = State::Stopped;
        return;
    }
    // A Janus that died: listeners are waiting to reconnect, so a first restart at once; one
    // that keeps dying young waits longer each time (a port taken, a broken installation).
    backoffMs_ = upSince_.isValid() && upSince_.elapsed() < 5000 ? std::min(backoffMs_ * 2, 10000)
                                                                 : kFirstRestartMs;
    ++restarts_;
    state_ = State::Restarting;
    restart_.start(backoffMs_);
    Q_EMIT lost();
    Q_EMIT stopped();
    Q_EMIT changed();
}

void JanusProcess::stop() {
    stopping_ = true;
    restart_.stop();
    probe_.stop();
    if (process_.state() != QProcess::NotRunning) {
        const auto id = process_.processId();
        if (id > 0)
            ::kill(static_cast<pid_t>(id), SIGTERM);
        if (!process_.waitForFinished(2000)) {
            process_.kill(); // SIGKILL: Janus may ignore SIGTERM while it tears down sessions
            process_.waitForFinished(2000);
        }
    }
    state_ = State::Stopped;
}

qint64 JanusProcess::pid() const {
    return process_.state() == QProcess::NotRunning ? 0 : process_.processId();
}

QUrl JanusProcess::apiUrl() const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1/janus").arg(config_.apiPort));
}

qint64 JanusProcess::mountpointId(const QString& code) const {
    const auto* m = mountpoints_.byCode(code);
    return m ? m->id : 0;
}

QString JanusProcess::stateText() const {
    return QString::fromLatin1(toString(state_));
}

QJsonObject JanusProcess::statusJson() const {
    QJsonArray mounts;
    for (const auto& m : mountpoints_.all())
        mounts.append(QJsonObject{{"channel", m.code}, {"id", m.id}, {"rtpPort", m.rtpPort}});
    return {{"state", toString(state_)},
            {"pid", pid()},
            {"restarts", restarts_},
            {"api", apiUrl().toString()},
            {"lastExit", lastExit_.isEmpty() ? QJsonValue() : QJsonValue(lastExit_)},
            {"mountpoints", mounts}};
}

} // namespace dragoman::webrtc

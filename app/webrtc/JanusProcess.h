// Dragoman's private Janus: Debian's `janus` run as a child process on the configuration
// JanusConfig writes (under the runtime folder), watched and kept alive.
//
//   start()  writes the configuration and starts Janus; "starting" until its HTTP API answers
//            GET /janus/info, then "running" (ready() is emitted)
//   a Janus that dies is started again after a pause (0.1 s, doubling to 10 s while it keeps
//            dying young) with the same configuration, so its mountpoints come back with it;
//            "restarting" meanwhile, and restarts() counts
//   stop()   SIGTERM to its process id, SIGKILL after 2 s; also in the destructor. Janus is
//            told to die with Dragoman too (PR_SET_PDEATHSIG), should Dragoman be killed.
//
// Thread contract: the control (Qt main) thread.
#pragma once

#include "webrtc/JanusBackend.h"
#include "webrtc/JanusConfig.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QProcess>
#include <QTimer>
#include <QUrl>

namespace dragoman::webrtc {

class JanusProcess : public JanusBackend {
    Q_OBJECT

public:
    enum class State { Stopped, Starting, Running, Restarting, Failed };

    JanusProcess(JanusConfig config, JanusMountpoints mountpoints, QString program = "janus",
                 QObject* parent = nullptr);
    ~JanusProcess() override;

    // False with `error` when the configuration cannot be written or Janus cannot be started.
    bool start(QString* error = nullptr);
    void stop();

    State state() const { return state_; }
    int restarts() const { return restarts_; }
    qint64 pid() const;
    QUrl apiUrl() const override; // http://127.0.0.1:PORT/janus
    const QString& apiSecret() const { return config_.apiSecret; }
    const JanusMountpoints& mountpoints() const { return mountpoints_; }
    const JanusConfig& config() const { return config_; }
    QString logFile() const { return config_.folder + QStringLiteral("/janus.log"); }

    // For /api/state's "webrtc": {state, pid, restarts, api, lastExit, mountpoints}.
    QJsonObject statusJson() const override;

    // As a backend of the signalling (JanusBackend.h): "private", live while running.
    QString name() const override { return QStringLiteral("private"); }
    JanusAuth auth() const override { return {config_.apiSecret, {}}; }
    bool live() const override { return state_ == State::Running; }
    bool hasChannel(const QString& code) const override {
        return mountpoints_.byCode(code) != nullptr;
    }
    qint64 mountpointId(const QString& code) const override;
    QString stateText() const override;

Q_SIGNALS:
    void ready();   // the API answers (after every start and restart)
    void stopped(); // it died (a restart follows unless stop() was called)

private:
    bool launch(QString* error);
    void probe();
    void onFinished(int exitCode, QProcess::ExitStatus status);

    JanusConfig config_;
    JanusMountpoints mountpoints_;
    QString program_;
    QProcess process_;
    QNetworkAccessManager network_;
    QTimer probe_;
    QTimer restart_;
    QElapsedTimer upSince_;
    State state_ = State::Stopped;
    int restarts_ = 0;
    static constexpr int kFirstRestartMs = 100;
    int backoffMs_ = kFirstRestartMs;
    bool stopping_ = false;
    QString lastExit_;
};

const char* toString(JanusProcess::State state);

} // namespace dragoman::webrtc

#include "remote/RemoteController.h"

#include "remote/CommandFrames.h"
#include "remote/StateReader.h"
#include "venue/VenueFile.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslConfiguration>
#include <QSslError>
#include <algorithm>

namespace dragoman::remote {

namespace {

constexpr int kTickMs = 250;

QString compact(const QJsonObject& object) {
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

std::unique_ptr<core::MeterBank> bankFor(const venue::Venue& venue) {
    return std::make_unique<core::MeterBank>(static_cast<int>(venue.floorMics.size()),
                                             venue.deskCount(),
                                             static_cast<int>(venue.channels.size()));
}

// Every meter of `bank` to silence (a link that is down shows no levels).
void silence(core::MeterBank& bank) {
    using core::MeterPoint;
    const core::MeterReading quiet{dsp::kSilenceDb, dsp::kSilenceDb, dsp::kSilenceDb, 0};
    for (const auto point :
         {MeterPoint::FloorMic, MeterPoint::DeskMic, MeterPoint::Channel, MeterPoint::DeskFeed})
        for (int i = 0; i < bank.count(point); ++i)
            bank.store(point, i, quiet);
    for (int d = 0; d < bank.count(MeterPoint::DeskFeed); ++d)
        bank.storeLimiter(d, {0.0f, false, false, dsp::kSilenceDb});
}

} // namespace

bool pinned(const QSslCertificate& certificate, const QString& fingerprint) {
    QByteArray hex = fingerprint.toLatin1().toLower();
    hex.removeIf([](char c) { return c == ':' || c == ' '; });
    return !hex.isEmpty() && !certificate.isNull() &&
           certificate.digest(QCryptographicHash::Sha256).toHex() == hex;
}

RemoteController::RemoteController(RemoteSettings settings, QObject* parent)
    : Controller(parent)
    , settings_(std::move(settings))
    , meters_(bankFor(venue_)) {
    clock_.start();
    retryTimer_.setSingleShot(true);
    connect(&retryTimer_, &QTimer::timeout, this, &RemoteController::open);
    connect(&tickTimer_, &QTimer::timeout, this, &RemoteController::tick);
    connect(&socket_, &QWebSocket::connected, this, &RemoteController::onConnected);
    connect(&socket_, &QWebSocket::textMessageReceived, this, &RemoteController::onText);
    connect(&socket_, &QWebSocket::pong, this,
            [this](quint64, const QByteArray&) { lastHeardMs_ = clock_.elapsed(); });
    connect(&socket_, &QWebSocket::disconnected, this, &RemoteController::onClosed);
    connect(&socket_, &QWebSocket::sslErrors, this, [this](const QList<QSslError>&) {
        if (pinned(socket_.sslConfiguration().peerCertificate(), settings_.fingerprint))
            socket_.ignoreSslErrors();
    });
    connect(&socket_, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                downReason_ = socket_.errorString();
                if (socket_.state() == QAbstractSocket::UnconnectedState)
                    onClosed();
            });
}

RemoteController::~RemoteController() {
    QObject::disconnect(&socket_, nullptr, this, nullptr);
    socket_.abort();
}

void RemoteController::start() {
    if (started_)
        return;
    started_ = true;
    tickTimer_.start(kTickMs);
    open();
}

void RemoteController::open() {
    if (refused_ || socket_.state() != QAbstractSocket::UnconnectedState)
        return;
    helloSeen_ = false;
    lastHeardMs_ = clock_.elapsed();
    socket_.open(settings_.url);
}

void RemoteController::onConnected() {
    lastHeardMs_ = clock_.elapsed();
    QJsonObject auth{{"type", "auth"}, {"token", QString::fromUtf8(settings_.token)}};
    if (!settings_.panel.isEmpty())
        auth.insert("panel", settings_.panel);
    socket_.sendTextMessage(compact(auth));
}

void RemoteController::onText(const QString& text) {
    lastHeardMs_ = clock_.elapsed();
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value(QLatin1String("type")).toString();
    if (type == QLatin1String("meters")) {
        if (!ready_)
            return;
        ++counters_.meterFrames;
        counters_.problems += static_cast<std::uint64_t>(
            readMeters(venue_, frame.value(QLatin1String("meters")).toObject(), *meters_));
    } else if (type == QLatin1String("state")) {
        onState(frame);
    } else if (type == QLatin1String("answer")) {
        onAnswer(frame.value(QLatin1String("id")).toInteger(-1), frame, false);
    } else if (type == QLatin1String("hello")) {
        onHello(frame);
    } else if (type == QLatin1String("error")) {
        const QJsonValue id = frame.value(QLatin1String("id"));
        const QString error = frame.value(QLatin1String("error")).toString();
        if (!helloSeen_) // the router refused the auth frame: the token, or the panel
            return refuse(error);
        if (id.isDouble())
            onAnswer(id.toInteger(), frame, true);
        else
            ++counters_.problems;
    } else {
        ++counters_.problems;
    }
}

void RemoteController::onHello(const QJsonObject& frame) {
    const QJsonObject venueObject = frame.value(QLatin1String("venue")).toObject();
    if (venueObject.isEmpty())
        return refuse(QStringLiteral("the router does not send its venue (an older router?)"));
    venue::Venue venue;
    try {
        venue =
            venue::parse(QJsonDocument(venueObject).toJson().toStdString(), "the router's venue");
    } catch (const std::exception& error) {
        return refuse(QString::fromUtf8(error.what()));
    }
    if (ready_ && !(venue == venue_))
        return refuse(QStringLiteral("the router now runs another venue (%1); open the console "
                                     "again")
                          .arg(QString::fromStdString(venue.name)));
    if (!ready_) {
        venue_ = std::move(venue);
        meters_ = bankFor(venue_);
    }
    helloSeen_ = true;
    ++counters_.connects;
    role_ = frame.value(QLatin1String("role")).toString();
    tokenDesk_ = frame.value(QLatin1String("desk")).toString();
    if (settings_.meterHz > 0)
        socket_.sendTextMessage(
            compact({{"type", "meters"}, {"hz", std::clamp(settings_.meterHz, 0, 30)}}));
}

void RemoteController::onState(const QJsonObject& frame) {
    if (!helloSeen_)
        return;
    const QJsonObject state = frame.value(QLatin1String("state")).toObject();
    RouterState read = readState(venue_, state);
    ++counters_.states;
    counters_.problems += static_cast<std::uint64_t>(read.problems);
    const bool moved = !up_ || read.routing.version != routing_.version;
    routing_ = std::move(read.routing);
    device_ = std::move(read.device);
    listeners_ = std::move(read.listeners);
    panels_ = std::move(read.panels);
    counters_.problems += static_cast<std::uint64_t>(readMeters(venue_, state, *meters_));
    const bool first = !ready_;
    ready_ = true;
    if (!up_) {
        up_ = true;
        downReason_.clear();
        if (first)
            Q_EMIT becameReady();
        Q_EMIT linkChanged(true);
    }
    if (moved)
        Q_EMIT routingChanged();
}

void RemoteController::onAnswer(qint64 id, const QJsonObject& frame, bool error) {
    const auto it = pending_.find(id);
    if (it == pending_.end()) {
        ++counters_.problems;
        return;
    }
    Pending pending = std::move(it->second);
    pending_.erase(it);
    ++counters_.answers;
    control::CommandAnswer answer;
    if (error) { // the router could not read the frame: a value it refuses
        answer = control::madeUpAnswer(pending.command, control::CommandAnswer::Outcome::Answered);
        answer.reason = core::Refusal::OutOfRange;
    } else {
        answer = readAnswer(venue_, pending.command, frame);
    }
    if (pending.done)
        pending.done(answer);
    Q_EMIT commandAnswered(answer);
}

void RemoteController::onClosed() {
    if (downReason_.isEmpty())
        downReason_ = socket_.closeReason().isEmpty() ? QStringLiteral("the connection closed")
                                                      : socket_.closeReason();
    markDown(downReason_);
    if (!refused_ && !retryTimer_.isActive())
        retryTimer_.start(settings_.retry);
}

void RemoteController::markDown(const QString& reason) {
    downReason_ = reason;
    helloSeen_ = false;
    // Commands in flight: their answers went with the link.
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& [id, p] : pending) {
        const auto answer =
            control::madeUpAnswer(p.command, control::CommandAnswer::Outcome::Unreachable);
        if (p.done)
            p.done(answer);
        Q_EMIT commandAnswered(answer);
    }
    if (!up_)
        return;
    up_ = false;
    ++counters_.drops;
    silence(*meters_);
    Q_EMIT linkChanged(false);
}

void RemoteController::refuse(const QString& why) {
    refused_ = true;
    retryTimer_.stop();
    markDown(why);
    socket_.abort();
    Q_EMIT refused(why);
}

void RemoteController::tick() {
    const qint64 now = clock_.elapsed();
    if (socket_.state() == QAbstractSocket::ConnectedState) {
        if (now - lastHeardMs_ > settings_.silence.count()) {
            downReason_ = QStringLiteral("the router stopped answering");
            socket_.abort(); // disconnected() follows: down, and retried
            return;
        }
        socket_.ping();
    } else if (socket_.state() != QAbstractSocket::UnconnectedState &&
               now - lastHeardMs_ > settings_.silence.count()) {
        downReason_ = QStringLiteral("no answer from the router");
        socket_.abort(); // still connecting after `silence`: start over
        return;
    }
    for (auto it = pending_.begin(); it != pending_.end();) {
        if (it->second.deadlineMs > now) {
            ++it;
            continue;
        }
        Pending p = std::move(it->second);
        it = pending_.erase(it);
        const auto answer =
            control::madeUpAnswer(p.command, control::CommandAnswer::Outcome::TimedOut);
        if (p.done)
            p.done(answer);
        Q_EMIT commandAnswered(answer);
    }
}

void RemoteController::answerLater(Done done, control::CommandAnswer answer) {
    QMetaObject::invokeMethod(
        this,
        [this, done = std::move(done), answer] {
            if (done)
                done(answer);
            Q_EMIT commandAnswered(answer);
        },
        Qt::QueuedConnection);
}

void RemoteController::submit(const core::Command& command, Done done) {
    const qint64 id = ++lastId_;
    const auto tagged = command.withId(static_cast<std::uint32_t>(id));
    if (!up_)
        return answerLater(
            std::move(done),
            control::madeUpAnswer(tagged, control::CommandAnswer::Outcome::Unreachable));
    const QJsonObject frame = commandFrame(venue_, tagged, id);
    if (frame.isEmpty()) { // a target the venue does not have
        auto answer = control::madeUpAnswer(tagged, control::CommandAnswer::Outcome::Answered);
        answer.reason = core::Refusal::UnknownTarget;
        return answerLater(std::move(done), answer);
    }
    pending_.emplace(
        id, Pending{tagged, std::move(done), clock_.elapsed() + settings_.answerTimeout.count()});
    socket_.sendTextMessage(compact(frame));
}

QString RemoteController::linkText() const {
    const QString where = settings_.url.toString(QUrl::RemoveUserInfo);
    if (up_)
        return QStringLiteral("connected to %1").arg(where);
    if (downReason_.isEmpty())
        return QStringLiteral("connecting to %1").arg(where);
    return QStringLiteral("disconnected from %1: %2").arg(where, downReason_);
}

int RemoteController::listeners(int channel) const {
    if (channel < 0 || channel >= static_cast<int>(listeners_.size()))
        return 0;
    return listeners_[static_cast<std::size_t>(channel)];
}

} // namespace dragoman::remote

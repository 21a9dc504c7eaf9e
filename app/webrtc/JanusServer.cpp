#include "webrtc/JanusServer.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace dragoman::webrtc {

namespace {

constexpr int kNoSuchMountpoint = 455; // JANUS_STREAMING_ERROR_NO_SUCH_MOUNTPOINT

QString transaction() {
    static quint64 next = 0;
    return QStringLiteral("dragoman-server-%1").arg(++next);
}

} // namespace

const char* toString(JanusServer::State state) {
    switch (state) {
    case JanusServer::State::Connecting:
        return "connecting";
    case JanusServer::State::Preparing:
        return "preparing";
    case JanusServer::State::Live:
        return "running";
    case JanusServer::State::Down:
        return "down";
    }
    return "?";
}

JanusServer::JanusServer(JanusServerSettings settings, JanusMountpoints mountpoints,
                         QObject* parent)
    : JanusBackend(parent)
    , settings_(std::move(settings))
    , mountpoints_(std::move(mountpoints)) {
    check_.setInterval(settings_.checkMs);
    connect(&check_, &QTimer::timeout, this, &JanusServer::check);
    retry_.setSingleShot(true);
    connect(&retry_, &QTimer::timeout, this, &JanusServer::connectNow);
}

JanusServer::~JanusServer() {
    stop();
}

void JanusServer::stop() {
    check_.stop();
    retry_.stop();
    ++generation_;
    if (poll_)
        poll_->abort();
    if (!session_ || !handle_) {
        session_ = handle_ = 0;
        return;
    }
    // Its mountpoints (each with its secret), then its session; up to a second for each.
    QEventLoop loop;
    int waiting = 0;
    const auto awaitAnswers = [&] {
        if (waiting == 0)
            return;
        QTimer::singleShot(1000, &loop, &QEventLoop::quit);
        loop.exec();
    };
    const auto send = [&](const QString& path, QJsonObject body) {
        auto* reply = request(path, std::move(body), 1000);
        ++waiting;
        connect(reply, &QNetworkReply::finished, &loop, [&loop, &waiting, reply] {
            reply->deleteLater();
            if (--waiting == 0)
                loop.quit();
        });
    };
    const auto handlePath = QStringLiteral("/%1/%2").arg(session_).arg(handle_);
    for (const auto& m : mountpoints_.all())
        if (places_.value(m.id).present && !places_.value(m.id).adopted)
            send(handlePath,
                 {{"janus", "message"},
                  {"body",
                   QJsonObject{{"request", "destroy"}, {"id", m.id}, {"secret", m.secret}}}});
    awaitAnswers();
    waiting = 0;
    send("/" + QString::number(session_), {{"janus", "destroy"}});
    awaitAnswers();
    session_ = handle_ = 0;
    places_.clear();
    state_ = State::Down;
}

void JanusServer::start() {
    connectNow();
}

qint64 JanusServer::mountpointId(const QString& code) const {
    const auto* m = mountpoints_.byCode(code);
    if (!m || state_ != State::Live)
        return 0;
    const auto it = places_.constFind(m->id);
    return it != places_.constEnd() && it->present ? m->id : 0;
}

QString JanusServer::stateText() const {
    return QString::fromLatin1(toString(state_));
}

void JanusServer::problem(const QString& text) {
    lastProblem_ = text;
}

QNetworkReply* JanusServer::request(const QString& path, QJsonObject body, int timeoutMs) {
    body.insert("transaction", transaction());
    settings_.auth.addTo(body);
    QNetworkRequest request(QUrl(settings_.api.toString() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setTransferTimeout(timeoutMs);
    return network_.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void JanusServer::post(const QString& path, QJsonObject body, Handler onSuccess) {
    auto* reply = request(path, std::move(body), 2000);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, onSuccess, generation = generation_] {
                reply->deleteLater();
                if (generation != generation_)
                    return;
                const auto answer = QJsonDocument::fromJson(reply->readAll()).object();
                if (reply->error() != QNetworkReply::NoError ||
                    answer.value("janus").toString() == QStringLiteral("error")) {
                    goDown(answer.value("error").toObject().value("reason").toString(
                        reply->errorString()));
                    return;
                }
                onSuccess(answer);
            });
}

void JanusServer::message(const QJsonObject& body, Handler onData) {
    post(QStringLiteral("/%1/%2").arg(session_).arg(handle_),
         {{"janus", "message"}, {"body", body}}, [onData](const QJsonObject& answer) {
             onData(answer.value("plugindata").toObject().value("data").toObject());
         });
}

void JanusServer::connectNow() {
    ++generation_;
    session_ = handle_ = 0;
    if (state_ != State::Down)
        state_ = State::Connecting;
    post({}, {{"janus", "create"}}, [this](const QJsonObject& created) {
        session_ = created.value("data").toObject().value("id").toInteger();
        post("/" + QString::number(session_),
             {{"janus", "attach"}, {"plugin", "janus.plugin.streaming"}},
             [this](const QJsonObject& attached) {
                 handle_ = attached.value("data").toObject().value("id").toInteger();
                 state_ = State::Preparing;
                 for (auto& place : places_)
                     place = Place{};
                 poll();
                 check();
                 check_.start();
             });
    });
}

// The session's long poll: also its keep-alive. Janus answers an idle one after 30 s.
void JanusServer::poll() {
    QUrl url(settings_.api.toString() + "/" + QString::number(session_));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("maxev"), QStringLiteral("10"));
    settings_.auth.addTo(query);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(45000);
    poll_ = network_.get(request);
    connect(poll_, &QNetworkReply::finished, this,
            [this, reply = poll_.data(), generation = generation_] {
                reply->deleteLater();
                if (generation != generation_)
                    return;
                const auto document = QJsonDocument::fromJson(reply->readAll());
                if (reply->error() != QNetworkReply::NoError) {
                    goDown(QStringLiteral("the session's keep-alive failed: ") +
                           reply->errorString());
                    return;
                }
                if (document.object().value("janus").toString() == QStringLiteral("error")) {
                    goDown(QStringLiteral("the session is gone: ") +
                           document.object().value("error").toObject().value("reason").toString());
                    return;
                }
                poll();
            });
}

void JanusServer::check() {
    if (!handle_)
        return;
    for (const auto& m : mountpoints_.all())
        checkOne(m);
}

void JanusServer::checkOne(const Mountpoint& m) {
    message({{"request", "info"}, {"id", m.id}, {"secret", m.secret}},
            [this, m](const QJsonObject& data) {
                auto& place = places_[m.id];
                if (data.value("error_code").toInt() == kNoSuchMountpoint) {
                    const bool was = place.present;
                    place.present = place.adopted = false;
                    if (was)
                        problem(QStringLiteral("mountpoint %1 (%2) vanished; made again")
                                    .arg(m.id)
                                    .arg(m.code));
                    create(m);
                    settle();
                    return;
                }
                if (data.contains("error_code")) {
                    problem(data.value("error").toString());
                    return;
                }
                const auto info = data.value("info").toObject();
                place.present = info.value("secret").toString() == m.secret ||
                                info.value("description").toString() == m.description;
                place.adopted = place.present && !info.contains("secret");
                place.viewers = info.value("viewers").toInt();
                if (!place.present)
                    problem(QStringLiteral("mountpoint id %1 is taken by another (\"%2\"); change "
                                           "firstMountpointId")
                                .arg(m.id)
                                .arg(info.value("description").toString()));
                settle();
            });
}

void JanusServer::create(const Mountpoint& m) {
    auto& pending = places_[m.id];
    if (pending.creating)
        return;
    pending.creating = true;
    QJsonObject media{
        {"type", "audio"}, {"mid", "a"}, {"port", m.rtpPort}, {"pt", 96}, {"codec", "opus"}};
    if (!m.fmtp.isEmpty())
        media.insert("fmtp", m.fmtp);
    if (QHostAddress(settings_.rtpAddress).isMulticast())
        media.insert("mcast", settings_.rtpAddress);
    QJsonObject request{{"request", "create"},
                        {"type", "rtp"},
                        {"id", m.id},
                        {"name", QStringLiteral("dragoman-") + m.code},
                        {"description", m.description},
                        {"secret", m.secret},
                        {"is_private", false},
                        {"permanent", false},
                        {"media", QJsonArray{media}}};
    if (!settings_.adminKey.isEmpty())
        request.insert("admin_key", settings_.adminKey);
    message(request, [this, id = m.id, code = m.code](const QJsonObject& data) {
        auto& place = places_[id];
        place.creating = false;
        if (data.value("streaming").toString() == QStringLiteral("created")) {
            place.present = true;
            place.adopted = false;
            settle();
            return;
        }
        problem(QStringLiteral("cannot create mountpoint %1 (%2): %3")
                    .arg(id)
                    .arg(code, data.value("error").toString()));
    });
}

// Live once every mountpoint is in place; Preparing while one is missing.
void JanusServer::settle() {
    if (state_ != State::Preparing && state_ != State::Live)
        return;
    bool all = true;
    for (const auto& m : mountpoints_.all())
        all = all && places_.value(m.id).present;
    const auto next = all ? State::Live : State::Preparing;
    if (next == state_)
        return;
    state_ = next;
    Q_EMIT changed();
}

void JanusServer::goDown(const QString& reason) {
    const bool wasUp = state_ == State::Live || state_ == State::Preparing;
    ++generation_;
    check_.stop();
    if (poll_)
        poll_->abort();
    session_ = handle_ = 0;
    for (auto& place : places_)
        place = Place{};
    if (wasUp) {
        ++losses_;
        problem(reason);
    } else if (lastProblem_.isEmpty()) {
        problem(reason);
    }
    const bool changedState = state_ != State::Down;
    state_ = State::Down;
    retry_.start(settings_.retryMs);
    if (wasUp)
        Q_EMIT lost();
    if (changedState)
        Q_EMIT changed();
}

QJsonObject JanusServer::statusJson() const {
    QJsonArray mounts;
    int viewers = 0;
    for (const auto& m : mountpoints_.all()) {
        const auto place = places_.value(m.id);
        viewers += place.viewers;
        mounts.append(QJsonObject{{"channel", m.code},
                                  {"id", m.id},
                                  {"rtpPort", m.rtpPort},
                                  {"present", place.present},
                                  {"adopted", place.adopted},
                                  {"viewers", place.viewers}});
    }
    return {{"name", settings_.name},
            {"api", settings_.api.toString()},
            {"state", stateText()},
            {"rtpAddress", settings_.rtpAddress},
            {"viewers", viewers},
            {"losses", losses_},
            {"lastProblem", lastProblem_.isEmpty() ? QJsonValue() : QJsonValue(lastProblem_)},
            {"mountpoints", mounts}};
}

} // namespace dragoman::webrtc

// The listener's view of a Dragoman router: its channel list (GET /channels.json on the
// listeners' server) and channel subscriptions (GET /sdp/CODE.sdp?port=N, which has the router
// send the channel's RTP to this machine at port N for 60 s; asking again renews it). Replies
// are bounded: a channel list over 1 MiB or an SDP answer over 64 KiB is cut off.
//
// Thread contract: the Qt thread that owns it (signals are delivered there).
#pragma once

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QVector>

namespace dragoman::ui {

struct ChannelInfo {
    QString code;
    QString name;       // in English
    QString nativeName; // in its own language
    bool live = false;  // an interpreter is on air (the floor: always)
    QString tag;        // quality tag: "floor", "+", "-"
    int listeners = 0;
    quint16 rtpSourcePort = 0; // the router's RTP port (RTCP: + 1)

    bool operator==(const ChannelInfo&) const = default;
};

inline constexpr qsizetype kMaxChannelListBytes = 1024 * 1024; // /channels.json
inline constexpr qsizetype kMaxChannels = 256;
inline constexpr qint64 kMaxSdpBytes = 64 * 1024; // the answer to /sdp/CODE.sdp

// Parses /channels.json; an empty list and `error` set when it is not one. Bounded: at most
// kMaxChannelListBytes and kMaxChannels, names and codes of at most 200 characters, 8 levels
// of nesting, no duplicate keys (StrictJson.h); memory in proportion to the input.
QVector<ChannelInfo> parseChannelList(const QByteArray& json, QString* error);

class RouterClient : public QObject {
    Q_OBJECT

public:
    explicit RouterClient(QObject* parent = nullptr);

    // "http://HOST:PORT" (the router's --listen address); false when it is not an http URL.
    bool setRouter(const QUrl& url);
    QUrl router() const { return router_; }

    void refreshChannels();
    void subscribe(const QString& code, quint16 port);

Q_SIGNALS:
    void channelsReceived(const QVector<ChannelInfo>& channels);
    void channelsFailed(const QString& error);
    void subscribed(const QString& code, quint16 port);
    void subscribeFailed(const QString& code, const QString& error);

private:
    static void bound(QNetworkReply* reply, qint64 limit);

    QNetworkAccessManager network_;
    QUrl router_;
};

} // namespace dragoman::ui

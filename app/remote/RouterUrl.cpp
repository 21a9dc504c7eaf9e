#include "remote/RouterUrl.h"

namespace dragoman::remote {

std::optional<QUrl> webSocketUrl(const QString& router, QString* error) {
    const auto fail = [error](const QString& why) -> std::optional<QUrl> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QUrl url(router, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty())
        return fail(QStringLiteral("\"%1\" is no address such as http://HOST:8470").arg(router));
    if (scheme == QLatin1String("http") || scheme == QLatin1String("ws"))
        url.setScheme(QStringLiteral("ws"));
    else if (scheme == QLatin1String("https") || scheme == QLatin1String("wss"))
        url.setScheme(QStringLiteral("wss"));
    else
        return fail(QStringLiteral("\"%1\": the router's address starts with http:// or https://")
                        .arg(router));
    if (!url.userInfo().isEmpty())
        return fail(QStringLiteral("the token is not part of the address: set DRAGOMAN_TOKEN or "
                                   "give --token-file FILE"));
    const bool webSocket = scheme.startsWith(QLatin1String("ws"));
    if (!webSocket || url.path().isEmpty() || url.path() == QLatin1String("/"))
        url.setPath(QStringLiteral("/api/ws"));
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

} // namespace dragoman::remote

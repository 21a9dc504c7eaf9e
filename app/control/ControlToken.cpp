#include "control/ControlToken.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <stdexcept>

namespace dragoman::control {

QString resolveToken(const venue::Venue& venue) {
    const QString fromEnvironment = qEnvironmentVariable("DRAGOMAN_TOKEN");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    if (const QString credentials = qEnvironmentVariable("CREDENTIALS_DIRECTORY");
        !credentials.isEmpty()) {
        QFile file(QDir(credentials).filePath(QStringLiteral("token")));
        if (file.exists()) {
            if (!file.open(QIODevice::ReadOnly))
                throw std::runtime_error("control token: cannot read " +
                                         file.fileName().toStdString() + ": " +
                                         file.errorString().toStdString());
            const QString token = QString::fromUtf8(file.readAll()).trimmed();
            if (!token.isEmpty())
                return token;
        }
    }
    return QString::fromStdString(venue.control.token);
}

QString tokenProblem(const QString& token) {
    if (token.isEmpty())
        return {};
    for (const QChar c : token)
        if (c.unicode() < u'!' || c.unicode() > u'~')
            return QStringLiteral("the control token may only hold printable ASCII characters "
                                  "without spaces (it is sent in an HTTP header)");
    if (static_cast<std::size_t>(token.size()) < venue::ControlSettings::kMinTokenLength)
        return QStringLiteral("the control token has %1 characters; use at least %2 (for "
                              "example: openssl rand -hex 16)")
            .arg(token.size())
            .arg(venue::ControlSettings::kMinTokenLength);
    return {};
}

bool tokensMatch(QByteArrayView presented, QByteArrayView expected) {
    if (expected.isEmpty())
        return false; // no token configured: nothing matches
    const QByteArray a = QCryptographicHash::hash(presented, QCryptographicHash::Sha256);
    const QByteArray b = QCryptographicHash::hash(expected, QCryptographicHash::Sha256);
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

bool bearerMatches(QByteArrayView authorization, QByteArrayView expected) {
    authorization = authorization.trimmed();
    constexpr QByteArrayView kScheme = "bearer ";
    if (authorization.size() <= kScheme.size() ||
        authorization.first(kScheme.size()).compare(kScheme, Qt::CaseInsensitive) != 0)
        return false;
    return tokensMatch(authorization.sliced(kScheme.size()).trimmed(), expected);
}

} // namespace dragoman::control

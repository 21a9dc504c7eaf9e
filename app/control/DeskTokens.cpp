#include "control/DeskTokens.h"

#include "control/ControlToken.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QSaveFile>

namespace dragoman::control {

DeskTokens::DeskTokens(const venue::Venue& venue, QByteArray technicianToken, QString file,
                       QString* problem)
    : venue_(venue)
    , technician_(std::move(technicianToken))
    , file_(std::move(file))
    , generation_(static_cast<std::size_t>(venue.deskCount()), 0) {
    if (QFile in(file_); !file_.isEmpty() && in.exists()) {
        QJsonParseError parse{};
        const QJsonDocument doc = in.open(QIODevice::ReadOnly)
                                      ? QJsonDocument::fromJson(in.readAll(), &parse)
                                      : QJsonDocument();
        if (!doc.isObject() && problem)
            *problem = file_ + ": not a JSON object of desk generations; revoked desk tokens "
                               "are valid again";
        const QJsonObject generations = doc.object();
        for (auto it = generations.begin(); it != generations.end(); ++it) {
            const auto desk = venue_.deskIndex(it.key().toStdString());
            if (desk && it.value().isDouble() && it.value().toInteger() >= 0)
                generation_[static_cast<std::size_t>(*desk)] =
                    static_cast<unsigned>(it.value().toInteger());
            else if (problem)
                *problem = file_ + ": $." + it.key() +
                           ": not a desk of this venue with a "
                           "generation (a whole number)";
        }
    }
    tokens_.reserve(generation_.size());
    for (int d = 0; d < deskCount(); ++d)
        tokens_.push_back(derive(d));
}

QByteArray DeskTokens::derive(int flatDesk) const {
    if (technician_.isEmpty())
        return {};
    const QByteArray message = "dragoman desk " +
                               QByteArray::fromStdString(venue_.deskId(flatDesk)) + ' ' +
                               QByteArray::number(generation_[static_cast<std::size_t>(flatDesk)]);
    return QMessageAuthenticationCode::hash(message, technician_, QCryptographicHash::Sha256)
        .toHex()
        .left(32);
}

QByteArray DeskTokens::token(int flatDesk) const {
    if (flatDesk < 0 || flatDesk >= deskCount())
        return {};
    return tokens_[static_cast<std::size_t>(flatDesk)];
}

int DeskTokens::deskFor(QByteArrayView presented) const {
    int found = -1;
    for (int d = 0; d < deskCount(); ++d) {
        const bool match = tokensMatch(presented, tokens_[static_cast<std::size_t>(d)]);
        found = match ? d : found; // every desk is compared, whichever matches
    }
    return found;
}

bool DeskTokens::revoke(int flatDesk, QString* error) {
    if (flatDesk < 0 || flatDesk >= deskCount())
        return true;
    ++generation_[static_cast<std::size_t>(flatDesk)];
    tokens_[static_cast<std::size_t>(flatDesk)] = derive(flatDesk);
    return save(error);
}

bool DeskTokens::save(QString* error) const {
    if (file_.isEmpty())
        return true;
    QJsonObject generations;
    for (int d = 0; d < deskCount(); ++d)
        if (const unsigned g = generation_[static_cast<std::size_t>(d)]; g > 0)
            generations.insert(QString::fromStdString(venue_.deskId(d)), static_cast<qint64>(g));
    QDir().mkpath(QFileInfo(file_).absolutePath());
    QSaveFile out(file_);
    if (out.open(QIODevice::WriteOnly) && out.write(QJsonDocument(generations).toJson()) >= 0 &&
        out.commit())
        return true;
    if (error)
        *error = file_ + ": " + out.errorString();
    return false;
}

} // namespace dragoman::control

#include "control/DeskTokens.h"

#include "control/ControlToken.h"

#include <QMessageAuthenticationCode>

namespace dragoman::control {

DeskTokens::DeskTokens(const venue::Venue& venue, QByteArray technicianToken)
    : venue_(venue)
    , technician_(std::move(technicianToken))
    , generation_(static_cast<std::size_t>(venue.deskCount()), 0) {
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

void DeskTokens::revoke(int flatDesk) {
    if (flatDesk < 0 || flatDesk >= deskCount())
        return;
    ++generation_[static_cast<std::size_t>(flatDesk)];
    tokens_[static_cast<std::size_t>(flatDesk)] = derive(flatDesk);
}

} // namespace dragoman::control

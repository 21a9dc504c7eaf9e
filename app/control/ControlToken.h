// The bearer token that guards every write to the HTTP control API: where it comes from and
// how a presented token is checked.
//
// Thread contract: plain functions; any thread (resolveToken reads the environment).
#pragma once

#include "venue/Venue.h"

#include <QByteArrayView>
#include <QString>

namespace dragoman::control {

// The token writes must present: the DRAGOMAN_TOKEN environment variable when it is set and
// not empty, else the venue's control.token; "" = none (the API is read-only).
QString resolveToken(const venue::Venue& venue);

// "" when `token` may guard the API (none, or at least venue::ControlSettings::kMinTokenLength
// printable ASCII characters without spaces); otherwise what is wrong with it.
QString tokenProblem(const QString& token);

// Compares a presented token with the expected one in time that does not depend on where they
// differ (both are hashed first, so not even their lengths leak through timing).
bool tokensMatch(QByteArrayView presented, QByteArrayView expected);

} // namespace dragoman::control

// The bearer token that guards every write to the HTTP control API: where it comes from and
// how a presented token is checked.
//
// Thread contract: plain functions; any thread (resolveToken reads the environment and a file).
#pragma once

#include "venue/Venue.h"

#include <QByteArrayView>
#include <QString>

namespace dragoman::control {

// The token writes must present, from the first of these that gives one:
//  - the DRAGOMAN_TOKEN environment variable, when set and not empty;
//  - the file "token" in $CREDENTIALS_DIRECTORY (systemd's LoadCredential=token:FILE, so the
//    token is on neither the command line nor in the unit), trailing white space dropped;
//  - the venue's control.token.
// "" = none (the API is read-only). Throws std::runtime_error naming the file when the
// credential exists but cannot be read.
QString resolveToken(const venue::Venue& venue);

// "" when `token` may guard the API (none, or at least venue::ControlSettings::kMinTokenLength
// printable ASCII characters without spaces); otherwise what is wrong with it.
QString tokenProblem(const QString& token);

// Compares a presented token with the expected one in time that does not depend on where they
// differ (both are hashed first, so not even their lengths leak through timing).
bool tokensMatch(QByteArrayView presented, QByteArrayView expected);

// Whether an Authorization header value reads "Bearer TOKEN" (the scheme in any case) with
// the expected token; false when `expected` is empty.
bool bearerMatches(QByteArrayView authorization, QByteArrayView expected);

} // namespace dragoman::control

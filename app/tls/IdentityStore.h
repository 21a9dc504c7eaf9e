// The self-signed certificate kept between runs: made on the first start that needs TLS and
// no venue certificate, kept in FOLDER/certificate.pem and FOLDER/key.pem (the key readable by
// this user alone: mode 0600, the folder 0700; each file written whole to a temporary file and
// renamed over the old, so a crash never leaves half a key), and reused on later starts, so
// the fingerprint people have accepted on their tablets stays the same. A new one is made
// only when the kept one cannot be read, does not match its key, or expires within 30 days.
//
//   Identity id = selfSignedIdentity(QStandardPaths::writableLocation(AppDataLocation) + "/tls");
//
// Thread contract: any thread; reads and writes files. Throws std::runtime_error naming the
// file when the folder or a file cannot be written.
#pragma once

#include "tls/Identity.h"

#include <QDateTime>
#include <QString>

namespace dragoman::tls {

inline constexpr int kSelfSignedDays = 825; // what browsers accept of a trusted certificate
inline constexpr int kRenewDays = 30;

// `why`: set to the reason when a kept certificate was replaced ("" otherwise).
Identity selfSignedIdentity(const QString& folder, QString* why = nullptr,
                            const QDateTime& now = QDateTime::currentDateTimeUtc());

// Writes `bytes` to `file` with `mode` through a temporary file in the same folder that is
// synced and renamed over it. Throws std::runtime_error naming the file.
void writeFileAtomically(const QString& file, const QByteArray& bytes, int mode);

} // namespace dragoman::tls

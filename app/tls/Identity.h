// The router's TLS identity: the one certificate (with its chain) and private key that the
// control port and the listeners' port both present, where it came from, and its SHA-256
// fingerprint, which people compare with what their browser or tablet shows.
//
//   Identity id = loadIdentity("venue.crt", "venue.key");   // the venue's own
//   server.setTls(mode, id.serverConfiguration());
//
// Thread contract: any thread; allocates.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>
#include <stdexcept>

namespace dragoman::tls {

// A certificate or key file that cannot serve: which of the two ("certificate" or "key", the
// venue file's keys) and what is wrong, e.g. "cannot read /etc/venue.key: Permission denied".
class FileError : public std::runtime_error {
public:
    FileError(QString field, const QString& problem)
        : std::runtime_error(problem.toStdString())
        , field_(std::move(field)) {}
    const QString& field() const { return field_; }

private:
    QString field_;
};

struct Identity {
    enum class Source { Venue, SelfSigned };

    QSslCertificate certificate;  // the router's own
    QList<QSslCertificate> chain; // intermediates that follow it in the file
    QSslKey key;
    Source source = Source::SelfSigned;
    QString certificateFile;
    QString keyFile;
    bool madeNow = false; // a self-signed certificate made on this start

    bool isNull() const { return certificate.isNull() || key.isNull(); }
    // "AB:12:…" (32 bytes as upper-case hex pairs): the certificate's SHA-256 fingerprint.
    QString fingerprint() const;
    // For a server: this certificate, chain and key, TLS 1.2 or later, no client certificates.
    QSslConfiguration serverConfiguration() const;
    // {"source": "venue"|"self-signed", "fingerprintSha256", "subject", "names": [...],
    //  "expires": ISO 8601, "certificate": FILE}: for /api/state.
    QJsonObject json() const;
};

// Reads a PEM certificate (the router's first, then any intermediates) and its PEM private key
// (RSA or EC, unencrypted). Throws FileError when a file cannot be read, is not PEM, the key is
// encrypted or does not belong to the certificate, or the certificate has expired or is not
// valid yet (`now`).
Identity loadIdentity(const QString& certificateFile, const QString& keyFile,
                      const QDateTime& now = QDateTime::currentDateTimeUtc());

// The same from bytes already read; `certificateName` and `keyName` only name them in errors.
Identity identityFromPem(const QByteArray& certificatePem, const QByteArray& keyPem,
                         const QString& certificateName, const QString& keyName,
                         const QDateTime& now = QDateTime::currentDateTimeUtc());

} // namespace dragoman::tls

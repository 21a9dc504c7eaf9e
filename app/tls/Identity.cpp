#include "tls/Identity.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QSslCertificateExtension>
#include <memory>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace dragoman::tls {

namespace {

constexpr qint64 kMaxPemBytes = 1024 * 1024;

struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};

QByteArray readPem(const QString& field, const QString& file) {
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        throw FileError(field, QStringLiteral("cannot read %1: %2").arg(file, in.errorString()));
    if (in.size() > kMaxPemBytes)
        throw FileError(field, QStringLiteral("%1 is over %2 bytes: not a PEM %3")
                                   .arg(file)
                                   .arg(kMaxPemBytes)
                                   .arg(field));
    return in.readAll();
}

// Nothing OpenSSL queued up from a failed parse must show in a later, unrelated error.
int clearErrors(int result) {
    ERR_clear_error();
    return result;
}

} // namespace

QString Identity::fingerprint() const {
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

QSslConfiguration Identity::serverConfiguration() const {
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(QList<QSslCertificate>{certificate} + chain);
    config.setPrivateKey(key);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // clients carry no certificates
    return config;
}

QJsonObject Identity::json() const {
    QJsonArray names;
    const auto alternatives = certificate.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it)
        names.append(it.value());
    return {{"source", source == Source::Venue ? "venue" : "self-signed"},
            {"fingerprintSha256", fingerprint()},
            {"subject", certificate.subjectDisplayName()},
            {"names", names},
            {"expires", certificate.expiryDate().toUTC().toString(Qt::ISODate)},
            {"certificate", certificateFile}};
}

Identity identityFromPem(const QByteArray& certificatePem, const QByteArray& keyPem,
                         const QString& certificateName, const QString& keyName,
                         const QDateTime& now) {
    const auto certificates = QSslCertificate::fromData(certificatePem, QSsl::Pem);
    if (certificates.isEmpty() || certificates.front().isNull())
        throw FileError(QStringLiteral("certificate"),
                        QStringLiteral("%1 holds no PEM certificate (\"-----BEGIN "
                                       "CERTIFICATE-----\")")
                            .arg(certificateName));
    if (keyPem.contains("ENCRYPTED"))
        throw FileError(QStringLiteral("key"),
                        QStringLiteral("%1 is encrypted; Dragoman starts unattended and needs it "
                                       "without a passphrase (openssl pkey -in KEY -out "
                                       "PLAIN.key), readable only by its user")
                            .arg(keyName));

    // OpenSSL reads the key whatever its type, and says whether it matches the certificate.
    const std::unique_ptr<BIO, BioFree> keyBio(
        BIO_new_mem_buf(keyPem.constData(), static_cast<int>(keyPem.size())));
    const std::unique_ptr<EVP_PKEY, KeyFree> key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    clearErrors(0);
    if (!key)
        throw FileError(QStringLiteral("key"),
                        QStringLiteral("%1 holds no PEM private key (\"-----BEGIN PRIVATE "
                                       "KEY-----\")")
                            .arg(keyName));
    QSsl::KeyAlgorithm algorithm = QSsl::Opaque;
    switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
        algorithm = QSsl::Rsa;
        break;
    case EVP_PKEY_EC:
        algorithm = QSsl::Ec;
        break;
    default:
        throw FileError(
            QStringLiteral("key"),
            QStringLiteral("%1 is a %2 key; Dragoman serves RSA and EC keys")
                .arg(keyName, QString::fromLatin1(OBJ_nid2sn(EVP_PKEY_get_base_id(key.get())))));
    }
    const QByteArray leafDer = certificates.front().toDer();
    const auto* der = reinterpret_cast<const unsigned char*>(leafDer.constData());
    const std::unique_ptr<X509, X509Free> leaf(d2i_X509(nullptr, &der, leafDer.size()));
    if (!leaf || clearErrors(X509_check_private_key(leaf.get(), key.get())) != 1)
        throw FileError(QStringLiteral("key"),
                        QStringLiteral("%1 is not the key of the certificate in %2")
                            .arg(keyName, certificateName));

    Identity identity;
    identity.certificate = certificates.front();
    identity.chain = certificates.mid(1);
    identity.key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
    if (identity.key.isNull())
        throw FileError(QStringLiteral("key"),
                        QStringLiteral("%1: Qt cannot read this key").arg(keyName));
    const auto& c = identity.certificate;
    if (c.expiryDate() < now)
        throw FileError(QStringLiteral("certificate"),
                        QStringLiteral("the certificate in %1 expired on %2")
                            .arg(certificateName, c.expiryDate().toUTC().toString(Qt::ISODate)));
    if (c.effectiveDate() > now)
        throw FileError(QStringLiteral("certificate"),
                        QStringLiteral("the certificate in %1 is not valid before %2 (is the "
                                       "clock right?)")
                            .arg(certificateName, c.effectiveDate().toUTC().toString(Qt::ISODate)));
    return identity;
}

Identity loadIdentity(const QString& certificateFile, const QString& keyFile,
                      const QDateTime& now) {
    Identity identity =
        identityFromPem(readPem(QStringLiteral("certificate"), certificateFile),
                        readPem(QStringLiteral("key"), keyFile), certificateFile, keyFile, now);
    identity.certificateFile = certificateFile;
    identity.keyFile = keyFile;
    return identity;
}

} // namespace dragoman::tls

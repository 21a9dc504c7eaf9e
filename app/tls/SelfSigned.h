// A self-signed certificate for this machine, made with OpenSSL's libcrypto (Qt reads
// certificates but cannot make them): an ECDSA P-256 key, SHA-256 signature, subject
// "CN=HOST, O=Dragoman", and as subject alternative names the host name, "localhost" and
// every address given (browsers match the address a listener typed or scanned against these).
// Not a CA: basicConstraints CA:FALSE, extendedKeyUsage serverAuth.
//
// Thread contract: any thread; allocates. Throws std::runtime_error when OpenSSL fails.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>

namespace dragoman::tls {

struct SelfSignedPem {
    QByteArray certificate; // "-----BEGIN CERTIFICATE-----..."
    QByteArray key;         // "-----BEGIN PRIVATE KEY-----..." (PKCS #8, unencrypted)
};

// Valid from an hour ago (clocks that lag) for `days`.
SelfSignedPem makeSelfSigned(const QString& hostName, const QList<QHostAddress>& addresses,
                             int days);

// This machine's addresses for the certificate: loopback and every address of an interface
// that is up (IPv6 link-local ones left out: a browser cannot use them in a URL).
QList<QHostAddress> machineAddresses();

} // namespace dragoman::tls

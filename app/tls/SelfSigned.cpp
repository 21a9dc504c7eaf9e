#include "tls/SelfSigned.h"

#include <QNetworkInterface>
#include <QStringList>
#include <memory>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdexcept>
#include <string>

namespace dragoman::tls {

namespace {

template <typename T, void (*Free)(T*)> struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using Number = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
void freeBio(BIO* bio) {
    BIO_free(bio);
}
using Bio = std::unique_ptr<BIO, Deleter<BIO, freeBio>>;

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("cannot make the self-signed certificate: ") + what);
}

void addExtension(X509* certificate, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    const Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
    if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1)
        fail(OBJ_nid2sn(nid));
}

QByteArray pem(const Bio& bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, static_cast<qsizetype>(size));
}

} // namespace

SelfSignedPem makeSelfSigned(const QString& hostName, const QList<QHostAddress>& addresses,
                             int days) {
    const Key key(EVP_EC_gen("P-256"));
    const Certificate certificate(X509_new());
    if (!key || !certificate)
        fail("no key");
    X509_set_version(certificate.get(), 2); // v3: extensions
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        fail("no random serial number");
    serial[0] &= 0x7f; // positive
    const Number number(BN_bin2bn(serial, sizeof serial, nullptr));
    if (!number || !BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(certificate.get())))
        fail("serial number");
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), static_cast<long>(days) * 86400);
    X509_set_pubkey(certificate.get(), key.get());

    const QByteArray host = (hostName.isEmpty() ? QStringLiteral("localhost") : hostName).toUtf8();
    X509_NAME* name = X509_get_subject_name(certificate.get());
    const auto text = [](const char* s) { return reinterpret_cast<const unsigned char*>(s); };
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, text("Dragoman"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, text(host.constData()), -1, -1, 0);
    X509_set_issuer_name(certificate.get(), name);

    QStringList names{QStringLiteral("DNS:") + QString::fromUtf8(host)};
    if (host != "localhost")
        names << QStringLiteral("DNS:localhost");
    for (const auto& address : addresses)
        names << QStringLiteral("IP:") + address.toString();
    names.removeDuplicates();
    addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
    addExtension(certificate.get(), NID_ext_key_usage, "serverAuth");
    addExtension(certificate.get(), NID_subject_key_identifier, "hash");
    addExtension(certificate.get(), NID_subject_alt_name, names.join(',').toStdString());
    if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0)
        fail("signature");

    const Bio certificateBio(BIO_new(BIO_s_mem()));
    const Bio keyBio(BIO_new(BIO_s_mem()));
    if (!certificateBio || !keyBio ||
        PEM_write_bio_X509(certificateBio.get(), certificate.get()) != 1 ||
        PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
            1)
        fail("PEM");
    return {pem(certificateBio), pem(keyBio)};
}

QList<QHostAddress> machineAddresses() {
    QList<QHostAddress> addresses{QHostAddress(QHostAddress::LocalHost),
                                  QHostAddress(QHostAddress::LocalHostIPv6)};
    for (const auto& interface : QNetworkInterface::allInterfaces()) {
        if (!interface.flags().testFlag(QNetworkInterface::IsUp))
            continue;
        for (const auto& entry : interface.addressEntries()) {
            QHostAddress ip = entry.ip();
            if (ip.isLinkLocal())
                continue;
            ip.setScopeId({});
            if (!addresses.contains(ip))
                addresses << ip;
        }
    }
    return addresses;
}

} // namespace dragoman::tls

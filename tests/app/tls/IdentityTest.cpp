// The router's certificate (app/tls): the self-signed one made, kept with its key private and
// reused, and replaced when damaged; the venue's own read and refused with a reason when it
// cannot serve.
#include "tls/Identity.h"

#include "tls/IdentityStore.h"
#include "tls/SelfSigned.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <catch2/catch.hpp>
#include <sys/stat.h>

using namespace dragoman;
using Catch::Matchers::Contains;

namespace {

void write(const QString& file, const QByteArray& bytes) {
    QFile out(file);
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write(bytes);
}

int modeOf(const QString& path) {
    struct stat st {};
    REQUIRE(::stat(QFile::encodeName(path).constData(), &st) == 0);
    return static_cast<int>(st.st_mode & 0777);
}

} // namespace

TEST_CASE("The self-signed certificate is made once, kept private and reused") {
    QTemporaryDir root;
    const QString folder = root.path() + "/data/tls";
    const auto first = tls::selfSignedIdentity(folder);
    CHECK(first.madeNow);
    CHECK(first.source == tls::Identity::Source::SelfSigned);
    CHECK(first.fingerprint().size() == 32 * 3 - 1);
    CHECK(modeOf(folder + "/key.pem") == 0600);
    CHECK(modeOf(folder) == 0700);
    CHECK_FALSE(QFile::exists(folder + "/key.pem.new"));
    const auto names = first.certificate.subjectAlternativeNames();
    CHECK(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
    CHECK(names.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
    CHECK(first.certificate.expiryDate() >
          QDateTime::currentDateTimeUtc().addDays(tls::kSelfSignedDays - 1));

    const auto second = tls::selfSignedIdentity(folder);
    CHECK_FALSE(second.madeNow);
    CHECK(second.fingerprint() == first.fingerprint());
    CHECK(second.key == first.key);
}

TEST_CASE("A damaged or expiring kept certificate is replaced, saying why") {
    QTemporaryDir root;
    const QString folder = root.path() + "/tls";
    const auto first = tls::selfSignedIdentity(folder);
    QString why;

    // Near its end: a new one.
    const auto late = QDateTime::currentDateTimeUtc().addDays(tls::kSelfSignedDays - 10);
    const auto renewed = tls::selfSignedIdentity(folder, &why, late);
    CHECK(renewed.madeNow);
    CHECK(renewed.fingerprint() != first.fingerprint());
    CHECK_THAT(why.toStdString(), Contains("expires on"));

    write(folder + "/certificate.pem", "-----BEGIN CERTIFICATE-----\nnonsense\n");
    const auto replaced = tls::selfSignedIdentity(folder, &why);
    CHECK(replaced.madeNow);
    CHECK_THAT(why.toStdString(), Contains("holds no PEM certificate"));
    CHECK(tls::selfSignedIdentity(folder).fingerprint() == replaced.fingerprint());
}

TEST_CASE("A venue certificate that cannot serve is refused naming the file and the problem") {
    QTemporaryDir root;
    const auto a = tls::makeSelfSigned("a.example", {}, 30);
    const auto b = tls::makeSelfSigned("b.example", {}, 30);
    const QString cert = root.filePath("venue.crt");
    const QString key = root.filePath("venue.key");
    const QString otherKey = root.filePath("other.key");
    const QString garbage = root.filePath("garbage.pem");
    const QString encrypted = root.filePath("encrypted.key");
    write(cert, a.certificate);
    write(key, a.key);
    write(otherKey, b.key);
    write(garbage, "not a certificate\n");
    write(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE "
                     "KEY-----\n");

    const auto venue = tls::loadIdentity(cert, key);
    CHECK(venue.certificate.subjectInfo(QSslCertificate::CommonName).front() == "a.example");

    struct Row {
        const char* what;
        QString certificate, key;
        QString field;
        std::string problem;
        QDateTime now = QDateTime::currentDateTimeUtc();
    };
    const std::vector<Row> rows{
        {"no such file", root.filePath("missing.crt"), key, "certificate", "cannot read"},
        {"not PEM", garbage, key, "certificate", "holds no PEM certificate"},
        {"a key that is not a key", cert, garbage, "key", "holds no PEM private key"},
        {"another certificate's key", cert, otherKey, "key", "is not the key of the certificate"},
        {"an encrypted key", cert, encrypted, "key", "is encrypted"},
        {"expired", cert, key, "certificate", "expired on",
         QDateTime::currentDateTimeUtc().addDays(40)},
    };
    for (const auto& row : rows) {
        SECTION(row.what) {
            try {
                tls::loadIdentity(row.certificate, row.key, row.now);
                FAIL("accepted");
            } catch (const tls::FileError& error) {
                CHECK(error.field() == row.field);
                CHECK_THAT(error.what(), Contains(row.problem));
                const QString named = row.field == "certificate" ? row.certificate : row.key;
                CHECK_THAT(error.what(), Contains(named.toStdString()));
            }
        }
    }
}

#include "tls/IdentityStore.h"

#include "tls/SelfSigned.h"

#include <QDir>
#include <QFile>
#include <QHostInfo>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace dragoman::tls {

namespace {

[[noreturn]] void failOn(const QString& file, const char* what) {
    throw std::runtime_error(
        QStringLiteral("cannot %1 %2: %3")
            .arg(QString::fromLatin1(what), file, QString::fromLocal8Bit(std::strerror(errno)))
            .toStdString());
}

} // namespace

void writeFileAtomically(const QString& file, const QByteArray& bytes, int mode) {
    const QByteArray path = QFile::encodeName(file);
    const QByteArray temporary = path + ".new";
    const int fd = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                          static_cast<mode_t>(mode));
    if (fd < 0)
        failOn(file + QStringLiteral(".new"), "create");
    // An old temporary file kept its mode through O_TRUNC: set it again.
    bool ok = ::fchmod(fd, static_cast<mode_t>(mode)) == 0;
    qsizetype written = 0;
    while (ok && written < bytes.size()) {
        const ssize_t n =
            ::write(fd, bytes.constData() + written, static_cast<size_t>(bytes.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        written += n > 0 ? n : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    const int savedErrno = errno;
    ::close(fd);
    errno = savedErrno;
    if (!ok) {
        ::unlink(temporary.constData());
        failOn(file, "write");
    }
    if (::rename(temporary.constData(), path.constData()) != 0) {
        ::unlink(temporary.constData());
        failOn(file, "replace");
    }
}

Identity selfSignedIdentity(const QString& folder, QString* why, const QDateTime& now) {
    const QString certificateFile = QDir(folder).filePath(QStringLiteral("certificate.pem"));
    const QString keyFile = QDir(folder).filePath(QStringLiteral("key.pem"));
    if (why)
        why->clear();
    if (QFile::exists(certificateFile) || QFile::exists(keyFile)) {
        try {
            Identity kept = loadIdentity(certificateFile, keyFile, now);
            if (kept.certificate.expiryDate() > now.addDays(kRenewDays)) {
                kept.source = Identity::Source::SelfSigned;
                return kept;
            }
            if (why)
                *why = QStringLiteral("the kept certificate expires on %1")
                           .arg(kept.certificate.expiryDate().toUTC().toString(Qt::ISODate));
        } catch (const FileError& error) {
            if (why)
                *why = QString::fromStdString(error.what());
        }
    }

    if (!QDir().mkpath(folder))
        failOn(folder, "create the folder");
    ::chmod(QFile::encodeName(folder).constData(), 0700);
    const SelfSignedPem pem =
        makeSelfSigned(QHostInfo::localHostName(), machineAddresses(), kSelfSignedDays);
    // The key first: a crash between the two leaves a pair that does not match, which the next
    // start replaces, never a certificate whose key is lost.
    writeFileAtomically(keyFile, pem.key, 0600);
    writeFileAtomically(certificateFile, pem.certificate, 0644);
    Identity made = identityFromPem(pem.certificate, pem.key, certificateFile, keyFile, now);
    made.certificateFile = certificateFile;
    made.keyFile = keyFile;
    made.source = Identity::Source::SelfSigned;
    made.madeNow = true;
    return made;
}

} // namespace dragoman::tls

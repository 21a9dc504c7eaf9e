#include "router/RouterTls.h"

#include "control/Access.h"
#include "tls/IdentityStore.h"
#include "venue/VenueError.h"
#include "venue/VenueTls.h"

#include <QStandardPaths>

namespace dragoman::router {

std::unique_ptr<tls::Identity> loadIdentity(const RouterOptions& options, QString* note) {
    venue::TlsFiles files;
    try {
        files = venue::readTlsFiles(options.venue);
    } catch (const std::exception& error) {
        throw RouterError(error.what());
    }
    const bool needed = options.listen || !control::isLoopback(options.httpAddress);
    if (!needed && !files.configured())
        return nullptr;
    if (files.configured()) {
        std::unique_ptr<tls::Identity> identity;
        try {
            identity = std::make_unique<tls::Identity>(
                tls::loadIdentity(QString::fromStdString(files.certificate.string()),
                                  QString::fromStdString(files.key.string())));
        } catch (const tls::FileError& error) {
            throw RouterError(venue::VenueError(options.venue.string(),
                                                "$.tls." + error.field().toStdString(),
                                                error.what())
                                  .what());
        }
        identity->source = tls::Identity::Source::Venue;
        return identity;
    }
    QString folder = QString::fromStdString(options.tlsFolder.string());
    if (folder.isEmpty())
        folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                 QStringLiteral("/tls");
    try {
        return std::make_unique<tls::Identity>(tls::selfSignedIdentity(folder, note));
    } catch (const std::exception& error) {
        throw RouterError(std::string("TLS: ") + error.what());
    }
}

} // namespace dragoman::router

// Where the control token comes from: the environment, a systemd credential, the venue.
#include "control/ControlToken.h"

#include "support/TiranaVenue.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

using namespace dragoman;
using Catch::Matchers::Contains;

namespace {

// Sets an environment variable for the scope and restores its absence after.
struct ScopedEnvironment {
    ScopedEnvironment(const char* name, const QByteArray& value)
        : name_(name) {
        qputenv(name_, value);
    }
    ~ScopedEnvironment() { qunsetenv(name_); }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    const char* name_;
};

void writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    REQUIRE(file.write(content) == content.size());
}

} // namespace

TEST_CASE("The token in $CREDENTIALS_DIRECTORY/token comes after DRAGOMAN_TOKEN and before the "
          "venue's") {
    qunsetenv("DRAGOMAN_TOKEN");
    auto venue = test::tiranaVenue();
    venue.control.token = "venue-token-0123456789";
    QTemporaryDir credentials;
    REQUIRE(credentials.isValid());
    const QString tokenFile = QDir(credentials.path()).filePath(QStringLiteral("token"));
    ScopedEnvironment directory("CREDENTIALS_DIRECTORY", credentials.path().toUtf8());

    struct Case {
        const char* name;
        const char* file;        // the credential file's content; nullptr = no file
        const char* environment; // DRAGOMAN_TOKEN; nullptr = unset
        const char* expected;
    };
    const Case cases[] = {
        {"no credential file: the venue's", nullptr, nullptr, "venue-token-0123456789"},
        {"the credential, its line end dropped", "credential-token-0123456789\n", nullptr,
         "credential-token-0123456789"},
        {"an empty credential: the venue's", "\n", nullptr, "venue-token-0123456789"},
        {"DRAGOMAN_TOKEN over the credential", "credential-token-0123456789",
         "environment-token-0123456789", "environment-token-0123456789"},
    };
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.name) {
            QFile::remove(tokenFile);
            if (c.file != nullptr)
                writeFile(tokenFile, c.file);
            if (c.environment != nullptr)
                qputenv("DRAGOMAN_TOKEN", c.environment);
            else
                qunsetenv("DRAGOMAN_TOKEN");
            CHECK(control::resolveToken(venue) == QString::fromUtf8(c.expected));
            qunsetenv("DRAGOMAN_TOKEN");
        }
    }

    SECTION("a credential that cannot be read is an error naming the file") {
        // A folder where the file should be: exists, but cannot be read as one.
        REQUIRE(QDir(credentials.path()).mkdir(QStringLiteral("token")));
        try {
            control::resolveToken(venue);
            FAIL("no error");
        } catch (const std::runtime_error& error) {
            CHECK_THAT(error.what(), Contains(tokenFile.toStdString()));
        }
    }
}

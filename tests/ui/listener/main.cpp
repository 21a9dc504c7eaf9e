// The listener UI tests' own Catch2 runner: a QApplication (offscreen) has to exist before any
// test makes a widget, a timer or a network request.
#define CATCH_CONFIG_RUNNER
#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>
#include <catch2/catch.hpp>
#include <cstdlib>

int main(int argc, char** argv) {
    QTemporaryDir runtime(QDir::tempPath() + "/dragoman-listener-test-XXXXXX");
    ::setenv("XDG_RUNTIME_DIR", runtime.path().toLocal8Bit().constData(), 1);
    ::setenv("XDG_CONFIG_HOME", runtime.path().toLocal8Bit().constData(), 1); // QSettings
    ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Dragoman"));
    QCoreApplication::setApplicationName(QStringLiteral("dragoman-listener-test"));
    return Catch::Session().run(argc, argv);
}

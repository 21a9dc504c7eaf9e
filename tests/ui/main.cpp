// The UI tests' own Catch2 runner: a QApplication on Qt's offscreen platform (no display), with
// a private runtime folder and a private settings folder, exists before any test (or on the X
// server of DISPLAY with DRAGOMAN_TEST_ON_X=1).
#define CATCH_CONFIG_RUNNER
#include "widgets/Theme.h"

#include <QApplication>
#include <QDir>
#include <QTemporaryDir>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string_view>

// ThreadSanitizer (the tsan preset) cannot see the locks inside Qt and GLib, which are not
// instrumented: ignore what those libraries do themselves; every access by Dragoman's own code
// (the engine, the encoder thread, the loudness meters, the console) stays checked.
extern "C" const char* __tsan_default_suppressions() {
    return "called_from_lib:libQt6Core.so.6\n"
           "called_from_lib:libQt6Gui.so.6\n"
           "called_from_lib:libQt6Widgets.so.6\n"
           "called_from_lib:libglib-2.0.so.0\n"
           "called_from_lib:libfontconfig.so.1\n";
}

int main(int argc, char** argv) {
    QTemporaryDir home(QDir::tempPath() + "/dragoman-ui-test-XXXXXX");
    const QByteArray runtime = (home.path() + "/runtime").toLocal8Bit();
    const QByteArray config = (home.path() + "/config").toLocal8Bit();
    QDir().mkpath(QString::fromLocal8Bit(runtime));
    QFile::setPermissions(QString::fromLocal8Bit(runtime),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    ::setenv("XDG_RUNTIME_DIR", runtime.constData(), 1);
    ::setenv("XDG_CONFIG_HOME", config.constData(), 1);
    // A screen as large as a control room's (the offscreen default is 800x600, too small
    // for the console's layout to be restored as it was saved), or the one
    // DRAGOMAN_TEST_SCREEN names: "WIDTHxHEIGHT" or "WIDTHxHEIGHT@RATIO" in device pixels
    // ("2560x1440@2": a HiDPI screen of 1280x720 logical pixels at a device pixel ratio of 2).
    int width = 1920;
    int height = 1200;
    double ratio = 1.0;
    if (const char* screen = std::getenv("DRAGOMAN_TEST_SCREEN"); screen && *screen) {
        if (std::sscanf(screen, "%dx%d@%lf", &width, &height, &ratio) < 2 || width < 320 ||
            height < 240 || ratio < 1.0 || ratio > 4.0) {
            std::fprintf(stderr, "DRAGOMAN_TEST_SCREEN: want WIDTHxHEIGHT[@RATIO], got \"%s\"\n",
                         screen);
            return 2;
        }
    }
    const QString screens = home.path() + "/screens.json";
    QFile file(screens);
    file.open(QIODevice::WriteOnly);
    file.write(QStringLiteral(R"({"screens": [{"name": "console", "x": 0, "y": 0, "width": %1,
                   "height": %2, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": %3}]})")
                   .arg(qRound(width / ratio)) // the offscreen platform wants logical pixels
                   .arg(qRound(height / ratio))
                   .arg(ratio)
                   .toUtf8());
    file.close();
    // DRAGOMAN_TEST_ON_X=1: a real X server's windows instead (the DISPLAY that xvfb-run gives).
    if (const char* x = std::getenv("DRAGOMAN_TEST_ON_X"); x && std::string_view(x) == "1")
        ::setenv("QT_QPA_PLATFORM", "xcb", 1);
    else
        ::setenv("QT_QPA_PLATFORM", ("offscreen:configfile=" + screens).toLocal8Bit().constData(),
                 1);

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName("Dragoman");
    QCoreApplication::setApplicationName("dragoman-ui-test");
    dragoman::widgets::applyTheme(app); // as dragoman does: the screenshots show the real look
    return Catch::Session().run(argc, argv);
}

// The MIDI tests' own Catch2 runner (not the shared one in tests/support): a
// QCoreApplication has to exist before any test starts a server, a timer or a network request.
#define CATCH_CONFIG_RUNNER
#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>
#include <catch2/catch.hpp>
#include <cstdlib>

// ThreadSanitizer (the tsan preset) cannot see the synchronisation inside libraries that are
// not instrumented: Qt's and GLib's locks (the event loop's wake-up descriptor, buffers handed
// between threads), and the memory barriers of libjack's lock-free ringbuffer, which RtMidi's
// JACK output uses between the thread that sends and JACK's process thread. Ignore what Qt and
// GLib do themselves (calls they make into the C library) and the ringbuffer's copies; every
// access by Dragoman's own code, the MIDI hand-over and the engine included, stays checked.
// This binary only.
extern "C" const char* __tsan_default_suppressions() {
    return "called_from_lib:libQt6Core.so.6\n"
           "called_from_lib:libQt6Network.so.6\n"
           "called_from_lib:libglib-2.0.so.0\n"
           "race:jack_ringbuffer_read\n"
           "race:jack_ringbuffer_peek\n"
           "race:jack_ringbuffer_write\n";
}

int main(int argc, char** argv) {
    // Headless and self-contained: no display, and a private runtime directory.
    QTemporaryDir runtime(QDir::tempPath() + "/dragoman-midi-test-XXXXXX");
    ::setenv("XDG_RUNTIME_DIR", runtime.path().toLocal8Bit().constData(), 1);
    ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
    ::unsetenv("DRAGOMAN_TOKEN"); // tests set it where they mean to

    QCoreApplication app(argc, argv);
    return Catch::Session().run(argc, argv);
}

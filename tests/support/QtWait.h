// Waiting in tests that run a Qt event loop: the loop keeps turning (timers, sockets, queued
// signals) while the test waits for a condition or for time to pass.
//
// Thread contract: the thread that owns the event loop (the test's main thread).
#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <functional>

namespace dragoman::test {

// Runs the event loop until `done()` or `timeoutMs` has passed; returns done().
inline bool waitUntil(const std::function<bool()>& done, int timeoutMs = 5000) {
    QElapsedTimer elapsed;
    elapsed.start();
    while (!done() && elapsed.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(2, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return done();
}

// Runs the event loop for `ms` milliseconds.
inline void spin(int ms) {
    QElapsedTimer elapsed;
    elapsed.start();
    waitUntil([&] { return elapsed.elapsed() >= ms; }, ms + 1000);
}

} // namespace dragoman::test

// The event loop of the headless router (the service) and of the benchmark that measures it: Qt's
// own poll()-based dispatcher instead of GLib's. The control port holds hundreds of sockets
// (consoles, desk pages, listeners), and a socket notifier is switched on and off for every frame
// written; GLib's dispatcher walks a list of every notifier to switch one off, Qt's finds it in a
// hash. Measured with `dragoman-bench --case websocket` (200 sockets taking meters at 30 Hz): about
// a quarter less of the router's CPU per frame (docs/measuring.md).
//
// Thread contract: call once, on the main thread, before the QCoreApplication is made. A
// QT_NO_GLIB already in the environment is left as it is.
#pragma once

namespace dragoman::app {

void preferQtEventLoop();

} // namespace dragoman::app

#include "common/EventLoop.h"

#include <cstdlib>

namespace dragoman::app {

void preferQtEventLoop() {
    ::setenv("QT_NO_GLIB", "1", /*overwrite=*/0);
}

} // namespace dragoman::app

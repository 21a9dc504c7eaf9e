// The project's single-producer/single-consumer queue: moodycamel::ReaderWriterQueue
// (Debian's libreaderwriterqueue-dev), pre-allocated, used with try_enqueue/try_dequeue only,
// which never allocate or block.
//
// Include this header rather than the library's: under ThreadSanitizer it supplies the
// happens-before annotations the library's fences need (GCC has no __has_feature, so the
// library cannot enable them itself, and TSan does not model std::atomic_thread_fence).
#pragma once

#if defined(__SANITIZE_THREAD__) && !defined(AE_TSAN_ANNOTATE_RELEASE)
extern "C" void AnnotateHappensBefore(const char* file, int line, const volatile void* address);
extern "C" void AnnotateHappensAfter(const char* file, int line, const volatile void* address);
namespace dragoman::core::detail {
inline int tsanQueueSync;
} // namespace dragoman::core::detail
#define AE_TSAN_ANNOTATE_RELEASE()                                                                 \
    AnnotateHappensBefore(__FILE__, __LINE__, &::dragoman::core::detail::tsanQueueSync)
#define AE_TSAN_ANNOTATE_ACQUIRE()                                                                 \
    AnnotateHappensAfter(__FILE__, __LINE__, &::dragoman::core::detail::tsanQueueSync)
#endif

#include <readerwriterqueue/readerwriterqueue.h>

namespace dragoman::core {

template <typename T> using SpscQueue = moodycamel::ReaderWriterQueue<T>;

} // namespace dragoman::core

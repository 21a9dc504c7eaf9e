// Replaces the program's allocation functions with ones that count every allocation and free
// made inside an rt::AudioThreadScope. Linked into an executable (object library
// `dragoman_allocation_hooks`), it makes rt::audioThreadAllocations() meaningful there.
//
// operator new/delete (every variant) always; the C allocator (malloc, calloc, realloc, free
// and the aligned family) only where no sanitizer owns it: the counting versions forward to
// glibc's own __libc_* entry points, which is how glibc documents replacing malloc.
#include "rt/AllocationProbe.h"

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <malloc.h>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DRAGOMAN_HOOK_MALLOC 0
#else
#define DRAGOMAN_HOOK_MALLOC 1
#endif

#if DRAGOMAN_HOOK_MALLOC
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void __libc_free(void* pointer);
}
#endif

namespace {

using dragoman::rt::inAudioThread;
using dragoman::rt::noteAudioThreadAllocation;

inline void count() noexcept {
    if (inAudioThread())
        noteAudioThreadAllocation();
}

// The underlying allocator, without counting (the hooks below count once per call).
void* rawMalloc(std::size_t size) noexcept {
#if DRAGOMAN_HOOK_MALLOC
    return __libc_malloc(size);
#else
    return std::malloc(size);
#endif
}

void* rawAligned(std::size_t alignment, std::size_t size) noexcept {
    if (alignment < sizeof(void*))
        alignment = sizeof(void*);
#if DRAGOMAN_HOOK_MALLOC
    return __libc_memalign(alignment, size);
#else
    void* pointer = nullptr;
    return posix_memalign(&pointer, alignment, size) == 0 ? pointer : nullptr;
#endif
}

void rawFree(void* pointer) noexcept {
#if DRAGOMAN_HOOK_MALLOC
    __libc_free(pointer);
#else
    std::free(pointer);
#endif
}

void* newOrThrow(std::size_t size, std::size_t alignment) {
    count();
    if (size == 0)
        size = 1;
    for (;;) {
        void* pointer = alignment == 0 ? rawMalloc(size) : rawAligned(alignment, size);
        if (pointer != nullptr)
            return pointer;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr)
            throw std::bad_alloc();
        handler();
    }
}

void* newOrNull(std::size_t size, std::size_t alignment) noexcept {
    try {
        return newOrThrow(size, alignment);
    } catch (...) {
        return nullptr;
    }
}

void release(void* pointer) noexcept {
    if (pointer != nullptr)
        count();
    rawFree(pointer);
}

std::size_t bytes(std::align_val_t alignment) {
    return static_cast<std::size_t>(alignment);
}

// The hooks announce themselves before main() runs.
const bool registered = (dragoman::rt::markHooksInstalled(), true);

} // namespace

void* operator new(std::size_t size) {
    return newOrThrow(size, 0);
}
void* operator new[](std::size_t size) {
    return newOrThrow(size, 0);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return newOrNull(size, 0);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return newOrNull(size, 0);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
    return newOrThrow(size, bytes(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
    return newOrThrow(size, bytes(alignment));
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return newOrNull(size, bytes(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return newOrNull(size, bytes(alignment));
}

void operator delete(void* pointer) noexcept {
    release(pointer);
}
void operator delete[](void* pointer) noexcept {
    release(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept {
    release(pointer);
}
void operator delete[](void* pointer, std::size_t) noexcept {
    release(pointer);
}
void operator delete(void* pointer, const std::nothrow_t&) noexcept {
    release(pointer);
}
void operator delete[](void* pointer, const std::nothrow_t&) noexcept {
    release(pointer);
}
void operator delete(void* pointer, std::align_val_t) noexcept {
    release(pointer);
}
void operator delete[](void* pointer, std::align_val_t) noexcept {
    release(pointer);
}
void operator delete(void* pointer, std::size_t, std::align_val_t) noexcept {
    release(pointer);
}
void operator delete[](void* pointer, std::size_t, std::align_val_t) noexcept {
    release(pointer);
}
void operator delete(void* pointer, std::align_val_t, const std::nothrow_t&) noexcept {
    release(pointer);
}
void operator delete[](void* pointer, std::align_val_t, const std::nothrow_t&) noexcept {
    release(pointer);
}

#if DRAGOMAN_HOOK_MALLOC
extern "C" {

void* malloc(std::size_t size) noexcept {
    count();
    return __libc_malloc(size);
}

void* calloc(std::size_t count_, std::size_t size) noexcept {
    count();
    return __libc_calloc(count_, size);
}

void* realloc(void* pointer, std::size_t size) noexcept {
    count();
    return __libc_realloc(pointer, size);
}

void free(void* pointer) noexcept {
    release(pointer);
}

void* memalign(std::size_t alignment, std::size_t size) noexcept {
    count();
    return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
    count();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void** result, std::size_t alignment, std::size_t size) noexcept {
    // POSIX: a power of two that is a multiple of sizeof(void*).
    if (alignment < sizeof(void*) || alignment % sizeof(void*) != 0 ||
        (alignment & (alignment - 1)) != 0)
        return EINVAL;
    count();
    void* pointer = __libc_memalign(alignment, size);
    if (pointer == nullptr)
        return ENOMEM;
    *result = pointer;
    return 0;
}

} // extern "C"
#endif

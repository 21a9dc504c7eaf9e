// An owned POSIX file descriptor, closed when it goes.
//
// Thread contract: one thread at a time.
#pragma once

#include <unistd.h>

namespace dragoman::venue {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd = -1)
        : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() { reset(); }

    int get() const { return fd_; }
    // Closes now and reports close()'s error (a delayed write error surfaces here).
    int close() {
        const int result = ::close(fd_);
        fd_ = -1;
        return result;
    }
    void reset() {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

} // namespace dragoman::venue

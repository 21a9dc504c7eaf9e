// Lets the control thread shut a device's callback out of the AudioCallback for good, at once,
// without trusting the device's own stop or close to return (PortAudio's can block for minutes
// once the server behind it has died). After close() no callback of that device is inside
// the AudioCallback and none will enter, so another clock may take over immediately.
//
// Thread contract: Pass (enter/leave) on the device's audio thread, wait-free; close() on the
// control thread, waiting at most for the one callback that is inside to leave.
#pragma once

#include <atomic>
#include <thread>

namespace dragoman::device {

class CallbackGate {
public:
    // Audio thread. Holds the gate for one callback; converts to false when it is shut.
    class Pass {
    public:
        explicit Pass(CallbackGate& gate) noexcept
            : gate_(gate)
            , open_(gate.enter()) {}
        ~Pass() {
            if (open_)
                gate_.leave();
        }
        Pass(const Pass&) = delete;
        Pass& operator=(const Pass&) = delete;
        explicit operator bool() const noexcept { return open_; }

    private:
        CallbackGate& gate_;
        const bool open_;
    };

    // Control thread.
    void close() noexcept {
        closed_.store(true, std::memory_order_seq_cst);
        while (busy_.load(std::memory_order_seq_cst))
            std::this_thread::yield();
    }

    bool closed() const noexcept { return closed_.load(std::memory_order_relaxed); }

private:
    // Dekker's handshake: each side publishes its flag, then reads the other's; sequential
    // consistency guarantees that at least one side sees the other.
    bool enter() noexcept {
        busy_.store(true, std::memory_order_seq_cst);
        if (closed_.load(std::memory_order_seq_cst)) {
            busy_.store(false, std::memory_order_release);
            return false;
        }
        return true;
    }
    void leave() noexcept { busy_.store(false, std::memory_order_release); }

    std::atomic<bool> busy_{false};
    std::atomic<bool> closed_{false};
    static_assert(std::atomic<bool>::is_always_lock_free);
};

} // namespace dragoman::device

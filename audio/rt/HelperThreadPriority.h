// Real-time scheduling for the threads that feed the network (the encoder, the RTP sender,
// the receiver's socket thread): on a busy machine an ordinary thread wakes milliseconds late,
// and listeners hear it as jitter. They run SCHED_FIFO at priority 1, the lowest real-time
// priority, so that they never hold up an audio thread: JACK gives its clients' threads the
// server's priority minus 5 (5 with jackd's default of 10), and a SCHED_FIFO thread of equal
// priority is not preempted, so an encoder at 5 could delay Dragoman's callback by a whole
// encoding pass. Best effort: where the system refuses real-time scheduling, the thread stays
// as it is.
//
// Thread contract: called by the thread to raise, once, as it starts.
#pragma once

#include <pthread.h>
#include <sched.h>

namespace dragoman::rt {

inline constexpr int kHelperThreadPriority = 1;

inline void raiseHelperThread() noexcept {
    sched_param param{};
    param.sched_priority = kHelperThreadPriority;
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
}

} // namespace dragoman::rt

// Recordings: one Ogg Opus file per channel (floor included) in a folder per session,
// DIR/2026-11-25T14-30-00/floor.opus, en.opus, …, written from the packets the encoder thread
// already made (no second encode, and what is recorded is exactly what listeners heard).
//
//   EncoderThread ─► Recorder::onPacket() ─► pre-sized SPSC queue ─► recorder thread ─► files
//
// A full disk (or any failed write) stops the recording, not the router: every file is cut
// back to its last whole page and closed (so each stays playable), the packets that follow
// are counted as lost, and the folder's free space is checked every `retry`; once it has
// resumeFreeBytes, recording goes on in new files in the same session folder, one more part:
// floor-2.opus, en-2.opus, … (then -3, …), each a complete Ogg Opus file that starts where
// the recording resumed.
//
// Thread contract: construction, start(), stop() and destruction on the control thread;
// onPacket() on the encoder thread only (wait-free: a full queue drops the packet and counts
// it); stats() and lastError() from any thread.
#pragma once

#include "core/SpscQueue.h"
#include "stream/EncodedPacket.h"
#include "stream/EncoderThread.h"
#include "stream/OggOpusWriter.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dragoman::stream {

struct RecorderOptions {
    std::size_t queuePackets = 4096; // ~80 s of one 20 ms channel, ~16 s of five
    std::chrono::milliseconds wake{20};
    std::chrono::milliseconds retry{2000};     // how often a stopped recording checks the disk
    std::uint64_t resumeFreeBytes = 16u << 20; // free space it needs to go on (~10 min of five)
};

class Recorder final : public PacketSink {
public:
    // Control thread. Creates `directory`/<session start, local time>/ and one file per venue
    // channel with its header pages (pre-skip from the channel's encoder). Throws
    // RecorderError naming the folder or file that cannot be created.
    Recorder(const venue::Venue& venue, const EncoderThread& encoders,
             const std::filesystem::path& directory,
             std::chrono::system_clock::time_point sessionStart = std::chrono::system_clock::now(),
             RecorderOptions options = {});
    ~Recorder() override; // stop()

    // Encoder thread; wait-free.
    void onPacket(const EncodedPacket& packet) override;

    void start();
    // Writes what is queued, ends every stream and closes the files. Idempotent.
    void stop();

    const std::filesystem::path& sessionFolder() const { return folder_; }
    // The channel's file in the current part (en.opus; en-2.opus after one stop, …).
    std::filesystem::path file(int channel) const { return file(channel, part()); }
    std::filesystem::path file(int channel, int part) const;
    int part() const noexcept { return part_.load(std::memory_order_relaxed); }

    struct Stats {
        std::uint64_t written = 0;     // packets in the files
        std::uint64_t dropped = 0;     // the queue was full (the recorder thread fell behind)
        std::uint64_t writeErrors = 0; // packets a file refused (disk full …)
        std::uint64_t lost = 0;        // packets not recorded while the recording was stopped
        std::uint64_t stops = 0;       // times a failed write stopped the recording
        std::uint64_t resumes = 0;     // times it went on in a new part
        bool recording = true;         // false: stopped by a failed write, waiting for space
        int part = 1;
    };
    Stats stats() const noexcept;
    // Why the recording last stopped ("en.opus: No space left on device"); "" if it never did.
    std::string lastError() const;

    // "2026-11-25T14-30-00": the session folder's name for a start time (local time).
    static std::string sessionName(std::chrono::system_clock::time_point start);

private:
    void run() noexcept;
    bool drain();
    void openPart(int part); // throws RecorderError
    void suspend(const std::string& why);
    void tryResume();

    std::filesystem::path folder_;
    std::vector<std::string> codes_;                      // file names: floor.opus, en.opus …
    std::vector<std::unique_ptr<OggOpusWriter>> writers_; // empty while stopped
    std::vector<int> lookaheads_;
    std::vector<std::vector<std::string>> comments_;
    core::SpscQueue<EncodedPacket> queue_;
    EncodedPacket packet_; // the recorder thread's
    RecorderOptions options_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    bool closed_ = false;
    std::atomic<std::uint64_t> written_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> writeErrors_{0};
    std::atomic<std::uint64_t> lost_{0};
    std::atomic<std::uint64_t> stops_{0};
    std::atomic<std::uint64_t> resumes_{0};
    std::atomic<bool> recording_{true};
    std::atomic<int> part_{1};
    std::chrono::steady_clock::time_point retryAt_{};
    mutable std::mutex errorMutex_; // lastError_: written by the recorder thread, read anywhere
    std::string lastError_;
};

} // namespace dragoman::stream

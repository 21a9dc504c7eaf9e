// Recordings: one Ogg Opus file per channel (floor included) in a folder per session,
// DIR/2026-11-25T14-30-00/floor.opus, en.opus, …, written from the packets the encoder thread
// already made (no second encode, and what is recorded is exactly what listeners heard).
//
//   EncoderThread ─► Recorder::onPacket() ─► pre-sized SPSC queue ─► recorder thread ─► files
//
// Thread contract: construction, start(), stop() and destruction on the control thread;
// onPacket() on the encoder thread only (wait-free: a full queue drops the packet and counts
// it); stats() from any thread.
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
#include <string>
#include <thread>
#include <vector>

namespace dragoman::stream {

struct RecorderOptions {
    std::size_t queuePackets = 4096; // ~80 s of one 20 ms channel, ~16 s of five
    std::chrono::milliseconds wake{20};
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
    std::filesystem::path file(int channel) const;

    struct Stats {
        std::uint64_t written = 0;     // packets in the files
        std::uint64_t dropped = 0;     // the queue was full (the recorder thread fell behind)
        std::uint64_t writeErrors = 0; // packets a file refused (disk full …)
    };
    Stats stats() const noexcept;

    // "2026-11-25T14-30-00": the session folder's name for a start time (local time).
    static std::string sessionName(std::chrono::system_clock::time_point start);

private:
    void run() noexcept;
    bool drain();

    std::filesystem::path folder_;
    std::vector<std::string> codes_; // file names: floor.opus, en.opus …
    std::vector<std::unique_ptr<OggOpusWriter>> writers_;
    core::SpscQueue<EncodedPacket> queue_;
    EncodedPacket packet_; // the recorder thread's
    RecorderOptions options_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    bool closed_ = false;
    std::atomic<std::uint64_t> written_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> writeErrors_{0};
};

} // namespace dragoman::stream

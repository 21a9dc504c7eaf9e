// One Ogg Opus file (RFC 7845) written from packets that are already encoded: an OpusHead
// page (pre-skip = the encoder's lookahead), an OpusTags page, then the audio packets with
// granule positions in 48 kHz samples. Pages go to the file at least every second of audio
// (and on flush()), each followed by fflush(), so a process that dies leaves a file that
// decodes up to its last page.
//
// A write that fails (a full disk) leaves a partial page behind; abandon() cuts the file back to
// the end of its last whole page and closes it, so what was written stays a clean, playable
// file (with no end-of-stream mark, like a file after a crash). The file is written unbuffered
// (a page is a write), so nothing is left in a buffer to be written after the cut.
//
// A discontinuity (packets lost before this one) is filled with zero-length Opus frames, which
// decoders play as concealment, so the file's timeline stays the session's.
//
// Thread contract: one thread at a time (the recorder thread); may allocate and do I/O.
#pragma once

#include "stream/EncodedPacket.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace dragoman::stream {

class RecorderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// RFC 7845's two header packets: OpusHead (version 1, mono, `preSkip`, 48 kHz input, 0 dB
// gain, mapping family 0) and OpusTags (vendor "Dragoman (libopus)" and `comments`).
std::vector<std::uint8_t> opusHead(int preSkip);
std::vector<std::uint8_t> opusTags(const std::vector<std::string>& comments);

// The pages of one Ogg logical stream (libogg), handed to a callback rather than written
// anywhere: the recordings write them to a file, the live HTTP streams to sockets.
//
// Thread contract: one thread at a time; may allocate.
class OggPageStream {
public:
    // Receives one page as its header and body; false when it could not take the page.
    using PageOut = std::function<bool(const std::uint8_t* header, std::size_t headerBytes,
                                       const std::uint8_t* body, std::size_t bodyBytes)>;

    explicit OggPageStream(int serial); // throws RecorderError when libogg refuses
    ~OggPageStream();
    OggPageStream(const OggPageStream&) = delete;
    OggPageStream& operator=(const OggPageStream&) = delete;

    // Queues one packet; `granule` is the stream's granule position after it (-1: none).
    void packetIn(const std::uint8_t* data, std::size_t bytes, std::int64_t granule, bool bos,
                  bool eos);
    // Hands the complete pages to `out` (with `force`, everything queued, as a last page);
    // false when `out` refused one.
    bool pagesOut(bool force, const PageOut& out);
    // Packets queued so far (the next packet's number).
    std::int64_t packets() const { return packetNumber_; }

private:
    struct State;
    std::unique_ptr<State> state_;
    std::int64_t packetNumber_ = 0;
};

class OggOpusWriter {
public:
    // Creates the file and writes the header pages. Throws RecorderError naming the file.
    OggOpusWriter(const std::filesystem::path& file, int preSkip,
                  const std::vector<std::string>& comments, int serial);
    ~OggOpusWriter(); // close()
    OggOpusWriter(const OggOpusWriter&) = delete;
    OggOpusWriter& operator=(const OggOpusWriter&) = delete;

    // False (and the packet lost) when the file cannot be written.
    bool write(const EncodedPacket& packet);
    // Writes every complete or partial page now.
    bool flush();
    // Marks the last packet as the end of the stream, flushes and closes. Idempotent.
    bool close();
    // After a failed write: cuts the file back to its last whole page and closes it.
    void abandon();

    const std::filesystem::path& file() const { return file_; }
    std::uint64_t granule() const { return granule_; } // 48 kHz samples decoded so far

private:
    struct State;
    bool submit(const std::uint8_t* data, std::size_t bytes, std::uint32_t duration, bool last);
    bool writePages(bool force);

    std::filesystem::path file_;
    std::unique_ptr<State> state_;
    std::vector<std::uint8_t> held_; // the newest packet, held back until it is known whether
    std::uint32_t heldDuration_ = 0; // it is the last (end of stream)
    bool holding_ = false;
    bool started_ = false;
    std::uint64_t nextPosition_ = 0; // session position the next packet should have
    std::uint64_t granule_ = 0;
    std::uint64_t flushedGranule_ = 0;
    long goodBytes_ = 0; // the file's length up to its last whole page
};

} // namespace dragoman::stream

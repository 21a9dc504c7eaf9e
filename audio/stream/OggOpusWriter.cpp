#include "stream/OggOpusWriter.h"

#include <cerrno>
#include <cstring>
#include <ogg/ogg.h>
#include <system_error>
#include <unistd.h>

namespace dragoman::stream {

namespace {

constexpr std::uint64_t kFlushEverySamples = 48000; // a page at least every second of audio
constexpr std::uint64_t kLongestFill = 48000 * 60;  // a longer gap is not filled

void putLe16(std::vector<std::uint8_t>& out, unsigned value) {
    out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    out.push_back(static_cast<std::uint8_t>((value >> 8) & 0xFF));
}

void putLe32(std::vector<std::uint8_t>& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8)
        out.push_back(static_cast<std::uint8_t>((value >> shift) & 0xFF));
}

void putString(std::vector<std::uint8_t>& out, std::string_view text) {
    putLe32(out, static_cast<std::uint32_t>(text.size()));
    out.insert(out.end(), text.begin(), text.end());
}

} // namespace

std::vector<std::uint8_t> opusHead(int preSkip) {
    // OpusHead (RFC 7845 5.1): version 1, mono, pre-skip, 48 kHz input, 0 dB gain, family 0.
    std::vector<std::uint8_t> head{'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1};
    putLe16(head, static_cast<unsigned>(preSkip));
    putLe32(head, 48000);
    putLe16(head, 0);
    head.push_back(0);
    return head;
}

std::vector<std::uint8_t> opusTags(const std::vector<std::string>& comments) {
    // OpusTags (RFC 7845 5.2).
    std::vector<std::uint8_t> tags{'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};
    putString(tags, std::string("Dragoman ") + "(libopus)");
    putLe32(tags, static_cast<std::uint32_t>(comments.size()));
    for (const auto& comment : comments)
        putString(tags, comment);
    return tags;
}

struct OggPageStream::State {
    ogg_stream_state stream{};
    ~State() { ogg_stream_clear(&stream); }
};

OggPageStream::OggPageStream(int serial) {
    state_ = std::make_unique<State>(); // clearing a zeroed ogg_stream_state is harmless
    if (ogg_stream_init(&state_->stream, serial) != 0)
        throw RecorderError("cannot start an Ogg stream");
}

OggPageStream::~OggPageStream() = default;

void OggPageStream::packetIn(const std::uint8_t* data, std::size_t bytes, std::int64_t granule,
                             bool bos, bool eos) {
    ogg_packet packet{};
    packet.packet = const_cast<std::uint8_t*>(data); // libogg copies, never writes
    packet.bytes = static_cast<long>(bytes);
    packet.b_o_s = bos ? 1 : 0;
    packet.e_o_s = eos ? 1 : 0;
    packet.granulepos = static_cast<ogg_int64_t>(granule);
    packet.packetno = packetNumber_++;
    ogg_stream_packetin(&state_->stream, &packet);
}

bool OggPageStream::pagesOut(bool force, const PageOut& out) {
    ogg_page page;
    for (;;) {
        const int got = force ? ogg_stream_flush(&state_->stream, &page)
                              : ogg_stream_pageout(&state_->stream, &page);
        if (got == 0)
            return true;
        if (!out(page.header, static_cast<std::size_t>(page.header_len), page.body,
                 static_cast<std::size_t>(page.body_len)))
            return false;
    }
}

struct OggOpusWriter::State {
    std::FILE* file = nullptr;
    std::unique_ptr<OggPageStream> pages;

    ~State() {
        if (file)
            std::fclose(file);
    }
};

OggOpusWriter::OggOpusWriter(const std::filesystem::path& file, int preSkip,
                             const std::vector<std::string>& comments, int serial)
    : file_(file)
    , state_(std::make_unique<State>()) {
    state_->file = std::fopen(file.c_str(), "wbx");
    if (!state_->file)
        throw RecorderError(file.string() + ": cannot create the recording: " +
                            std::generic_category().message(errno));
    std::setvbuf(state_->file, nullptr, _IONBF, 0);
    try {
        state_->pages = std::make_unique<OggPageStream>(serial);
    } catch (const RecorderError& error) {
        throw RecorderError(file.string() + ": " + error.what());
    }

    const auto head = opusHead(preSkip);
    const auto tags = opusTags(comments);
    for (const auto* header : {&head, &tags}) {
        state_->pages->packetIn(header->data(), header->size(), 0, header == &head, false);
        if (!writePages(true)) { // each header on its own page, as RFC 7845 requires
            const int error = errno;
            abandon();
            throw RecorderError(file.string() + ": cannot write the Opus headers: " +
                                std::generic_category().message(error));
        }
    }
}

OggOpusWriter::~OggOpusWriter() {
    close();
}

bool OggOpusWriter::write(const EncodedPacket& packet) {
    if (!state_->file)
        return false;
    bool ok = true;
    if (started_ && packet.position > nextPosition_ && packet.durationSamples > 0) {
        // Lost samples: fill with zero-length frames (the TOC byte alone) of this packet's
        // configuration, which a decoder conceals, so later audio keeps its time.
        const std::uint64_t gap = std::min(packet.position - nextPosition_, kLongestFill);
        const std::uint64_t count = (gap + packet.durationSamples / 2) / packet.durationSamples;
        const std::uint8_t toc = static_cast<std::uint8_t>(packet.data[0] & 0xFC);
        for (std::uint64_t i = 0; i < count; ++i)
            ok = submit(&toc, 1, packet.durationSamples, false) && ok;
    }
    started_ = true;
    nextPosition_ = packet.position + packet.durationSamples;
    return submit(packet.data.data(), packet.bytes, packet.durationSamples, false) && ok;
}

// Hands the held packet to libogg and holds the new one (or, with `last`, ends the stream).
bool OggOpusWriter::submit(const std::uint8_t* data, std::size_t bytes, std::uint32_t duration,
                           bool last) {
    if (holding_) {
        granule_ += heldDuration_;
        state_->pages->packetIn(held_.data(), held_.size(), static_cast<std::int64_t>(granule_),
                                false, last);
        holding_ = false;
    }
    if (data) {
        held_.assign(data, data + bytes);
        heldDuration_ = duration;
        holding_ = true;
    }
    return writePages(last || granule_ - flushedGranule_ >= kFlushEverySamples);
}

bool OggOpusWriter::writePages(bool force) {
    bool wrote = false;
    std::FILE* file = state_->file;
    const bool ok =
        state_->pages->pagesOut(force, [&](const std::uint8_t* header, std::size_t headerBytes,
                                           const std::uint8_t* body, std::size_t bodyBytes) {
            wrote = true;
            return std::fwrite(header, 1, headerBytes, file) == headerBytes &&
                   std::fwrite(body, 1, bodyBytes, file) == bodyBytes;
        });
    if (!ok)
        return false;
    if (force)
        flushedGranule_ = granule_;
    if (wrote && std::fflush(file) != 0)
        return false;
    goodBytes_ = std::ftell(file);
    return true;
}

void OggOpusWriter::abandon() {
    if (!state_->file)
        return;
    const int saved = errno;
    if (goodBytes_ >= 0 && ::ftruncate(::fileno(state_->file), goodBytes_) != 0) {
        // Nothing more to do: the file keeps its partial page, which players skip.
    }
    std::fclose(state_->file);
    state_->file = nullptr;
    holding_ = false;
    errno = saved;
}

bool OggOpusWriter::flush() {
    if (!state_->file)
        return false;
    return writePages(true);
}

bool OggOpusWriter::close() {
    if (!state_->file)
        return true;
    bool ok = true;
    if (holding_) {
        ok = submit(nullptr, 0, 0, true);
    } else {
        ok = writePages(true);
    }
    ok = std::fclose(state_->file) == 0 && ok;
    state_->file = nullptr;
    return ok;
}

} // namespace dragoman::stream

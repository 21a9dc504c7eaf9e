#include "stream/OggOpusWriter.h"

#include <cerrno>
#include <cstring>
#include <ogg/ogg.h>
#include <system_error>

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

struct OggOpusWriter::State {
    std::FILE* file = nullptr;
    ogg_stream_state stream{};
    bool streamInitialised = false;

    ~State() {
        if (streamInitialised)
            ogg_stream_clear(&stream);
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
    if (ogg_stream_init(&state_->stream, serial) != 0)
        throw RecorderError(file.string() + ": cannot start an Ogg stream");
    state_->streamInitialised = true;

    // OpusHead (RFC 7845 5.1): version 1, mono, pre-skip, 48 kHz input, 0 dB gain, family 0.
    std::vector<std::uint8_t> head{'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1};
    putLe16(head, static_cast<unsigned>(preSkip));
    putLe32(head, 48000);
    putLe16(head, 0);
    head.push_back(0);
    // OpusTags (RFC 7845 5.2).
    std::vector<std::uint8_t> tags{'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};
    putString(tags, std::string("Dragoman ") + "(libopus)");
    putLe32(tags, static_cast<std::uint32_t>(comments.size()));
    for (const auto& comment : comments)
        putString(tags, comment);

    for (auto* header : {&head, &tags}) {
        ogg_packet packet{};
        packet.packet = header->data();
        packet.bytes = static_cast<long>(header->size());
        packet.b_o_s = header == &head ? 1 : 0;
        packet.packetno = packetNumber_++;
        ogg_stream_packetin(&state_->stream, &packet);
        if (!writePages(true)) // each header on its own page, as RFC 7845 requires
            throw RecorderError(file.string() + ": cannot write the Opus headers: " +
                                std::generic_category().message(errno));
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
        ogg_packet packet{};
        packet.packet = held_.data();
        packet.bytes = static_cast<long>(held_.size());
        packet.granulepos = static_cast<ogg_int64_t>(granule_);
        packet.packetno = packetNumber_++;
        packet.e_o_s = last ? 1 : 0;
        ogg_stream_packetin(&state_->stream, &packet);
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
    ogg_page page;
    bool wrote = false;
    for (;;) {
        const int got = force ? ogg_stream_flush(&state_->stream, &page)
                              : ogg_stream_pageout(&state_->stream, &page);
        if (got == 0)
            break;
        if (std::fwrite(page.header, 1, static_cast<std::size_t>(page.header_len), state_->file) !=
                static_cast<std::size_t>(page.header_len) ||
            std::fwrite(page.body, 1, static_cast<std::size_t>(page.body_len), state_->file) !=
                static_cast<std::size_t>(page.body_len))
            return false;
        wrote = true;
    }
    if (force)
        flushedGranule_ = granule_;
    return !wrote || std::fflush(state_->file) == 0;
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

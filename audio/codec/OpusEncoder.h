// One channel's Opus encoder: 48 kHz mono, configured from the venue's OpusSettings.
//
// Thread contract: create() on any thread (allocates); encode() on one thread at a time (the
// encoder thread); it never allocates and never blocks.
#pragma once

#include "venue/Venue.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

struct OpusEncoder; // libopus's handle

namespace dragoman::codec {

// An expected-style result: a value, or the reason (libopus's opus_strerror text) there is
// none.
template <typename T> struct Result {
    T value{};
    std::string error; // empty on success

    explicit operator bool() const { return error.empty(); }
};

class OpusEncoder {
public:
    static constexpr int kSampleRate = 48000;

    // Speech (the default) sets OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE); music lets Opus decide.
    enum class Signal { Speech, Auto };

    // Any thread; allocates. The settings should have passed venue::validate().
    static Result<std::unique_ptr<OpusEncoder>> create(const venue::OpusSettings& settings,
                                                       Signal signal = Signal::Speech);

    ~OpusEncoder();
    OpusEncoder(const OpusEncoder&) = delete;
    OpusEncoder& operator=(const OpusEncoder&) = delete;

    // Encodes one frame of exactly frameSamples() samples into `packet` (at most
    // packet.size() bytes). The packet's length in bytes, or libopus's reason.
    Result<std::size_t> encode(std::span<const float> frame, std::span<std::uint8_t> packet);

    // The encoder's lookahead in 48 kHz samples (OPUS_GET_LOOKAHEAD): an Ogg stream's pre-skip.
    int lookahead() const { return lookahead_; }
    int frameSamples() const { return frameSamples_; }
    const venue::OpusSettings& settings() const { return settings_; }

private:
    struct Deleter {
        void operator()(::OpusEncoder* encoder) const noexcept;
    };

public:
    struct Key { // create() is the only way in
    private:
        friend class OpusEncoder;
        Key() = default;
    };
    OpusEncoder(Key, std::unique_ptr<::OpusEncoder, Deleter> handle, const venue::OpusSettings& s,
                int lookahead);

private:
    std::unique_ptr<::OpusEncoder, Deleter> handle_;
    venue::OpusSettings settings_;
    int frameSamples_;
    int lookahead_;
};

} // namespace dragoman::codec

#include "midi/MidiParser.h"

namespace dragoman::midi {

namespace {

// Data bytes a channel status takes: one for program change and channel pressure, else two.
int channelDataBytes(std::uint8_t status) {
    const int kind = status >> 4;
    return kind == 0xC || kind == 0xD ? 1 : 2;
}

} // namespace

bool MidiParser::take(std::uint8_t byte, MidiMessage& out) noexcept {
    if (byte >= 0xF8) {
        // Real-time: one byte, allowed anywhere (even inside a message or SysEx), changes
        // nothing else.
        count(byte == 0xF9 || byte == 0xFD ? unknown_ : system_);
        return false;
    }

    if ((byte & 0x80) != 0) {
        if (inSysex_) {
            inSysex_ = false;
            count(sysex_);
            if (byte == 0xF7)
                return false; // End of Exclusive: the SysEx is over, nothing else to do
            // An unterminated SysEx ends at any other status byte, which then counts as usual.
        } else if (have_ > 0 || systemCommon_ != 0) {
            count(truncated_);
        }
        have_ = 0;
        systemCommon_ = 0;
        if (byte < 0xF0) {
            runningStatus_ = byte;
            return false;
        }
        runningStatus_ = 0; // system common messages cancel running status
        switch (byte) {
        case 0xF0:
            inSysex_ = true;
            break;
        case 0xF1: // MTC quarter frame: one data byte
        case 0xF2: // song position: two
        case 0xF3: // song select: one
            systemCommon_ = byte;
            break;
        case 0xF6: // tune request: none
            count(system_);
            break;
        case 0xF7: // End of Exclusive with no SysEx open
            count(stray_);
            break;
        default: // 0xF4, 0xF5: undefined
            count(unknown_);
            break;
        }
        return false;
    }

    // A data byte.
    if (inSysex_) {
        count(sysexBytes_);
        return false;
    }
    if (systemCommon_ != 0) {
        data_[have_++] = byte;
        if (have_ == (systemCommon_ == 0xF2 ? 2 : 1)) {
            count(system_);
            systemCommon_ = 0;
            have_ = 0;
        }
        return false;
    }
    if (runningStatus_ == 0) {
        count(stray_);
        return false;
    }
    data_[have_++] = byte;
    const int need = channelDataBytes(runningStatus_);
    if (have_ < need)
        return false;
    out.status = runningStatus_;
    out.data1 = data_[0];
    out.data2 = need == 2 ? data_[1] : 0;
    have_ = 0; // running status: the next data bytes start another message of this status
    count(messages_);
    return true;
}

MidiParser::Counters MidiParser::counters() const noexcept {
    const auto get = [](const std::atomic<std::uint64_t>& c) {
        return c.load(std::memory_order_relaxed);
    };
    return {get(messages_),   get(stray_),  get(truncated_), get(sysex_),
            get(sysexBytes_), get(system_), get(unknown_)};
}

} // namespace dragoman::midi

// A selector that never clicks: choosing a new source fades the old one out and the new one
// in over the ramp time. A few slots let a new choice arrive in the middle of a fade; each
// slot fades on its own, so every change stays continuous.
//
// Used for a channel's source (floor, a desk mic or silence), a desk's incoming select and the
// technician's monitor.
//
// Thread contract: audio thread; wait-free, no allocation.
#pragma once

#include "dsp/GainRamp.h"

#include <array>
#include <cstddef>

namespace dragoman::dsp {

class Crossfader {
public:
    static constexpr int kSilence = -1;
    static constexpr int kSlots = 6;

    // Fades to `source` (kSilence for none) over `rampSamples`.
    void select(int source, int rampSamples) noexcept {
        selected_ = source;
        Slot* chosen = nullptr;
        for (auto& slot : slots_)
            if (slot.source == source && source != kSilence)
                chosen = &slot;
        if (!chosen && source != kSilence) {
            chosen = &slots_[0];
            for (auto& slot : slots_) // a free slot, else the quietest one
                if (slot.gain.current() + slot.gain.target() <
                    chosen->gain.current() + chosen->gain.target())
                    chosen = &slot;
            chosen->source = source; // evicting an audible slot only after kSlots rapid changes
            chosen->gain.reset(0.0f);
        }
        for (auto& slot : slots_) {
            if (slot.source == kSilence)
                continue;
            slot.gain.setTarget(&slot == chosen ? 1.0f : 0.0f, rampSamples);
        }
    }

    // Jumps to `source` (set-up only).
    void reset(int source) noexcept {
        for (auto& slot : slots_) {
            slot.source = kSilence;
            slot.gain.reset(0.0f);
        }
        selected_ = source;
        if (source != kSilence) {
            slots_[0].source = source;
            slots_[0].gain.reset(1.0f);
        }
    }

    int selected() const noexcept { return selected_; }

    // True while anything is audible or fading.
    bool active() const noexcept {
        for (const auto& slot : slots_)
            if (slot.source != kSilence && !slot.gain.silent())
                return true;
        return false;
    }

    // Whether `source` contributes to this block (audible or fading).
    bool uses(int source) const noexcept {
        for (const auto& slot : slots_)
            if (slot.source == source && !slot.gain.silent())
                return true;
        return false;
    }

    // out = sum of sources x gains. `buffer(source)` returns the source's samples for this
    // block (it is called only for sources that are audible).
    template <typename BufferOf>
    void render(float* out, std::size_t n, BufferOf&& buffer) noexcept {
        for (std::size_t i = 0; i < n; ++i)
            out[i] = 0.0f;
        for (auto& slot : slots_) {
            if (slot.source == kSilence)
                continue;
            if (slot.gain.silent()) {
                slot.source = kSilence; // faded out: free the slot
                continue;
            }
            slot.gain.accumulate(out, buffer(slot.source), n);
        }
    }

private:
    struct Slot {
        int source = kSilence;
        GainRamp gain{0.0f};
    };
    std::array<Slot, kSlots> slots_{};
    int selected_ = kSilence;
};

} // namespace dragoman::dsp

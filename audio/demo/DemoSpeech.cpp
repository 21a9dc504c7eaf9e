#include "demo/DemoSpeech.h"

#include <algorithm>
#include <stdexcept>

namespace dragoman::demo {

namespace {

// Adds clip samples from `position` on (looping) to out[0, n).
void addLooped(std::span<const float> clip, std::uint64_t position, float* out,
               std::size_t n) noexcept {
    std::size_t at = static_cast<std::size_t>(position % clip.size());
    std::size_t done = 0;
    while (done < n) {
        const std::size_t run = std::min(n - done, clip.size() - at);
        const float* from = clip.data() + at;
        float* to = out + done;
        for (std::size_t i = 0; i < run; ++i)
            to[i] += from[i];
        done += run;
        at = 0;
    }
}

std::span<const float> clipFor(const DemoClips& clips, const std::string& name) {
    if (!clips.contains(name))
        throw std::invalid_argument("the demo needs clip \"" + name + "\", which was not loaded");
    return clips.samples(name);
}

} // namespace

DemoSpeech::DemoSpeech(const venue::Venue& venue, const DemoSession& session,
                       const DemoClips& clips)
    : loopFrames_(session.loopFrames()) {
    if (venue.sampleRate != DemoClips::kSampleRate)
        throw std::invalid_argument("the demo's clips are 48 kHz, but the venue runs at " +
                                    std::to_string(venue.sampleRate) + " Hz");
    if (session.sampleRate() != venue.sampleRate)
        throw std::invalid_argument("the demo session was made for another sample rate");
    for (const auto& speech : session.floorSpeech()) {
        Floor floor;
        floor.start = speech.start;
        floor.end = speech.end;
        floor.input = venue.floorMics.at(static_cast<std::size_t>(speech.floorMic)).input;
        floor.clip = clipFor(clips, "floor-" + speech.language);
        floor_.push_back(floor);
    }
    // Booth-mates start their clip at evenly spread points.
    for (int d = 0; d < venue.deskCount(); ++d) {
        const auto address = venue.deskAddress(d);
        const auto mates = venue.booths.at(static_cast<std::size_t>(address.booth)).desks.size();
        Voice voice;
        voice.input = venue.desk(d).mic;
        voice.clip = clipFor(clips, session.deskClip(d));
        voice.offset = static_cast<std::uint64_t>(address.desk) * voice.clip.size() / mates;
        desks_.push_back(voice);
    }
}

std::uint64_t DemoSpeech::deskOffset(int flatDesk) const {
    return desks_.at(static_cast<std::size_t>(flatDesk)).offset;
}

void DemoSpeech::addTo(float* const* inputs, std::uint64_t frame,
                       std::size_t frames) const noexcept {
    // Floor speech: split the block where a stretch of speech (or the loop) begins or ends.
    std::size_t done = 0;
    while (done < frames) {
        const std::uint64_t position = (frame + done) % loopFrames_;
        std::uint64_t boundary = loopFrames_;
        const Floor* speaking = nullptr;
        for (const auto& floor : floor_) {
            if (position < floor.start) {
                boundary = floor.start;
                break;
            }
            if (position < floor.end) {
                speaking = &floor;
                boundary = floor.end;
                break;
            }
        }
        const auto run =
            static_cast<std::size_t>(std::min<std::uint64_t>(frames - done, boundary - position));
        if (speaking && speaking->input >= 0)
            addLooped(speaking->clip, position - speaking->start, inputs[speaking->input] + done,
                      run);
        done += run;
    }
    // Interpreters: each desk mic carries its booth clip all the time.
    for (const auto& voice : desks_)
        if (voice.input >= 0)
            addLooped(voice.clip, frame + voice.offset, inputs[voice.input], frames);
}

} // namespace dragoman::demo

// Adaptive resampling for clock-drift correction: 48 kHz in, 48 kHz out, the ratio trimmed
// by up to kMaxPpm parts per million so that a receiver whose clock runs slower or faster
// than the sender's keeps its buffer, and so its latency, where it wants it.
//
// A 4-point cubic Hermite (Catmull-Rom) interpolator: at ratios this close to 1 it is a
// slowly sliding fractional delay, costs a few operations per sample, adds 2 samples of delay,
// and can change its ratio at any sample. (speexdsp's resampler, tried first, crashed in
// speex_resampler_process_float after runtime ratio changes at these fine ratios: libspeexdsp
// 1.2.1, a denominator of 10^6.)
//
// Thread contract: construction and destruction on any thread; setPpm(), process() and
// reset() on one thread at a time (the audio thread): wait-free, never allocates.
#pragma once

#include <array>
#include <cstddef>

namespace dragoman::receive {

class DriftResampler {
public:
    static constexpr int kMaxPpm = 20000; // 2 %

    // Consumes (1 + ppm / 1e6) input samples per output sample: a positive ppm drains the
    // input faster (the sender's clock is faster, or the buffer holds too much).
    void setPpm(int ppm);
    int ppm() const { return ppm_; }

    // Reads up to `inputFrames` samples and writes up to `outputFrames`; says how many of each.
    struct Done {
        std::size_t consumed = 0;
        std::size_t produced = 0;
    };
    Done process(const float* input, std::size_t inputFrames, float* output,
                 std::size_t outputFrames);

    void reset();
    // The interpolator's delay in input samples.
    static constexpr int latency() { return 2; }

private:
    std::array<float, 4> history_{}; // x[-1], x[0], x[1], x[2]: output lies between x[0] and x[1]
    double position_ = 1.0;          // in [0, 1) once primed: where between x[0] and x[1]
    double step_ = 1.0;
    int ppm_ = 0;
};

} // namespace dragoman::receive

#include "receive/DriftResampler.h"

#include <algorithm>

namespace dragoman::receive {

void DriftResampler::setPpm(int ppm) {
    ppm_ = std::clamp(ppm, -kMaxPpm, kMaxPpm);
    step_ = 1.0 + ppm_ * 1e-6;
}

void DriftResampler::reset() {
    history_ = {};
    position_ = 1.0;
}

DriftResampler::Done DriftResampler::process(const float* input, std::size_t inputFrames,
                                             float* output, std::size_t outputFrames) {
    Done done;
    while (done.produced < outputFrames) {
        while (position_ >= 1.0) {
            if (done.consumed == inputFrames)
                return done;
            history_ = {history_[1], history_[2], history_[3], input[done.consumed++]};
            position_ -= 1.0;
        }
        const float t = static_cast<float>(position_);
        const float xm1 = history_[0], x0 = history_[1], x1 = history_[2], x2 = history_[3];
        // Catmull-Rom: exact at t = 0 and t = 1, continuous first derivative.
        const float c1 = 0.5f * (x1 - xm1);
        const float c2 = xm1 - 2.5f * x0 + 2.0f * x1 - 0.5f * x2;
        const float c3 = 0.5f * (x2 - xm1) + 1.5f * (x0 - x1);
        output[done.produced++] = ((c3 * t + c2) * t + c1) * t + x0;
        position_ += step_;
    }
    return done;
}

} // namespace dragoman::receive

#include "support/JackPeer.h"

#include <algorithm>
#include <cerrno>
#include <jack/jack.h>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace dragoman::test {

JackPeer::JackPeer(const std::string& name, std::vector<std::vector<float>> signals, int inputs,
                   std::size_t recordFrames)
    : signals_(std::move(signals))
    , playPosition_(signals_.size(), 0) {
    jack_status_t status{};
    const std::string unique = name + "-" + std::to_string(::getpid());
    client_ = jack_client_open(unique.c_str(), JackNoStartServer, &status);
    if (client_ == nullptr)
        throw std::runtime_error("JackPeer: cannot open the JACK client " + unique);
    for (std::size_t i = 0; i < signals_.size(); ++i) {
        const std::string port = "out_" + std::to_string(i);
        outPorts_.push_back(jack_port_register(client_, port.c_str(), JACK_DEFAULT_AUDIO_TYPE,
                                               JackPortIsOutput, 0));
    }
    for (int i = 0; i < inputs; ++i) {
        const std::string port = "in_" + std::to_string(i);
        inPorts_.push_back(
            jack_port_register(client_, port.c_str(), JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0));
        recordings_.emplace_back(recordFrames, 0.0f);
    }
    if (std::count(outPorts_.begin(), outPorts_.end(), nullptr) +
            std::count(inPorts_.begin(), inPorts_.end(), nullptr) >
        0)
        throw std::runtime_error("JackPeer: cannot register ports for " + name);
    jack_set_process_callback(client_, &JackPeer::process, this);
    jack_set_xrun_callback(
        client_,
        [](void* arg) {
            static_cast<JackPeer*>(arg)->xruns_.fetch_add(1, std::memory_order_acq_rel);
            return 0;
        },
        this);
    jack_on_info_shutdown(
        client_,
        [](jack_status_t, const char*, void* arg) {
            static_cast<JackPeer*>(arg)->gone_.store(true, std::memory_order_release);
        },
        this);
    if (jack_activate(client_) != 0)
        throw std::runtime_error("JackPeer: cannot activate " + name);
}

JackPeer::~JackPeer() {
    if (client_ != nullptr)
        jack_client_close(client_); // deactivates first: no process call after this
}

std::string JackPeer::name() const {
    return jack_get_client_name(client_);
}

void JackPeer::connect(const std::string& from, const std::string& to) {
    const int r = jack_connect(client_, from.c_str(), to.c_str());
    if (r != 0 && r != EEXIST)
        throw std::runtime_error("JackPeer: cannot connect " + from + " to " + to);
}

std::vector<std::string> JackPeer::ports(const std::string& pattern) const {
    std::vector<std::string> names;
    const char** found =
        jack_get_ports(client_, pattern.empty() ? nullptr : pattern.c_str(), nullptr, 0);
    if (found == nullptr)
        return names;
    for (const char** p = found; *p != nullptr; ++p)
        names.emplace_back(*p);
    jack_free(static_cast<void*>(found));
    return names;
}

void JackPeer::record() {
    recording_.store(false, std::memory_order_seq_cst);
    // Let a cycle in progress finish before the buffers are reset.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    recorded_.store(0, std::memory_order_seq_cst);
    recording_.store(true, std::memory_order_seq_cst);
}

bool JackPeer::waitRecorded(std::chrono::milliseconds limit) const {
    const auto until = std::chrono::steady_clock::now() + limit;
    const std::size_t full = recordings_.empty() ? 0 : recordings_.front().size();
    while (recorded_.load(std::memory_order_acquire) < full) {
        if (std::chrono::steady_clock::now() > until)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

std::vector<float> JackPeer::recording(int i) const {
    const std::size_t n = recorded_.load(std::memory_order_acquire);
    const auto& all = recordings_.at(static_cast<std::size_t>(i));
    return {all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(n, all.size()))};
}

int JackPeer::process(unsigned frames, void* arg) noexcept {
    auto* self = static_cast<JackPeer*>(arg);
    for (std::size_t i = 0; i < self->outPorts_.size(); ++i) {
        auto* out = static_cast<float*>(jack_port_get_buffer(self->outPorts_[i], frames));
        const std::vector<float>& signal = self->signals_[i];
        std::size_t& at = self->playPosition_[i];
        for (unsigned k = 0; k < frames; ++k) {
            out[k] = signal.empty() ? 0.0f : signal[at];
            if (!signal.empty() && ++at == signal.size())
                at = 0;
        }
    }
    if (self->recording_.load(std::memory_order_acquire) && !self->recordings_.empty()) {
        const std::size_t done = self->recorded_.load(std::memory_order_relaxed);
        const std::size_t room = self->recordings_.front().size() - done;
        const std::size_t n = std::min<std::size_t>(frames, room);
        for (std::size_t i = 0; i < self->inPorts_.size(); ++i) {
            const auto* in =
                static_cast<const float*>(jack_port_get_buffer(self->inPorts_[i], frames));
            std::copy(in, in + n, self->recordings_[i].begin() + static_cast<std::ptrdiff_t>(done));
        }
        self->recorded_.store(done + n, std::memory_order_release);
    }
    return 0;
}

} // namespace dragoman::test

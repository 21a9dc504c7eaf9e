// A small JACK client for tests, on the server that JACK_DEFAULT_SERVER names, called
// NAME-PID (JACK client names must be unique machine-wide, see JackServer.h): `outputs`
// ports out_0.. that play given signals (looped), `inputs` ports in_0.. that record into
// buffers allocated up front. Connect it with connect() (jack_connect), record with
// record(), and read what it heard once recording is done.
//
//   test::JackPeer peer("peer", {test::sine(1000, -6, 48000)}, 1, 48000);
//   peer.connect("peer:out_0", "dragoman:in_0");
//   peer.record(); ... peer.waitRecorded(); peer.recording(0);
//
// Thread contract: every member on the test thread; JACK's process thread plays and records.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

typedef struct _jack_client jack_client_t;
typedef struct _jack_port jack_port_t;

namespace dragoman::test {

class JackPeer {
public:
    // Throws std::runtime_error when the server refuses the client.
    JackPeer(const std::string& name, std::vector<std::vector<float>> signals, int inputs,
             std::size_t recordFrames);
    ~JackPeer();
    JackPeer(const JackPeer&) = delete;
    JackPeer& operator=(const JackPeer&) = delete;

    std::string name() const;
    std::string outputPort(int i) const { return name() + ":out_" + std::to_string(i); }
    std::string inputPort(int i) const { return name() + ":in_" + std::to_string(i); }

    // jack_connect; throws when JACK refuses.
    void connect(const std::string& from, const std::string& to);

    // Names of the ports matching a JACK regular expression ("" = all).
    std::vector<std::string> ports(const std::string& pattern = "") const;

    // Starts recording every input from the next cycle on (clears what was recorded).
    void record();
    // Waits until the buffers are full or `limit` has passed; true when full.
    bool waitRecorded(std::chrono::milliseconds limit = std::chrono::seconds(5)) const;
    std::size_t recordedFrames() const { return recorded_.load(std::memory_order_acquire); }
    // What input `i` recorded; complete once waitRecorded() said so.
    std::vector<float> recording(int i) const;

    bool serverGone() const { return gone_.load(std::memory_order_acquire); }
    // How many xruns the server has reported since the client was activated: a cycle in which
    // some client of the graph was late, so what was recorded then may have a gap of JACK's.
    unsigned xruns() const { return xruns_.load(std::memory_order_acquire); }

private:
    static int process(unsigned frames, void* arg) noexcept;

    jack_client_t* client_ = nullptr;
    std::vector<jack_port_t*> outPorts_;
    std::vector<jack_port_t*> inPorts_;
    std::vector<std::vector<float>> signals_;
    std::vector<std::size_t> playPosition_;
    std::vector<std::vector<float>> recordings_;
    std::atomic<bool> recording_{false};
    std::atomic<std::size_t> recorded_{0};
    std::atomic<bool> gone_{false};
    std::atomic<unsigned> xruns_{0};
};

} // namespace dragoman::test

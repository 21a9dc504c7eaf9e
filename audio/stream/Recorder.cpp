#include "stream/Recorder.h"

#include <ctime>
#include <system_error>

namespace dragoman::stream {

std::string Recorder::sessionName(std::chrono::system_clock::time_point start) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(start);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H-%M-%S", &local);
    return text;
}

Recorder::Recorder(const venue::Venue& venue, const EncoderThread& encoders,
                   const std::filesystem::path& directory,
                   std::chrono::system_clock::time_point sessionStart, RecorderOptions options)
    : queue_(options.queuePackets)
    , options_(options) {
    // A second session started within the same second gets "-2", "-3" …
    const auto name = sessionName(sessionStart);
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    for (int attempt = 1;; ++attempt) {
        folder_ = directory / (attempt == 1 ? name : name + "-" + std::to_string(attempt));
        ec.clear();
        if (std::filesystem::create_directory(folder_, ec))
            break;
        if (ec || attempt == 100)
            throw RecorderError(folder_.string() + ": cannot create the session folder: " +
                                (ec ? ec.message() : std::string("it exists")));
    }
    for (const auto& channel : venue.channels)
        codes_.push_back(channel.code);
    const auto title = venue.name.empty() ? std::string("Dragoman") : venue.name;
    for (std::size_t c = 0; c < venue.channels.size(); ++c) {
        const auto& channel = venue.channels[c];
        const auto label =
            channel.name.empty() ? channel.code : channel.name + " (" + channel.code + ")";
        const std::vector<std::string> comments{
            "TITLE=" + title + " — " + label,
            "LANGUAGE=" + channel.code,
            "DATE=" + name,
            "ENCODER=Dragoman",
        };
        writers_.push_back(std::make_unique<OggOpusWriter>(file(static_cast<int>(c)),
                                                           encoders.lookahead(static_cast<int>(c)),
                                                           comments, static_cast<int>(c) + 1));
    }
}

Recorder::~Recorder() {
    stop();
}

std::filesystem::path Recorder::file(int channel) const {
    return folder_ / (codes_.at(static_cast<std::size_t>(channel)) + ".opus");
}

void Recorder::onPacket(const EncodedPacket& packet) {
    if (!queue_.try_enqueue(packet))
        dropped_.fetch_add(1, std::memory_order_relaxed);
}

void Recorder::start() {
    if (thread_.joinable() || closed_)
        return;
    stopping_.store(false, std::memory_order_relaxed);
    thread_ = std::thread([this] { run(); });
}

void Recorder::stop() {
    if (closed_)
        return;
    stopping_.store(true, std::memory_order_release);
    if (thread_.joinable())
        thread_.join();
    drain();
    for (auto& writer : writers_)
        if (!writer->close())
            writeErrors_.fetch_add(1, std::memory_order_relaxed);
    closed_ = true;
}

void Recorder::run() noexcept {
    while (!stopping_.load(std::memory_order_acquire)) {
        drain();
        std::this_thread::sleep_for(options_.wake);
    }
}

bool Recorder::drain() {
    bool any = false;
    while (queue_.try_dequeue(packet_)) {
        any = true;
        const auto c = static_cast<std::size_t>(packet_.channel);
        if (c >= writers_.size() || !writers_[c]->write(packet_))
            writeErrors_.fetch_add(1, std::memory_order_relaxed);
        else
            written_.fetch_add(1, std::memory_order_relaxed);
    }
    return any;
}

Recorder::Stats Recorder::stats() const noexcept {
    return {written_.load(std::memory_order_relaxed), dropped_.load(std::memory_order_relaxed),
            writeErrors_.load(std::memory_order_relaxed)};
}

} // namespace dragoman::stream

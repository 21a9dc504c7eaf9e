#include "stream/Recorder.h"

#include <cerrno>
#include <ctime>
#include <sys/statvfs.h>
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
        comments_.push_back({
            "TITLE=" + title + " — " + label,
            "LANGUAGE=" + channel.code,
            "DATE=" + name,
            "ENCODER=Dragoman",
        });
        lookaheads_.push_back(encoders.lookahead(static_cast<int>(c)));
    }
    openPart(1);
}

void Recorder::openPart(int part) {
    std::vector<std::unique_ptr<OggOpusWriter>> writers;
    try {
        for (std::size_t c = 0; c < codes_.size(); ++c) {
            auto comments = comments_[c];
            if (part > 1)
                comments.push_back("PART=" + std::to_string(part));
            writers.push_back(std::make_unique<OggOpusWriter>(file(static_cast<int>(c), part),
                                                              lookaheads_[c], comments,
                                                              static_cast<int>(c) + 1));
        }
    } catch (const RecorderError&) {
        for (auto& writer : writers) { // a part is whole or not at all
            writer->abandon();
            std::error_code ec;
            std::filesystem::remove(writer->file(), ec);
        }
        throw;
    }
    writers_ = std::move(writers);
    part_.store(part, std::memory_order_relaxed);
}

Recorder::~Recorder() {
    stop();
}

std::filesystem::path Recorder::file(int channel, int part) const {
    const auto& code = codes_.at(static_cast<std::size_t>(channel));
    return folder_ / (part > 1 ? code + "-" + std::to_string(part) + ".opus" : code + ".opus");
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
        if (!recording_.load(std::memory_order_relaxed))
            tryResume();
        drain();
        std::this_thread::sleep_for(options_.wake);
    }
}

bool Recorder::drain() {
    bool any = false;
    while (queue_.try_dequeue(packet_)) {
        any = true;
        const auto c = static_cast<std::size_t>(packet_.channel);
        if (!recording_.load(std::memory_order_relaxed)) {
            lost_.fetch_add(1, std::memory_order_relaxed);
        } else if (c >= writers_.size()) {
            writeErrors_.fetch_add(1, std::memory_order_relaxed);
        } else if (!writers_[c]->write(packet_)) {
            writeErrors_.fetch_add(1, std::memory_order_relaxed);
            suspend(writers_[c]->file().filename().string() + ": " +
                    std::generic_category().message(errno));
        } else {
            written_.fetch_add(1, std::memory_order_relaxed);
        }
    }
    return any;
}

// Every file cut back to its last whole page and closed; recording waits for space.
void Recorder::suspend(const std::string& why) {
    for (auto& writer : writers_)
        writer->abandon();
    writers_.clear();
    {
        const std::lock_guard lock(errorMutex_);
        lastError_ = why;
    }
    stops_.fetch_add(1, std::memory_order_relaxed);
    recording_.store(false, std::memory_order_relaxed);
    retryAt_ = std::chrono::steady_clock::now() + options_.retry;
}

void Recorder::tryResume() {
    const auto now = std::chrono::steady_clock::now();
    if (now < retryAt_)
        return;
    retryAt_ = now + options_.retry;
    struct statvfs disk {};
    if (::statvfs(folder_.c_str(), &disk) != 0 ||
        static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize < options_.resumeFreeBytes)
        return;
    try {
        openPart(part() + 1);
    } catch (const RecorderError& error) {
        const std::lock_guard lock(errorMutex_);
        lastError_ = error.what();
        return;
    }
    resumes_.fetch_add(1, std::memory_order_relaxed);
    recording_.store(true, std::memory_order_relaxed);
}

std::string Recorder::lastError() const {
    const std::lock_guard lock(errorMutex_);
    return lastError_;
}

Recorder::Stats Recorder::stats() const noexcept {
    Stats s;
    s.written = written_.load(std::memory_order_relaxed);
    s.dropped = dropped_.load(std::memory_order_relaxed);
    s.writeErrors = writeErrors_.load(std::memory_order_relaxed);
    s.lost = lost_.load(std::memory_order_relaxed);
    s.stops = stops_.load(std::memory_order_relaxed);
    s.resumes = resumes_.load(std::memory_order_relaxed);
    s.recording = recording_.load(std::memory_order_relaxed);
    s.part = part_.load(std::memory_order_relaxed);
    return s;
}

} // namespace dragoman::stream

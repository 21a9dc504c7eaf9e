#include "device/LibraryMessages.h"

#include <alsa/asoundlib.h>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <deque>
#include <jack/jack.h>
#include <mutex>
#include <string_view>

namespace dragoman::device {

namespace {

struct Store {
    std::mutex mutex;
    std::deque<std::string> kept; // the newest kKeptLibraryMessages
    std::uint64_t count = 0;      // every message since installation
    std::uint64_t mark = 0;       // the latest markLibraryMessages()
    std::string firstAfterMark;   // the message numbered `mark`, "" until it comes
    std::atomic<bool> echo{false};
};

Store& store() {
    static Store s;
    return s;
}

// Keeps `text` (as "SOURCE: text"), and prints `line` on stderr when echoing.
void keep(std::string_view source, std::string_view text, std::string_view line) {
    Store& s = store();
    std::string message(source);
    message += ": ";
    message += text.substr(0, kLibraryMessageLength);
    if (message.size() > kLibraryMessageLength)
        message.resize(kLibraryMessageLength);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    std::lock_guard lock(s.mutex);
    if (s.count == s.mark)
        s.firstAfterMark = message;
    ++s.count;
    s.kept.push_back(std::move(message));
    if (s.kept.size() > kKeptLibraryMessages)
        s.kept.pop_front();
    if (s.echo.load(std::memory_order_relaxed)) {
        std::fwrite(line.data(), 1, line.size(), stderr);
        if (line.empty() || line.back() != '\n')
            std::fputc('\n', stderr);
    }
}

// ALSA's own handler prints "ALSA lib FILE:LINE:(FUNCTION) MESSAGE[: ERROR]".
void onAlsa(const char* file, int line, const char* function, int err, const char* format, ...) {
    char text[kLibraryMessageLength];
    va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(text, sizeof text, format, arguments);
    va_end(arguments);
    std::string message = text;
    if (err != 0) {
        message += ": ";
        message += snd_strerror(err);
    }
    char prefix[kLibraryMessageLength];
    std::snprintf(prefix, sizeof prefix, "ALSA lib %s:%i:(%s) ", file ? file : "?", line,
                  function ? function : "?");
    keep("ALSA", message, prefix + message);
}

void onJack(const char* message) {
    const std::string_view text = message != nullptr ? message : "";
    keep("JACK", text, text);
}

} // namespace

void installLibraryMessages(std::optional<bool> echo) {
    if (echo)
        store().echo.store(*echo, std::memory_order_relaxed);
    static std::once_flag once;
    std::call_once(once, [] {
        snd_lib_error_set_handler(onAlsa);
        jack_set_error_function(onJack);
        jack_set_info_function(onJack);
    });
}

std::uint64_t markLibraryMessages() {
    Store& s = store();
    std::lock_guard lock(s.mutex);
    s.mark = s.count;
    s.firstAfterMark.clear();
    return s.mark;
}

std::vector<std::string> keptLibraryMessages() {
    Store& s = store();
    std::lock_guard lock(s.mutex);
    return {s.kept.begin(), s.kept.end()};
}

std::string explainLibraryMessages(std::uint64_t mark) {
    Store& s = store();
    std::lock_guard lock(s.mutex);
    if (s.count <= mark)
        return {};
    // The first message names the cause ("cannot find card '0'"); the rest follow from it.
    const std::uint64_t oldestKept = s.count - s.kept.size();
    const std::string& first = mark == s.mark && !s.firstAfterMark.empty() ? s.firstAfterMark
                               : mark >= oldestKept ? s.kept[mark - oldestKept]
                                                    : s.kept.front();
    std::string text = "; " + first;
    if (const auto more = s.count - mark - 1; more > 0)
        text += " (and " + std::to_string(more) + " more library messages)";
    return text;
}

} // namespace dragoman::device

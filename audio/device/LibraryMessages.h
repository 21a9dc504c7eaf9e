// What ALSA's and JACK's libraries say on their own. Probing devices (PortAudio's ALSA and JACK
// host APIs, libjack's clients) makes both print error lines on stderr: on a machine without a
// sound card some 60 lines ("ALSA lib confmisc.c:855:(parse_card) cannot find card '0'",
// "Cannot connect to server socket err = No such file or directory") before Dragoman's banner.
// Once installed, these messages go to a small store instead: printed on stderr only when
// asked (dragoman --verbose), and the first ones after a failed open explain it in the device
// status (DeviceStatus::lastError, the console's device panel).
//
// The libraries' handlers are process-wide C function pointers, so the store is one per
// process too. It is never touched by Dragoman's audio callback.
//
// Thread contract: any thread. JACK calls its error function from its own threads, so the
// store is guarded by a mutex; it keeps at most kKeptLibraryMessages messages of at most
// kLibraryMessageLength bytes each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dragoman::device {

inline constexpr std::size_t kKeptLibraryMessages = 64;
inline constexpr std::size_t kLibraryMessageLength = 300;

// Installs the ALSA and JACK handlers (once). Call it before Pa_Initialize and before any JACK
// client is opened; openDevice() does so. A given `echo` sets whether every message is also
// printed on stderr as the library would have printed it (off until said).
void installLibraryMessages(std::optional<bool> echo = std::nullopt);

// Starts counting the messages that explain what comes next (a device open): returns the mark
// for explainLibraryMessages(). The first message after the latest mark is kept however many
// follow it.
std::uint64_t markLibraryMessages();

// The messages still kept, oldest first ("ALSA: cannot find card '0'", "JACK: jack server is
// not running or cannot be started").
std::vector<std::string> keptLibraryMessages();

// What to add to a failure's text: "; ALSA: cannot find card '0' (and 64 more library
// messages)", or "" when no message arrived after `mark`.
std::string explainLibraryMessages(std::uint64_t mark);

} // namespace dragoman::device

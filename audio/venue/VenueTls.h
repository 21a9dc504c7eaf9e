// The venue file's "tls" section: the venue's own certificate and private key (PEM files) that
// the router presents on its control and listeners' ports (app/tls). It belongs to the file,
// not to the routing: load() checks its shape (VenueReader.cpp) and the router reads it here;
// save() keeps it as the file had it.
//
// Thread contract: any thread; reads the file.
#pragma once

#include <filesystem>
#include <string>

namespace dragoman::venue {

struct TlsFiles {
    std::filesystem::path certificate; // absolute (a relative path in the file is relative to
    std::filesystem::path key;         // the venue file's folder); empty without "tls"
    std::string certificateAsWritten;  // as the file writes them (for save())
    std::string keyAsWritten;

    bool configured() const { return !certificate.empty(); }
};

// The "tls" section of `venueFile`; empty when it has none. Throws VenueError (file, JSON path,
// problem) when the file cannot be read or the section is malformed.
TlsFiles readTlsFiles(const std::filesystem::path& venueFile);

} // namespace dragoman::venue

#include "venue/VenueTls.h"

#include "venue/StrictJson.h"
#include "venue/VenueError.h"
#include "venue/VenueFile.h"

namespace dragoman::venue {

TlsFiles readTlsFiles(const std::filesystem::path& venueFile) {
    const auto name = venueFile.string();
    const std::string text = readVenueText(venueFile);
    auto syntax = parseStrictJson(text, kVenueFileLimits);
    if (syntax.refusal)
        throw VenueError(name, std::move(syntax.refusal->path), std::move(syntax.refusal->problem));
    TlsFiles files;
    const auto& root = syntax.document;
    if (!root.is_object() || !root.contains("tls"))
        return files;
    const auto& tls = root["tls"];
    const auto folder = std::filesystem::absolute(venueFile).parent_path();
    const auto path = [&](const char* key, std::string& asWritten) {
        const std::string at = std::string("$.tls.") + key;
        if (!tls.is_object() || !tls.contains(key) || !tls[key].is_string() ||
            tls[key].get<std::string>().empty())
            throw VenueError(name, at, "wants the path of a PEM file");
        asWritten = tls[key].get<std::string>();
        return (folder / asWritten).lexically_normal();
    };
    files.certificate = path("certificate", files.certificateAsWritten);
    files.key = path("key", files.keyAsWritten);
    return files;
}

} // namespace dragoman::venue

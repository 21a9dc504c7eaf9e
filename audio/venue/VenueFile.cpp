// The venue file pipeline: read the file, then the three steps (syntax, shape, meaning).
#include "venue/VenueFile.h"

#include "venue/StrictJson.h"
#include "venue/TextFile.h"
#include "venue/VenueReader.h"

#include <utility>

namespace dragoman::venue {

std::string readVenueText(const std::filesystem::path& file) {
    try {
        return readTextFile(file, kVenueFileLimits.maxBytes);
    } catch (const TextFileError& e) {
        throw VenueError(file.string(), "$", e.what());
    }
}

Venue load(const std::filesystem::path& file) {
    return parse(readVenueText(file), file.string());
}

Venue parse(std::string_view json, const std::string& file) {
    auto syntax = parseStrictJson(json, kVenueFileLimits);
    if (syntax.refusal)
        throw VenueError(file, std::move(syntax.refusal->path), std::move(syntax.refusal->problem));
    Venue venue = readVenue(syntax.document, file);
    validate(venue, file);
    return venue;
}

} // namespace dragoman::venue

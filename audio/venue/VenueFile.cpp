// The venue file pipeline: read the file, then the three steps (syntax, shape, meaning).
#include "venue/VenueFile.h"

#include "venue/StrictJson.h"
#include "venue/TextFile.h"
#include "venue/VenueReader.h"

#include <utility>

namespace dragoman::venue {

Venue load(const std::filesystem::path& file) {
    const auto name = file.string();
    std::string text;
    try {
        text = readTextFile(file, kVenueFileLimits.maxBytes);
    } catch (const TextFileError& e) {
        throw VenueError(name, "$", e.what());
    }
    return parse(text, name);
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

#include "midi/DefaultMappings.h"

#include "midi/MappingFile.h"

#include <algorithm>
#include <system_error>

namespace dragoman::midi {

std::vector<Mapping> loadMappings(const std::vector<std::filesystem::path>& userFiles,
                                  const std::filesystem::path& defaultsFolder,
                                  const venue::Venue& venue) {
    std::vector<Mapping> mappings;
    for (std::size_t i = 0; i < userFiles.size(); ++i) {
        std::error_code error;
        if (i == 0 && !std::filesystem::exists(userFiles[i], error))
            continue; // the learn file, created by the first binding learnt
        mappings.push_back(loadMapping(userFiles[i], venue));
    }
    std::vector<std::filesystem::path> defaults;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(defaultsFolder, error))
        if (entry.path().extension() == ".json")
            defaults.push_back(entry.path());
    std::sort(defaults.begin(), defaults.end());
    std::vector<Mapping> fallbacks;
    for (const auto& file : defaults) {
        auto mapping = loadMapping(file, venue);
        (mapping.fallback ? fallbacks : mappings).push_back(std::move(mapping));
    }
    for (auto& m : fallbacks)
        mappings.push_back(std::move(m));
    return mappings;
}

} // namespace dragoman::midi

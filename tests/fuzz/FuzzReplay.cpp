// Replays fuzz inputs through a fuzz target without libFuzzer (any compiler): each file given,
// or each file in each folder given. Exits non-zero when an input fails or there is none.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int replay(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::vector<std::uint8_t> data{std::istreambuf_iterator<char>(in), {}};
    return LLVMFuzzerTestOneInput(data.data(), data.size());
}

} // namespace

int main(int argc, char** argv) {
    int failures = 0, runs = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path path(argv[i]);
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(path)) {
            for (const auto& entry : std::filesystem::directory_iterator(path))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
        } else {
            files.push_back(path);
        }
        for (const auto& file : files) {
            const int result = replay(file);
            failures += result != 0;
            ++runs;
            if (result != 0)
                std::printf("failed: %s\n", file.string().c_str());
        }
    }
    std::printf("%s: %d inputs, %d failed\n", argc > 0 ? argv[0] : "replay", runs, failures);
    return failures == 0 && runs > 0 ? 0 : 1;
}

#include "venue/Venue.h"

#include <charconv>
#include <stdexcept>

namespace dragoman::venue {

std::string_view toString(InterlockMode mode) {
    return mode == InterlockMode::Override ? "override" : "interlock";
}

std::optional<InterlockMode> interlockModeFromString(std::string_view text) {
    if (text == "override")
        return InterlockMode::Override;
    if (text == "interlock")
        return InterlockMode::Interlock;
    return std::nullopt;
}

std::string_view toString(Slot slot) {
    switch (slot) {
    case Slot::A:
        return "A";
    case Slot::B:
        return "B";
    case Slot::C:
        return "C";
    }
    return "?";
}

std::optional<Slot> slotFromString(std::string_view text) {
    if (text == "A" || text == "a")
        return Slot::A;
    if (text == "B" || text == "b")
        return Slot::B;
    if (text == "C" || text == "c")
        return Slot::C;
    return std::nullopt;
}

std::optional<int> Venue::channelIndex(std::string_view code) const {
    for (std::size_t i = 0; i < channels.size(); ++i)
        if (channels[i].code == code)
            return static_cast<int>(i);
    return std::nullopt;
}

std::optional<int> Venue::boothIndex(std::string_view code) const {
    for (std::size_t i = 0; i < booths.size(); ++i)
        if (booths[i].code == code)
            return static_cast<int>(i);
    return std::nullopt;
}

std::optional<int> Venue::deskIndex(std::string_view id) const {
    const auto dot = id.rfind('.');
    if (dot == std::string_view::npos)
        return std::nullopt;
    const auto booth = boothIndex(id.substr(0, dot));
    if (!booth)
        return std::nullopt;
    const auto number = id.substr(dot + 1);
    int n = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
    if (ec != std::errc{} || end != number.data() + number.size())
        return std::nullopt;
    const auto& desks = booths[static_cast<std::size_t>(*booth)].desks;
    if (n < 1 || n > static_cast<int>(desks.size()))
        return std::nullopt;
    int flat = 0;
    for (int b = 0; b < *booth; ++b)
        flat += static_cast<int>(booths[static_cast<std::size_t>(b)].desks.size());
    return flat + n - 1;
}

DeskAddress Venue::deskAddress(int flatDesk) const {
    int remaining = flatDesk;
    for (std::size_t b = 0; b < booths.size(); ++b) {
        const int count = static_cast<int>(booths[b].desks.size());
        if (remaining < count)
            return {static_cast<int>(b), remaining};
        remaining -= count;
    }
    throw std::out_of_range("desk index " + std::to_string(flatDesk) + " is not in the venue");
}

std::string Venue::deskId(int flatDesk) const {
    const auto address = deskAddress(flatDesk);
    return booths[static_cast<std::size_t>(address.booth)].code + "." +
           std::to_string(address.desk + 1);
}

int Venue::deskCount() const {
    int count = 0;
    for (const auto& booth : booths)
        count += static_cast<int>(booth.desks.size());
    return count;
}

const Desk& Venue::desk(int flatDesk) const {
    const auto address = deskAddress(flatDesk);
    return booths[static_cast<std::size_t>(address.booth)]
        .desks[static_cast<std::size_t>(address.desk)];
}

} // namespace dragoman::venue

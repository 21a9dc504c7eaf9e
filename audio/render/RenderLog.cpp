#include "render/RenderLog.h"

#include "render/AtomicFile.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

namespace dragoman::render {

namespace {

using Json = nlohmann::ordered_json; // keys in venue order, not alphabetical

Json deskOrNull(const venue::Venue& venue, int desk) {
    return desk >= 0 && desk < venue.deskCount() ? Json(venue.deskId(desk)) : Json(nullptr);
}

Json channelOrNull(const venue::Venue& venue, int channel) {
    return channel >= 0 && channel < static_cast<int>(venue.channels.size())
               ? Json(venue.channels[static_cast<std::size_t>(channel)].code)
               : Json(nullptr);
}

// Decibels to 0.01 dB (what any meter shows); silence (-inf) becomes null.
Json decibels(float db) {
    if (!std::isfinite(db))
        return nullptr;
    return std::round(static_cast<double>(db) * 100.0) / 100.0;
}

Json meter(const core::MeterReading& reading) {
    return {{"peakDb", decibels(reading.peakDb)},
            {"truePeakDb", decibels(reading.truePeakDb)},
            {"rmsDb", decibels(reading.rmsDb)},
            {"clips", reading.clips}};
}

Json limiter(const core::LimiterReading& reading) {
    return {{"gainReductionDb", decibels(reading.gainReductionDb)},
            {"sustained", reading.sustained},
            {"warning", reading.warning},
            {"averageDb", decibels(reading.averageDb)}};
}

Json event(const EventRecord& record, const venue::Venue& venue) {
    return {{"time", record.time},
            {"frame", record.frame},
            {"line", record.line},
            {"text", record.text},
            {"applied", record.applied},
            {"accepted", record.accepted},
            {"reason", record.accepted ? Json(nullptr) : Json(record.reason)},
            {"holder", deskOrNull(venue, record.holder)},
            {"handover", deskOrNull(venue, record.handover)},
            {"displaced", deskOrNull(venue, record.displaced)}};
}

Json monitor(const core::RoutingState& state, const venue::Venue& venue) {
    const int index = state.monitorIndex;
    switch (state.monitor) {
    case core::MonitorSource::Channel:
        return {{"source", "channel"}, {"of", channelOrNull(venue, index)}};
    case core::MonitorSource::FloorMic:
        return {{"source", "floor mic"},
                {"of", index >= 0 && index < static_cast<int>(venue.floorMics.size())
                           ? Json(venue.floorMics[static_cast<std::size_t>(index)].name)
                           : Json(nullptr)}};
    case core::MonitorSource::DeskMic:
        return {{"source", "desk mic"}, {"of", deskOrNull(venue, index)}};
    case core::MonitorSource::DeskFeed:
        return {{"source", "desk feed"}, {"of", deskOrNull(venue, index)}};
    }
    return nullptr;
}

Json routing(const RoutingRecord& record, const venue::Venue& venue) {
    const auto& state = record.state;
    Json channels = Json::object();
    for (std::size_t c = 0; c < state.channels.size() && c < venue.channels.size(); ++c) {
        const auto& channel = state.channels[c];
        Json source = nullptr;
        if (channel.sourceDesk >= 0)
            source = deskOrNull(venue, channel.sourceDesk);
        else if (channel.tag == core::QualityTag::Floor)
            source = "floor";
        channels[venue.channels[c].code] = {{"source", source},
                                            {"tag", core::toString(channel.tag)},
                                            {"autoFloor", channel.autoFloor}};
    }
    Json desks = Json::object();
    const int deskCount = std::min(static_cast<int>(state.desks.size()), venue.deskCount());
    for (int k = 0; k < deskCount; ++k) {
        const auto& desk = state.desks[static_cast<std::size_t>(k)];
        desks[venue.deskId(k)] = {{"mic", desk.mic},
                                  {"cough", desk.cough},
                                  {"out", venue::toString(desk.out)},
                                  {"outChannel", channelOrNull(venue, desk.outChannel)},
                                  {"in", channelOrNull(venue, desk.in)},
                                  {"hearing", channelOrNull(venue, desk.hearing)},
                                  {"volumeDb", desk.volumeDb},
                                  {"bassDb", desk.bassDb},
                                  {"trebleDb", desk.trebleDb}};
    }
    Json booths = Json::object();
    for (std::size_t b = 0; b < state.booths.size() && b < venue.booths.size(); ++b) {
        const auto& booth = state.booths[b];
        booths[venue.booths[b].code] = {{"interlock", venue::toString(booth.interlock)},
                                        {"autoRelay", booth.autoRelay},
                                        {"live", deskOrNull(venue, booth.liveDesk)}};
    }
    return {{"time", record.time},
            {"frame", record.frame},
            {"lines", record.lines},
            {"channels", channels},
            {"desks", desks},
            {"booths", booths},
            {"monitor", monitor(state, venue)}};
}

template <typename Reading, typename Convert>
Json byDesk(const std::vector<Reading>& readings, const venue::Venue& venue, Convert convert) {
    Json out = Json::object();
    for (std::size_t k = 0; k < readings.size(); ++k)
        out[venue.deskId(static_cast<int>(k))] = convert(readings[k]);
    return out;
}

Json meters(const MeterRecords& records, const venue::Venue& venue) {
    Json floorMics = Json::array();
    for (std::size_t m = 0; m < records.floorMics.size() && m < venue.floorMics.size(); ++m) {
        Json entry = {{"name", venue.floorMics[m].name}, {"input", venue.floorMics[m].input}};
        entry.update(meter(records.floorMics[m]));
        floorMics.push_back(std::move(entry));
    }
    Json channels = Json::object();
    for (std::size_t c = 0; c < records.channels.size() && c < venue.channels.size(); ++c)
        channels[venue.channels[c].code] = meter(records.channels[c]);
    return {{"floorMics", floorMics},
            {"deskMics", byDesk(records.deskMics, venue, meter)},
            {"channels", channels},
            {"deskFeeds", byDesk(records.deskFeeds, venue, meter)},
            {"limiters", byDesk(records.limiters, venue, limiter)}};
}

} // namespace

std::string toJson(const RenderLog& log, const venue::Venue& venue) {
    Json events = Json::array();
    for (const auto& record : log.events)
        events.push_back(event(record, venue));
    Json routingEntries = Json::array();
    for (const auto& record : log.routing)
        routingEntries.push_back(routing(record, venue));
    Json taps = Json::object();
    for (std::size_t c = 0; c < log.taps.size() && c < venue.channels.size(); ++c)
        taps[venue.channels[c].code] = {{"pushed", log.taps[c].pushed},
                                        {"overruns", log.taps[c].overruns}};
    const Json root = {{"venue", venue.name},
                       {"sampleRate", log.sampleRate},
                       {"frames", log.frames},
                       {"blockSize", log.blockSize},
                       {"events", events},
                       {"routing", routingEntries},
                       {"meters", meters(log.meters, venue)},
                       {"taps", taps}};
    return root.dump(2) + "\n";
}

void writeLog(const RenderLog& log, const venue::Venue& venue, const std::filesystem::path& file) {
    const std::string text = toJson(log, venue);
    const auto temporary = temporaryBeside(file);
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            throw std::runtime_error(file.string() + ": cannot write the render log");
        }
    }
    moveIntoPlace(temporary, file);
}

} // namespace dragoman::render

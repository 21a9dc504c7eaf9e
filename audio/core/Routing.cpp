#include "core/Routing.h"

#include "core/Interlock.h"
#include "core/QualityTags.h"

#include <algorithm>
#include <utility>

namespace dragoman::core {

namespace {

bool inRange(int index, std::size_t size) {
    return index >= 0 && static_cast<std::size_t>(index) < size;
}

CommandResult refuse(CommandResult result, Refusal reason, int holder = -1) {
    result.accepted = false;
    result.reason = reason;
    result.holder = holder;
    return result;
}

} // namespace

Routing::Routing(const venue::Venue& venue, const Topology& topology)
    : topology_(topology) {
    state_.desks.resize(static_cast<std::size_t>(topology.desks));
    state_.channels.resize(venue.channels.size());
    for (std::size_t c = 0; c < venue.channels.size(); ++c)
        state_.channels[c].autoFloor = c == 0 || venue.channels[c].autoFloor;
    state_.inputTrimDb.assign(static_cast<std::size_t>(std::max(0, venue.deviceInputs)), 0.0f);
    for (const auto& booth : venue.booths)
        state_.booths.push_back(BoothStatus{booth.interlock, booth.autoRelay, -1});
    deriveRouting(topology_, state_);
}

namespace {

bool sameDesk(const DeskStatus& a, const DeskStatus& b) {
    return a.mic == b.mic && a.cough == b.cough && a.out == b.out && a.in == b.in &&
           a.volumeDb == b.volumeDb && a.bassDb == b.bassDb && a.trebleDb == b.trebleDb &&
           a.slowCalls == b.slowCalls && a.helpCalls == b.helpCalls;
}

} // namespace

CommandResult Routing::apply(const Command& command) noexcept {
    // Only a change of the primary state (keys, selections, levels, modes) is a new version;
    // pressing what is already pressed is accepted and changes nothing.
    const bool deskCommand =
        isDeskCommand(command.kind) && inRange(command.target, state_.desks.size());
    const DeskStatus deskBefore =
        deskCommand ? state_.desks[static_cast<std::size_t>(command.target)] : DeskStatus{};
    bool changed = false;

    CommandResult result;
    result.id = command.id;
    result.kind = command.kind;
    result.target = command.target;
    result.accepted = true;

    switch (command.kind) {
    case Command::Kind::DeskMic:
    case Command::Kind::DeskCough:
    case Command::Kind::DeskOut:
    case Command::Kind::DeskIn:
    case Command::Kind::DeskVolume:
    case Command::Kind::DeskBass:
    case Command::Kind::DeskTreble:
    case Command::Kind::DeskCallKey:
        if (!inRange(command.target, state_.desks.size()))
            return refuse(result, Refusal::UnknownTarget);
        result = applyDesk(command, result);
        break;
    case Command::Kind::ChannelAutoFloor:
        if (!inRange(command.target, state_.channels.size()))
            return refuse(result, Refusal::UnknownTarget);
        if (command.target == 0)
            return refuse(result, Refusal::OutOfRange); // the floor always carries the floor
        changed = std::exchange(state_.channels[static_cast<std::size_t>(command.target)].autoFloor,
                                command.flag) != command.flag;
        break;
    case Command::Kind::BoothInterlock:
        if (!inRange(command.target, state_.booths.size()))
            return refuse(result, Refusal::UnknownTarget);
        changed = std::exchange(state_.booths[static_cast<std::size_t>(command.target)].interlock,
                                command.mode) != command.mode;
        break;
    case Command::Kind::BoothAutoRelay:
        if (!inRange(command.target, state_.booths.size()))
            return refuse(result, Refusal::UnknownTarget);
        changed = std::exchange(state_.booths[static_cast<std::size_t>(command.target)].autoRelay,
                                command.flag) != command.flag;
        break;
    case Command::Kind::ChannelTrim:
    case Command::Kind::InputTrim: {
        const bool channel = command.kind == Command::Kind::ChannelTrim;
        if (!inRange(command.target, channel ? state_.channels.size() : state_.inputTrimDb.size()))
            return refuse(result, Refusal::UnknownTarget);
        if (!(command.amount >= kTrimMinDb && command.amount <= kTrimMaxDb))
            return refuse(result, Refusal::OutOfRange);
        auto& trim = channel ? state_.channels[static_cast<std::size_t>(command.target)].trimDb
                             : state_.inputTrimDb[static_cast<std::size_t>(command.target)];
        changed = std::exchange(trim, command.amount) != command.amount;
        break;
    }
    case Command::Kind::Monitor: {
        std::size_t count = 0;
        switch (command.monitor) {
        case MonitorSource::Channel:
            count = state_.channels.size();
            break;
        case MonitorSource::FloorMic:
            count = topology_.floorMicInput.size();
            break;
        case MonitorSource::DeskMic:
        case MonitorSource::DeskFeed:
            count = state_.desks.size();
            break;
        }
        if (!inRange(command.index, count))
            return refuse(result, Refusal::UnknownTarget);
        changed = state_.monitor != command.monitor || state_.monitorIndex != command.index;
        state_.monitor = command.monitor;
        state_.monitorIndex = command.index;
        break;
    }
    }
    if (deskCommand)
        changed = !sameDesk(deskBefore, state_.desks[static_cast<std::size_t>(command.target)]) ||
                  result.handover >= 0 || result.displaced >= 0;
    if (result.accepted && changed) {
        deriveRouting(topology_, state_);
        ++state_.version;
    }
    return result;
}

CommandResult Routing::applyDesk(const Command& command, CommandResult result) noexcept {
    const int d = command.target;
    auto& desk = state_.desks[static_cast<std::size_t>(d)];
    switch (command.kind) {
    case Command::Kind::DeskMic:
        if (!command.flag) {
            desk.mic = false;
            return result;
        }
        if (desk.mic)
            return result; // already live
        if (desk.outChannel < 0)
            return refuse(result, Refusal::NoSuchSlot);
        return goLive(d, desk.outChannel, result);
    case Command::Kind::DeskCough:
        desk.cough = command.flag;
        return result;
    case Command::Kind::DeskOut: {
        const int channel = topology_.slotChannel(d, command.slot);
        if (channel < 0)
            return refuse(result, Refusal::NoSuchSlot);
        if (desk.mic && channel != desk.outChannel) {
            // A live desk moves to the new channel only if the interlock rule lets it.
            const auto decision = arbitrate(topology_, state_, d, channel);
            if (decision.refusal != Refusal::None)
                return refuse(result, decision.refusal, decision.holder);
            if (decision.displaced >= 0)
                state_.desks[static_cast<std::size_t>(decision.displaced)].mic = false;
            result.displaced = decision.displaced;
        }
        desk.out = command.slot;
        return result;
    }
    case Command::Kind::DeskIn:
        if (!inRange(command.index, state_.channels.size()))
            return refuse(result, Refusal::UnknownTarget);
        desk.in = command.index;
        return result;
    case Command::Kind::DeskVolume:
        if (!(command.amount >= kVolumeMinDb && command.amount <= kVolumeMaxDb))
            return refuse(result, Refusal::OutOfRange);
        desk.volumeDb = command.amount;
        return result;
    case Command::Kind::DeskBass:
    case Command::Kind::DeskTreble:
        if (!(command.amount >= -kToneMaxDb && command.amount <= kToneMaxDb))
            return refuse(result, Refusal::OutOfRange);
        (command.kind == Command::Kind::DeskBass ? desk.bassDb : desk.trebleDb) = command.amount;
        return result;
    case Command::Kind::DeskCallKey:
        ++(command.call == DeskCall::Slow ? desk.slowCalls : desk.helpCalls);
        return result;
    default:
        return refuse(result, Refusal::UnknownTarget);
    }
}

CommandResult Routing::goLive(int desk, int channel, CommandResult result) noexcept {
    const auto decision = arbitrate(topology_, state_, desk, channel);
    if (decision.refusal != Refusal::None)
        return refuse(result, decision.refusal, decision.holder);
    if (decision.handover >= 0)
        state_.desks[static_cast<std::size_t>(decision.handover)].mic = false;
    if (decision.displaced >= 0)
        state_.desks[static_cast<std::size_t>(decision.displaced)].mic = false;
    state_.desks[static_cast<std::size_t>(desk)].mic = true;
    result.handover = decision.handover;
    result.displaced = decision.displaced;
    return result;
}

} // namespace dragoman::core

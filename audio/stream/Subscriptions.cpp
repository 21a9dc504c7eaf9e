#include "stream/Subscriptions.h"

#include <algorithm>
#include <arpa/inet.h>

namespace dragoman::stream {

std::optional<Endpoint> Endpoint::parse(std::string_view address, std::uint16_t port) {
    const std::string text(address);
    in_addr parsed{};
    if (inet_pton(AF_INET, text.c_str(), &parsed) != 1)
        return std::nullopt;
    return Endpoint{ntohl(parsed.s_addr), port};
}

std::string Endpoint::addressText() const {
    in_addr a{};
    a.s_addr = htonl(address);
    char buffer[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &a, buffer, sizeof buffer);
    return buffer;
}

std::string Endpoint::toString() const {
    return addressText() + ":" + std::to_string(port);
}

Subscriptions::Subscriptions(Clock::duration expiry)
    : expiry_(expiry) {
}

std::vector<ListenerStats>* Subscriptions::channelList(int channel) {
    if (channel < 0)
        return nullptr;
    const auto index = static_cast<std::size_t>(channel);
    if (index >= byChannel_.size())
        byChannel_.resize(index + 1);
    return &byChannel_[index];
}

const std::vector<ListenerStats>* Subscriptions::channelList(int channel) const {
    if (channel < 0 || static_cast<std::size_t>(channel) >= byChannel_.size())
        return nullptr;
    return &byChannel_[static_cast<std::size_t>(channel)];
}

bool Subscriptions::subscribe(int channel, Endpoint rtp, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    auto* list = channelList(channel);
    if (list == nullptr)
        return false;
    for (auto& l : *list) {
        if (l.rtp == rtp) {
            l.lastSeen = now;
            l.expires = now + expiry_;
            return false;
        }
    }
    ListenerStats l;
    l.channel = channel;
    l.rtp = rtp;
    l.subscribed = now;
    l.lastSeen = now;
    l.expires = now + expiry_;
    list->push_back(l);
    return true;
}

bool Subscriptions::unsubscribe(int channel, Endpoint rtp) {
    const std::lock_guard lock(mutex_);
    auto* list = channelList(channel);
    if (list == nullptr)
        return false;
    const auto erased = std::erase_if(*list, [&](const ListenerStats& l) { return l.rtp == rtp; });
    return erased > 0;
}

bool Subscriptions::applyReport(int channel, Endpoint rtcpSource, const ReportBlock& block,
                                Clock::time_point now) {
    if (rtcpSource.port == 0)
        return false;
    const Endpoint rtp{rtcpSource.address, static_cast<std::uint16_t>(rtcpSource.port - 1)};
    const std::lock_guard lock(mutex_);
    auto* list = channelList(channel);
    if (list == nullptr)
        return false;
    for (auto& l : *list) {
        if (l.rtp != rtp)
            continue;
        l.lastSeen = now;
        l.expires = now + expiry_;
        ++l.reports;
        l.fractionLost = block.fractionLost / 256.0;
        l.cumulativeLost = block.cumulativeLost;
        l.jitterMs = block.jitter * 1000.0 / 48000.0;
        l.highestSequence = block.highestSequence;
        return true;
    }
    return false;
}

std::size_t Subscriptions::expire(Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    std::size_t removed = 0;
    for (auto& list : byChannel_)
        removed += std::erase_if(list, [&](const ListenerStats& l) { return l.expires <= now; });
    return removed;
}

std::size_t Subscriptions::count(int channel) const {
    const std::lock_guard lock(mutex_);
    const auto* list = channelList(channel);
    return list == nullptr ? 0 : list->size();
}

std::size_t Subscriptions::total() const {
    const std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& list : byChannel_)
        n += list.size();
    return n;
}

std::vector<ListenerStats> Subscriptions::listeners(int channel) const {
    const std::lock_guard lock(mutex_);
    std::vector<ListenerStats> out;
    for (const auto& list : byChannel_)
        for (const auto& l : list)
            if (channel < 0 || l.channel == channel)
                out.push_back(l);
    return out;
}

void Subscriptions::endpoints(int channel, std::vector<Endpoint>& out) const {
    out.clear();
    const std::lock_guard lock(mutex_);
    const auto* list = channelList(channel);
    if (list == nullptr)
        return;
    for (const auto& l : *list)
        out.push_back(l.rtp);
}

} // namespace dragoman::stream

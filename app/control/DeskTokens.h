// The desk-scoped tokens: one per desk, which lets a booth's tablet act on that desk only
// (mic, cough, out, in, volume, bass, treble, calls) and read the state, never anything else.
//
// A desk's token is derived from the technician's token: the first 32 hex digits of
// HMAC-SHA256(technician token, "dragoman desk " + desk id + " " + generation). So it stays
// the same across restarts (a paired tablet reconnects after the router restarts) and needs
// no storage; revoke() moves the desk's generation on, so its old token stops matching at
// once. The generations live in memory: a restart brings back generation 0 (to revoke for
// good, change the technician's token, which changes every desk token).
//
// No technician token: no desk tokens (deskFor() never matches, token() is "").
//
// Thread contract: control thread; allocates. Tokens are never logged.
#pragma once

#include "venue/Venue.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <vector>

namespace dragoman::control {

class DeskTokens {
public:
    DeskTokens(const venue::Venue& venue, QByteArray technicianToken);

    // The token of desk `flatDesk` (the venue's flat desk index), "" without a technician token.
    QByteArray token(int flatDesk) const;

    // The desk whose token `presented` is, or -1. Compares with every desk's token in constant
    // time (no early exit, so timing says neither which desk nor how much matched).
    int deskFor(QByteArrayView presented) const;

    // Issues desk `flatDesk` a new token; the old one no longer matches.
    void revoke(int flatDesk);

    int deskCount() const { return static_cast<int>(generation_.size()); }

private:
    QByteArray derive(int flatDesk) const;

    const venue::Venue& venue_;
    QByteArray technician_;
    std::vector<unsigned> generation_;
    std::vector<QByteArray> tokens_; // derived once per generation
};

} // namespace dragoman::control

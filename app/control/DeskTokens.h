// The desk-scoped tokens: one per desk, which lets a booth's tablet act on that desk only
// (mic, cough, out, in, volume, bass, treble, calls) and read the state, never anything else.
//
// A desk's token is derived from the technician's token: the first 32 hex digits of
// HMAC-SHA256(technician token, "dragoman desk " + desk id + " " + generation). So it stays
// the same across restarts (a paired tablet reconnects after the router restarts) and needs
// no storage but the generations: revoke() moves the desk's generation on, so its old token
// stops matching at once, and writes the generations to `file` (atomically; {"en.1": 2, ...},
// desks at generation 0 left out), from which the next start reads them: a revoked token stays
// revoked across restarts. Without a file they live in memory only. Changing the technician's
// token changes every desk's.
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
    // `file`: where the generations are kept ("" = in memory only). A file that cannot be
    // read (or names desks the venue lacks) is reported in *problem and the rest of it used.
    DeskTokens(const venue::Venue& venue, QByteArray technicianToken, QString file = {},
               QString* problem = nullptr);

    // The token of desk `flatDesk` (the venue's flat desk index), "" without a technician token.
    QByteArray token(int flatDesk) const;

    // The desk whose token `presented` is, or -1. Compares with every desk's token in constant
    // time (no early exit, so timing says neither which desk nor how much matched).
    int deskFor(QByteArrayView presented) const;

    // Issues desk `flatDesk` a new token; the old one no longer matches. False, with the reason
    // in *error, when the generations cannot be saved (the old token is revoked all the same,
    // until the next start).
    bool revoke(int flatDesk, QString* error = nullptr);

    int deskCount() const { return static_cast<int>(generation_.size()); }

private:
    QByteArray derive(int flatDesk) const;

    bool save(QString* error) const;

    const venue::Venue& venue_;
    QByteArray technician_;
    QString file_;
    std::vector<unsigned> generation_;
    std::vector<QByteArray> tokens_; // derived once per generation
};

} // namespace dragoman::control

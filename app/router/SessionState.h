// The router's running settings as a file, so that they survive a crash: what the technician
// and the interpreters set while the session runs (booth interlock modes and auto-relay,
// channel auto-floor and trims, device input trims, every desk's outgoing and incoming select,
// volume, bass and treble, the technician's monitor). Mics and cough keys are never kept: a
// restart always comes back with every mic off.
//
//   {"format": "dragoman-session-state", "version": 1, "venue": "Tirana ...",
//    "running": true, "written": "2026-07-04T09:12:03Z",
//    "booths":   {"en": {"interlock": "override", "autorelay": false}, ...},
//    "channels": {"floor": {"trim": 0}, "en": {"autofloor": true, "trim": -3}, ...},
//    "inputs":   [0, 0, 4, ...],
//    "desks":    {"en.1": {"out": "A", "in": "floor", "volume": -6, "bass": 0, "treble": 0}},
//    "monitor":  {"channel": "en"} | {"desk": "en.1"} | {"mic": "en.1"} | {"floorMic": 0}}
//
// Ids are the venue's codes, not indices, so a venue edited between two runs still restores
// what matches; what does not is named in the restore's problems. "running" is true while the
// router runs and false once it has stopped cleanly: only a file that still says running (the
// router crashed or was killed) is restored.
//
// Thread contract: plain functions; control thread (they read the venue); allocate.
#pragma once

#include "core/Command.h"
#include "core/RoutingState.h"
#include "venue/Venue.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <vector>

namespace dragoman::router {

// The kept settings of `routing` as the file's JSON text.
QByteArray sessionStateJson(const venue::Venue& venue, const core::RoutingState& routing,
                            bool running);

struct SessionRestore {
    QString error;                       // not empty: the file is unusable (and ignored)
    bool running = false;                // the router that wrote it did not stop cleanly
    QString written;                     // when it was written (as in the file)
    std::vector<core::Command> commands; // what puts the settings back, in a safe order
    QStringList problems;                // entries ignored (an id the venue lacks, a bad value)
};

// Reads the file's text: the commands that restore it (booths, channels, inputs, desks, the
// monitor; never a mic), or an error naming the problem and its JSON path.
SessionRestore parseSessionState(const venue::Venue& venue, const QByteArray& json);

// Whether two routing states differ in anything the file keeps.
bool keptSettingsDiffer(const core::RoutingState& a, const core::RoutingState& b);

} // namespace dragoman::router

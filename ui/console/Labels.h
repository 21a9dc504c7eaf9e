// How the console names and colours things: quality tags, desk states, alarm lamps. One place,
// so the channel strips, the booth map and the desk panels say the same thing the same way.
//
// Thread contract: the GUI thread (returns Qt strings).
#pragma once

#include "core/RoutingState.h"

#include <QColor>
#include <QString>

namespace dragoman::console {

// "FLOOR", "+", "−", "—" (silent).
QString tagLabel(core::QualityTag tag);
// A badge style for a tag: the floor grey-blue, "+" green, "−" amber, silent red.
QString tagStyle(core::QualityTag tag);
// A lamp (CLIP, NO SIGNAL, LIM…): lit in `colour`, or dark.
QString lampStyle(bool lit, const QColor& colour);

// A desk as the booth map colours it.
enum class DeskLook { Idle, LiveA, LiveRetour, Engaged };
QColor deskColour(DeskLook look);
QString deskLookName(DeskLook look); // "idle", "live A", "live B", "engaged"

} // namespace dragoman::console

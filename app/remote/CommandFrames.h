// Commands over the WebSocket: the inverse of control/WriteRequests.h. A core::Command the
// console's widgets submit becomes the WebSocket command frame whose "set" body the router
// parses back into that same command, and the router's answer frame (control/WriteAnswers.h)
// becomes the control::CommandAnswer the widgets expect.
//
//   Command::deskMic(en.1, true)    ─► {"id":7,"type":"desk","desk":"en.1","set":{"mic":true}}
//   Command::channelAutoFloor(1, 0) ─► {"id":8,"type":"channel","channel":"en",
//                                       "set":{"autofloor":false}}
//   {"type":"answer","id":7,"status":409,"results":[{"field":"mic","accepted":false,
//    "reason":"channel engaged","holder":"sq.1"}]}  ─►  CommandAnswer{accepted: false,
//                                                       reason: ChannelEngaged, holder: sq.1}
//
// Thread contract: plain functions; any thread; allocate.
#pragma once

#include "control/Controller.h"
#include "core/Command.h"
#include "venue/Venue.h"

#include <QJsonObject>
#include <QJsonValue>

namespace dragoman::remote {

// The frame for `command` with command id `id`; an empty object for a command whose target
// the venue does not have (it cannot be sent).
QJsonObject commandFrame(const venue::Venue& venue, const core::Command& command, qint64 id);

// The answer frame to `command` as the controller's answer.
control::CommandAnswer readAnswer(const venue::Venue& venue, const core::Command& command,
                                  const QJsonObject& frame);

} // namespace dragoman::remote

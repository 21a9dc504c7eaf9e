// An RTP sender's counters as /api/state shows them (listeners.rtp for the listeners' RTP,
// webrtc.rtp for the streams to Janus): what it sent, and every way a packet did not go out.
//
// Thread contract: a pure function; the control thread (RtpSender::stats() is thread-safe).
#pragma once

#include "stream/RtpSender.h"

#include <QJsonObject>

namespace dragoman::listeners {

QJsonObject rtpSenderJson(const stream::RtpSenderStats& stats);

} // namespace dragoman::listeners

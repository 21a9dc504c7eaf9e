// The router's address as people give it (`dragoman --router http://HOST:8470`) turned into its
// control WebSocket: http → ws, https → wss (TLS, Qt's default certificate checks), the path
// /api/ws. ws:// and wss:// addresses are taken as they are (with /api/ws when they have no
// path).
//
// Thread contract: plain function; any thread.
#pragma once

#include <QString>
#include <QUrl>
#include <optional>

namespace dragoman::remote {

// The WebSocket address, or nullopt with `error` saying what is wrong.
std::optional<QUrl> webSocketUrl(const QString& router, QString* error = nullptr);

} // namespace dragoman::remote

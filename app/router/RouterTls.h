// The router's one certificate, shared by the control port and the listeners' port: the
// venue's own when its file names one ("tls", venue/VenueTls.h), else the self-signed one kept
// in the data folder (tls/IdentityStore.h). Loaded whenever a port needs it: the listeners'
// port (HTTPS beside HTTP), a control port beyond loopback (HTTPS only), or when the venue
// names a certificate (so that a bad one is found at every start).
//
// Thread contract: the control thread; reads (and may write) files.
#pragma once

#include "router/Router.h"
#include "tls/Identity.h"

#include <QString>
#include <memory>

namespace dragoman::router {

// Null when no port needs a certificate. Throws RouterError: for the venue's certificate
// "VENUE: $.tls.certificate: PROBLEM" (or $.tls.key); "TLS: ..." when the self-signed one
// cannot be kept. `note`: why a kept self-signed certificate was replaced ("" otherwise).
std::unique_ptr<tls::Identity> loadIdentity(const RouterOptions& options, QString* note);

} // namespace dragoman::router

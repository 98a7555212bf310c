#pragma once
// Private to channels/email: one-time GMime initialisation (g_mime_init is not thread-safe, so
// every entry point that touches GMime calls this first).

namespace meridian::channels::email {

void EnsureGMimeInitialized();

}  // namespace meridian::channels::email

#pragma once
// Private to channels/email: one-time GMime initialisation (g_mime_init is not thread-safe, so
// every entry point that touches GMime calls this first) and an owning pointer for GObjects.

#include <glib-object.h>

#include <memory>

namespace meridian::channels::email {

void EnsureGMimeInitialized();

struct GObjectUnref {
  void operator()(void* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

}  // namespace meridian::channels::email

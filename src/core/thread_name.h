#pragma once
// Names the calling thread so `top -H`, perf and gdb show what each thread is for
// ("writer", "http-2"). Linux keeps at most 15 bytes; longer names are cut.

#include <pthread.h>

#include <string>
#include <string_view>

namespace meridian {

inline void NameThisThread(std::string_view name) {
  std::string cut(name.substr(0, 15));
  (void)pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace meridian

# Build time (CI runs everything cold on 2 cores; figures in bench/RESULTS.md, "CI time").
#
# Precompiled headers: the standard library, fmt and nlohmann/json (and GoogleTest for tests)
# are parsed once per build folder instead of once per source file. Two small donor targets
# compile them; every target of ours reuses one (meridian_target_defaults calls
# meridian_use_pch). GCC checks that a precompiled header fits (-Winvalid-pch, an error with
# -Werror), so a target whose flags differ (the trainers built without sanitizers) opts out.
option(MERIDIAN_PCH "Precompile the common third-party headers" ON)

# The linker: lld links our debug-info-heavy test programs several times faster than GNU ld.
find_program(MERIDIAN_LLD ld.lld)
if(MERIDIAN_LLD)
  add_link_options(-fuse-ld=lld)
endif()

set(MERIDIAN_PCH_HEADERS
    <algorithm> <array> <atomic> <chrono> <condition_variable> <cstdint> <cstdlib> <cstring>
    <filesystem> <fstream> <functional> <iostream> <map> <memory> <mutex> <optional> <set>
    <sstream> <string> <string_view> <thread> <unordered_map> <utility> <vector>
    <fmt/format.h> <nlohmann/json.hpp>)

if(MERIDIAN_PCH)
  set(pch_source ${CMAKE_CURRENT_LIST_DIR}/pch.cc)
  add_library(meridian_pch OBJECT ${pch_source})
  target_link_libraries(meridian_pch PRIVATE fmt::fmt nlohmann_json::nlohmann_json)
  target_precompile_headers(meridian_pch PRIVATE ${MERIDIAN_PCH_HEADERS})
  meridian_target_defaults(meridian_pch NO_PCH)
  if(MERIDIAN_TESTS)
    add_library(meridian_test_pch OBJECT ${pch_source})
    target_link_libraries(meridian_test_pch PRIVATE fmt::fmt nlohmann_json::nlohmann_json
                                                    GTest::gtest GTest::gmock)
    target_precompile_headers(meridian_test_pch PRIVATE ${MERIDIAN_PCH_HEADERS} <gtest/gtest.h>
                                                        <gmock/gmock.h>)
    meridian_target_defaults(meridian_test_pch NO_PCH)
  endif()
endif()

# Reuse the common precompiled header in `target` (KIND lib: libraries and programs, KIND test:
# GoogleTest programs). The donors get the same warning flags through meridian_target_defaults.
function(meridian_use_pch target kind)
  if(NOT MERIDIAN_PCH)
    return()
  endif()
  if(kind STREQUAL "test")
    target_precompile_headers(${target} REUSE_FROM meridian_test_pch)
  else()
    target_precompile_headers(${target} REUSE_FROM meridian_pch)
  endif()
endfunction()

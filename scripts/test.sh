#!/usr/bin/env bash
# Builds and runs every test. Used by `make test` and .ci/run.
#   1. dev preset (-Werror): unit, API (the real binary over HTTP), browser end-to-end tests
#   2. asan preset (ASan+UBSan): unit tests and fuzz corpus replays
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

export CTEST_OUTPUT_ON_FAILURE=1
cmake --preset dev >/dev/null
cmake --build --preset dev
# The asan build copies the dev build's trained models instead of training them again.
cmake --preset asan -DMERIDIAN_MODELS_FROM="$PWD/build/dev/share/meridian" >/dev/null
cmake --build --preset asan --target meridian_unit_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --preset asan -L 'unit|fuzz' --timeout 600
ctest --preset dev --timeout 900

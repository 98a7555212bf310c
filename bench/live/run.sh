#!/usr/bin/env bash
# Live delivery latency, idle and under bench/load's ingest load (see run.mjs).
# usage: bench/live/run.sh [BINARY] [RUNS]   (default build/release/meridian, 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node --experimental-websocket bench/live/run.mjs "${1:-build/release/meridian}" "${2:-3}"

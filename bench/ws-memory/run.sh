#!/usr/bin/env bash
# Memory per idle agent WebSocket: server RSS before and after opening 5,000 sockets, and a
# check that every socket still receives a broadcast frame. Raises the fd limit for the server
# and the client (one Node process holds all the sockets).
# usage: bench/ws-memory/run.sh [BINARY] [RUNS] [SOCKETS]   (default build/release/meridian, 3, 5000)
set -euo pipefail
cd "$(dirname "$0")/../.."
sockets=${3:-5000}
want=$((sockets * 2 + 1000))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
  echo "fd hard limit $hard < $want needed for $sockets sockets (client + server in one session)" >&2
  exit 1
fi
ulimit -n "$want"
exec node --experimental-websocket bench/ws-memory/run.mjs "${1:-build/release/meridian}" "${2:-3}" "$sockets"

#!/usr/bin/env bash
# Durable ingest through the API channel (synchronous=FULL) vs /healthz, with wrk on loopback.
# usage: bench/load/run.sh [BINARY] [RUNS]   (default build/release/meridian, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-build/release/meridian}
RUNS=${2:-3}
CONNS=64
DURATION=10s
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

for run in $(seq 1 "$RUNS"); do
  rm -rf "$work/data"
  inbox=$("$BIN" inbox create api --name Bench --json --data "$work/data")
  id=$(node -e 'console.log(JSON.parse(process.argv[1]).id)' "$inbox")
  secret=$(node -e 'console.log(JSON.parse(process.argv[1]).secret)' "$inbox")
  node bench/load/gen_requests.mjs "$secret" 400000 "$work/requests.tsv"
  "$BIN" serve --data "$work/data" --port 0 > "$work/out" 2> "$work/err" &
  echo $! > "$work/pid"
  until grep -q listening "$work/out"; do sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$work/out")
  health=$(wrk -t1 -c$CONNS -d$DURATION --latency "$url/healthz" | awk '/Requests\/sec/ {print $2}')
  ingest=$(MERIDIAN_INBOX=$id MERIDIAN_REQUESTS=$work/requests.tsv \
           wrk -t1 -c$CONNS -d$DURATION -s bench/load/ingest.lua "$url" | grep '^requests=')
  batches=$(curl -s "$url/metrics" | awk '/^meridian_store_write_batch_size_(sum|count)/ {print $2}' | paste -sd' ')
  stored=$(curl -s "$url/metrics" | awk '/^meridian_messages_ingested_total/ {print $2}')
  echo "run=$run healthz_rps=$health $ingest stored=$stored batch_sum_count=($batches) load=$(cut -d' ' -f1 /proc/loadavg)"
  kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true
done

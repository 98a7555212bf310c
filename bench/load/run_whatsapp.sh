#!/usr/bin/env bash
# WhatsApp-format webhook ingest (X-Hub-Signature-256 check + Cloud API payload parse + E.164
# normalization + durable store) vs API channel ingest, same server and run, wrk on loopback.
# The order alternates between runs so neither side always meets the bigger database.
# usage: bench/load/run_whatsapp.sh [BINARY] [RUNS]   (default build/release/meridian, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-build/release/meridian}
RUNS=${2:-3}
CONNS=64
DURATION=10s
SECRET=bench-app-secret
PNID=106540352242922
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
node bench/load/gen_whatsapp_requests.mjs "$SECRET" "$PNID" 400000 "$work/wa.tsv"

for run in $(seq 1 "$RUNS"); do
  rm -rf "$work/data"
  api=$("$BIN" inbox create api --name Bench --json --data "$work/data")
  api_id=$(node -e 'console.log(JSON.parse(process.argv[1]).id)' "$api")
  api_secret=$(node -e 'console.log(JSON.parse(process.argv[1]).secret)' "$api")
  wa=$("$BIN" inbox create whatsapp --name BenchWA --phone-number-id "$PNID" --access-token t \
       --app-secret "$SECRET" --verify-token v --json --data "$work/data")
  wa_id=$(node -e 'console.log(JSON.parse(process.argv[1]).id)' "$wa")
  node bench/load/gen_requests.mjs "$api_secret" 400000 "$work/api.tsv"
  "$BIN" serve --data "$work/data" --port 0 > "$work/out" 2> "$work/err" &
  echo $! > "$work/pid"
  until grep -q listening "$work/out"; do sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$work/out")
  api_run() { MERIDIAN_INBOX=$api_id MERIDIAN_REQUESTS=$work/api.tsv \
              wrk -t1 -c$CONNS -d$DURATION -s bench/load/ingest.lua "$url" | grep '^requests='; }
  wa_run() { MERIDIAN_INBOX=$wa_id MERIDIAN_REQUESTS=$work/wa.tsv MERIDIAN_PATH=/webhooks/whatsapp/$wa_id \
             MERIDIAN_SIG_HEADER=X-Hub-Signature-256 \
             wrk -t1 -c$CONNS -d$DURATION -s bench/load/ingest.lua "$url" | grep '^requests='; }
  if (( run % 2 )); then a=$(api_run); w=$(wa_run); else w=$(wa_run); a=$(api_run); fi
  stored=$(curl -s "$url/metrics" | awk '/^meridian_messages_ingested_total/ {print $2}')
  echo "run=$run api: $a | whatsapp: $w | stored=$stored load=$(cut -d' ' -f1 /proc/loadavg)"
  kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true
done

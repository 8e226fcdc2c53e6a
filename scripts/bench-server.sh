#!/usr/bin/env bash
# Load-tests the example server with wrk: requests/s and p99 latency for /health and each
# authenticated route, 64 connections, 10 s each (override with DURATION=5s CONNECTIONS=…).
#
#   scripts/bench-server.sh                  # all routes
#   COMPARE_PLACEMENT=1 scripts/bench-server.sh   # also /health with handlers on the global pool
#   CREDENTIAL_CACHE=0 scripts/bench-server.sh   # skip the runs with the verified-credential cache on
#   EXAMPLE_SERVER_BIN=/path/to/ExampleServer scripts/bench-server.sh   # measure that binary, no build
#
# The server runs as a release build with a throwaway --data-dir; credentials come from the
# server's own subcommands (token jwt, token dynamic, apikey create), so they are what a client
# would send. The access log stays on (written to /dev/null), as in production.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}

if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk not found; installing it with apt-get"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get install -y wrk >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y wrk >/dev/null; }
fi

if [ -n "${EXAMPLE_SERVER_BIN:-}" ]; then
  # A/B comparisons: a binary built elsewhere (from another commit). With one that predates
  # --credential-cache, also set CREDENTIAL_CACHE=0.
  BIN=$EXAMPLE_SERVER_BIN
else
  swift build -c release --product ExampleServer >/dev/null
  BIN=$(swift build -c release --show-bin-path)/ExampleServer
fi
DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -INT "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

start_server() {
  "$BIN" --port "$PORT" --data-dir "$DATA" "$@" >/dev/null 2>"$DATA/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "server did not start:"; cat "$DATA/server.err"; exit 1
}
stop_server() {
  kill -INT "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

declare -a NAMES RATES P99S
run() { # name path [header]
  local name=$1 path=$2 header=${3:-}
  local status
  if [ -n "$header" ]; then
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "http://127.0.0.1:$PORT$path")
  else
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$path")
  fi
  if [ "$status" != 200 ]; then echo "$name: $path answered $status, skipped"; return; fi
  local out
  if [ -n "$header" ]; then
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$header" "http://127.0.0.1:$PORT$path")
  else
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$path")
  fi
  local rate p99 errors
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  [ -n "$errors" ] && echo "$name: WARNING $errors non-2xx responses"
  NAMES+=("$name"); RATES+=("$rate"); P99S+=("$p99")
  printf '%-34s %12s req/s   p99 %s\n' "$name" "$rate" "$p99"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'); wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
start_server
JWT=$("$BIN" token jwt --sub bench --scope "profile:read" --ttl 1h --data-dir "$DATA" 2>/dev/null | tail -n 1)
run "GET /health" /health
run "GET /api/me (JWT HS256)" /api/me "Authorization: Bearer $JWT"
if DYN=$("$BIN" token dynamic --method GET --path /api/service --data-dir "$DATA" 2>/dev/null | tail -n 1) && [ -n "$DYN" ]; then
  stop_server
  # One fixed token replayed for the whole run: replay cache off and a one-hour tolerance, for
  # this measurement only (TOKEN_AUTH_BENCH_REUSABLE_DYNAMIC_TOKENS). Never in production.
  TOKEN_AUTH_BENCH_REUSABLE_DYNAMIC_TOKENS=1 start_server
  echo "(dynamic token: fixed token, replay cache OFF and tolerance 1h for this run only)"
  run "GET /api/service (signed dynamic)" /api/service "X-Dynamic-Token: $DYN"
else
  echo "GET /api/service: token dynamic unavailable, skipped"
fi
if KEY=$("$BIN" apikey create --name bench --scopes reports:read --data-dir "$DATA" 2>/dev/null | tail -n 1) && [ -n "$KEY" ]; then
  sleep 1.5 # the running server picks up the key file change
  run "GET /api/partner (API key)" /api/partner "X-API-Key: $KEY"
else
  echo "GET /api/partner: apikey create unavailable, skipped"
fi
stop_server

if [ "${CREDENTIAL_CACHE:-1}" = 1 ]; then
  # The same credentials again with the opt-in verified-credential cache (--credential-cache):
  # every request is still authenticated (the presented credential compared in full with the
  # cached one, exp honoured, the JWT revocation list and the API key's store record consulted),
  # but the signature or hash and the principal are computed once per credential.
  start_server --credential-cache 4096
  echo "(verified-credential cache ON for the next runs: --credential-cache 4096; revocation still checked per request)"
  run "GET /api/me (JWT, credential cache ON)" /api/me "Authorization: Bearer $JWT"
  [ -n "${KEY:-}" ] && run "GET /api/partner (key, cache ON)" /api/partner "X-API-Key: $KEY"
  stop_server
fi

if [ "${COMPARE_PLACEMENT:-0}" = 1 ]; then
  TOKEN_AUTH_HANDLERS_ON_GLOBAL_POOL=1 start_server
  run "GET /health (handlers on global pool)" /health
  stop_server
fi

echo
base=${RATES[0]:-0}
for i in "${!NAMES[@]}"; do
  awk -v n="${NAMES[$i]}" -v r="${RATES[$i]}" -v b="$base" -v p="${P99S[$i]}" \
    'BEGIN { printf "%-40s %10.0f req/s  %5.1f%% of /health  p99 %s\n", n, r, (b > 0 ? 100 * r / b : 0), p }'
done

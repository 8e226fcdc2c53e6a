#!/usr/bin/env bash
# Smoke run of the example server as a newcomer would start it: `swift run ExampleServer --port 0`
# must print its URL and curl commands, answer /health and the printed JWT example, and stop
# gracefully on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build --product ExampleServer >/dev/null
BIN=$(swift build --show-bin-path)/ExampleServer
OUT=$(mktemp)
"$BIN" --port 0 >"$OUT" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; rm -f "$OUT"' EXIT
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/^  port: *\([0-9][0-9]*\)$/\1/p' "$OUT" | head -n 1)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "no port printed:"; cat "$OUT"; exit 1; }
grep -q "curl -i http://127.0.0.1:$PORT/health" "$OUT" || { echo "no curl line for /health"; cat "$OUT"; exit 1; }
test "$(curl -s "http://127.0.0.1:$PORT/health")" = '{"status":"ok"}'
# Every printed curl command that is expected to succeed (-s) answers 2xx.
grep -E '^  curl -s ' "$OUT" | while read -r line; do
  cmd=${line#curl -s }
  code=$(eval "curl -s -o /dev/null -w '%{http_code}' $cmd")
  case "$code" in 2*) echo "ok $code: curl ${cmd:0:80}" ;; *) echo "FAILED ($code): $cmd"; exit 1 ;; esac
done
kill -TERM $PID
wait $PID
grep -q "GET /health 200" "$OUT" || { echo "no access-log line"; cat "$OUT"; exit 1; }
echo "example server smoke run passed (port $PORT)"

#!/usr/bin/env bash
# The session flow of the example server with curl, step by step:
#   login -> call /api/me -> refresh (rotation) -> present the used refresh token again (reuse
#   detection revokes the whole session) -> log in again -> logout -> the logged-out token fails.
#
# Usage: curl-walkthrough.sh BASE_URL [USERNAME PASSWORD]
#   USERNAME/PASSWORD default to $TOKEN_AUTH_USER / $TOKEN_AUTH_PASSWORD, then demo / (none).
#   The demo user's password is printed by `swift run ExampleServer` at start-up, and stored in
#   DIR/secrets.json ("demoPassword") when the server runs with --data-dir DIR.
#
# A route the server does not serve (404) is reported as SKIPPED, not failed; any other
# unexpected status fails the script (exit 1). Needs curl only.
set -euo pipefail
base=${1:?usage: curl-walkthrough.sh BASE_URL [USERNAME PASSWORD]}
base=${base%/}
user=${2:-${TOKEN_AUTH_USER:-demo}}
password=${3:-${TOKEN_AUTH_PASSWORD:-}}
[ -n "$password" ] || { echo "no password: pass it as the third argument or set TOKEN_AUTH_PASSWORD" >&2; exit 2; }

body_file=$(mktemp); trap 'rm -f "$body_file"' EXIT
skipped=0
status=""

# request METHOD PATH [curl args...]: sets $status, body in $body_file.
request() {
  local method=$1 path=$2; shift 2
  status=$(curl -s -o "$body_file" -w '%{http_code}' -X "$method" "$@" "$base$path")
}
json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$body_file"; }
# step TITLE EXPECTED: prints the outcome; 404 means the route is missing (skip).
step() {
  local title=$1 expected=$2
  if [ "$status" = 404 ] && [ "$expected" != 404 ]; then
    echo "SKIPPED  $title: the server has no such route (404)"; skipped=$((skipped + 1)); return 1
  fi
  if [ "$status" != "$expected" ]; then
    echo "FAILED   $title: expected $expected, got $status: $(head -c 300 "$body_file")" >&2; exit 1
  fi
  echo "ok       $title -> $status"
}
login() {
  request POST /auth/login -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}"
}

echo "== curl walkthrough against $base as '$user'"
request GET /health; step "GET /health (no credentials)" 200
request GET /api/me; step "GET /api/me without a token: 401" 401 && \
  echo "         challenge: $(curl -s -D - -o /dev/null "$base/api/me" | tr -d '\r' | sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate: //p' | head -1)"

login
if step "POST /auth/login" 200; then
  access=$(json_field access_token); refresh=$(json_field refresh_token)
  echo "         access token ${access:0:12}… refresh token ${refresh:0:8}… (prefixes only)"

  request GET /api/me -H "Authorization: Bearer $access"; step "GET /api/me with the access token" 200 || true
  echo "         $(head -c 200 "$body_file")"

  request POST /auth/refresh -H 'Content-Type: application/json' -d "{\"refresh_token\":\"$refresh\"}"
  if step "POST /auth/refresh (rotation: a new pair)" 200; then
    access2=$(json_field access_token)
    request GET /api/me -H "Authorization: Bearer $access2"; step "GET /api/me with the rotated access token" 200 || true

    request POST /auth/refresh -H 'Content-Type: application/json' -d "{\"refresh_token\":\"$refresh\"}"
    step "POST /auth/refresh with the USED refresh token: reuse detected" 401 || true
    echo "         $(head -c 200 "$body_file")"
    request GET /api/me -H "Authorization: Bearer $access2"
    step "GET /api/me after reuse: the whole session is revoked" 401 || true
  fi

  login; step "POST /auth/login (a new session)" 200 || true
  access3=$(json_field access_token)
  request POST /auth/logout -H "Authorization: Bearer $access3"
  if step "POST /auth/logout" 204; then
    request GET /api/me -H "Authorization: Bearer $access3"; step "GET /api/me after logout" 401 || true
  fi
fi

echo "== done: all steps passed, $skipped skipped"

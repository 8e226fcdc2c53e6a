#!/usr/bin/env bash
# Issue 11: Examples/PostgresStores against a real PostgreSQL.
#   1. initdb into a temporary folder and start the server on a free port, listening on
#      loopback only (and a socket in that folder), as an unprivileged user when run as root
#      (initdb and postgres refuse root);
#   2. build the package and run its tests with TOKEN_AUTH_PG_URL and the stop/start commands
#      the outage test uses;
#   3. always stop the server and delete the folder (trap), and print the step's time.
set -euo pipefail
cd "$(dirname "$0")/../.."
step_start=$SECONDS

pg_bin=""
for candidate in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")" /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then pg_bin=$candidate; break; fi
done
[ -n "$pg_bin" ] || { echo "no initdb: .ci/install.d/70-postgres.sh installs Debian's postgresql" >&2; exit 1; }

run_as=()
if [ "$(id -u)" = 0 ]; then
  id tokenauth-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin tokenauth-pg
  run_as=(runuser -u tokenauth-pg --)
fi

work=$(mktemp -d /tmp/token-auth-pg.XXXXXX)
chmod 755 "$work"
mkdir "$work/socket"
[ ${#run_as[@]} -eq 0 ] || chown -R tokenauth-pg "$work"
data="$work/data"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
options="-c listen_addresses=127.0.0.1 -p $port -k $work/socket -c max_connections=200"
pg_ctl() { (cd "$work" && "${run_as[@]}" "$pg_bin/pg_ctl" -D "$data" "$@"); }

cleanup() {
  pg_ctl stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$work"
  printf -- '--- postgres step: %ds\n' $((SECONDS - step_start))
}
trap cleanup EXIT

(cd "$work" && "${run_as[@]}" "$pg_bin/initdb" -D "$data" -U tokenauth --auth=trust --no-sync -E UTF8 >"$work/initdb.log") \
  || { cat "$work/initdb.log"; exit 1; }
pg_ctl start -w -l "$work/server.log" -o "$options" >/dev/null || { cat "$work/server.log"; exit 1; }
echo "$("$pg_bin/postgres" --version) on 127.0.0.1:$port (data $data)"

export TOKEN_AUTH_PG_URL="postgres://tokenauth@127.0.0.1:$port/postgres"
quoted_run_as=""
[ ${#run_as[@]} -eq 0 ] || quoted_run_as="runuser -u tokenauth-pg --"
export TOKEN_AUTH_PG_STOP="cd $work && $quoted_run_as $pg_bin/pg_ctl -D $data stop -m fast -w >/dev/null"
export TOKEN_AUTH_PG_START="cd $work && $quoted_run_as $pg_bin/pg_ctl -D $data start -w -l $work/server.log -o '$options' >/dev/null 2>&1 </dev/null"
export TOKEN_AUTH_REQUIRE_INTEROP=1

timed() {
  local name=$1; shift
  local start=$SECONDS
  printf -- '--- %s (start %s UTC)\n' "$name" "$(date -u +%H:%M:%S)"
  "$@"
  printf -- '--- %s: %ds\n' "$name" $((SECONDS - start))
}
# The same shared scratch directory as 50-examples.sh: NIO, NIOSSL, swift-crypto and Hummingbird
# are already built there, so this step compiles little more than postgres-nio and the package.
scratch=()
if [ "${TOKEN_AUTH_EXAMPLES_SCRATCH:-shared}" = shared ]; then
  scratch=(--scratch-path "$PWD/.build-examples")
fi
timed "PostgresStores: build" swift build --build-tests --package-path Examples/PostgresStores "${scratch[@]}"
timed "PostgresStores: test" swift test --skip-build --package-path Examples/PostgresStores "${scratch[@]}"

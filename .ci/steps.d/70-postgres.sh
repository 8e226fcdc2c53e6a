#!/usr/bin/env bash
# Issue 11: Examples/PostgresStores against a real PostgreSQL.
#   1. initdb into a temporary folder and start the server on a free port, listening on
#      loopback only (and a socket in that folder), as an unprivileged user when run as root
#      (initdb and postgres refuse root): scripts/throwaway-postgres.sh;
#   2. build the package and run its tests with TOKEN_AUTH_PG_URL and the stop/start commands
#      the outage test uses;
#   3. always stop the server and delete the folder (trap), and print the step's time.
set -euo pipefail
cd "$(dirname "$0")/../.."
step_start=$SECONDS

source scripts/throwaway-postgres.sh
cleanup() {
  throwaway_postgres_cleanup
  printf -- '--- postgres step: %ds\n' $((SECONDS - step_start))
}
trap cleanup EXIT
throwaway_postgres_start
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

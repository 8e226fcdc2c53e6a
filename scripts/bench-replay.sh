#!/usr/bin/env bash
# Issue 11: what single use costs across instances. Runs Examples/PostgresStores' ReplayBenchmark
# (release build) against a throw-away PostgreSQL on loopback, twice: with the server's default
# `synchronous_commit = on`, then with `off`. Each run verifies pre-signed signed dynamic tokens
# with the in-memory and the PostgreSQL replay cache, one task at a time and concurrently.
#
#   scripts/bench-replay.sh [count, default 20000] [concurrency, default 32]
#
# Needs PostgreSQL's initdb and pg_ctl (.ci/install.d/70-postgres.sh installs them) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-20000}
concurrency=${2:-32}

echo "--- building ReplayBenchmark (release; the first build compiles postgres-nio and its dependencies)"
swift build -c release --package-path Examples/PostgresStores --product ReplayBenchmark
binary="$(swift build -c release --package-path Examples/PostgresStores --show-bin-path)/ReplayBenchmark"

source scripts/throwaway-postgres.sh
trap throwaway_postgres_cleanup EXIT
throwaway_postgres_start
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for commit in on off; do
  throwaway_postgres_restart -c "synchronous_commit=$commit"
  echo "--- synchronous_commit = $commit"
  "$binary" --database-url "$TOKEN_AUTH_PG_URL" --count "$count" --concurrency "$concurrency"
done

#!/usr/bin/env bash
# Issue 10's example packages and clients, each step timed:
#   CustomValidator, SwiftCryptoSigner, HummingbirdIntegration, VaporIntegration:
#            swift build --build-tests, swift test
#   clients: the example server started on a free port with a throw-away data directory, then
#            the curl walkthrough, the Python (PyJWT + requests) client and the Swift URLSession
#            client run against it.
# SwiftPM's shared repository cache (~/.cache/org.swift.swiftpm) means each repository is cloned
# once for all packages. The packages also share one scratch directory (.build-examples), built
# one after another (-j 2 each, within 2 cores): SwiftCryptoSigner, Hummingbird(Testing) and
# Vapor have most of their graph in common (swift-nio, NIOSSL's BoringSSL, swift-crypto,
# AsyncHTTPClient, swift-log, ...), and SwiftPM skips a compile whose command and inputs did not
# change, so each package compiles mostly what it adds (measured: HummingbirdIntegration alone
# 805 CPU-s, on top of VaporIntegration's 1169 CPU-s only 96; SwiftCryptoSigner on top: 10
# CPU-s, swift-crypto and the root package reused). This is safe here because the builds are
# sequential (SwiftPM also locks the directory), module names differ across the packages, each
# package keeps its own Package.resolved, and each package's tests run (--skip-build) right after
# its own build. TOKEN_AUTH_EXAMPLES_SCRATCH=separate gives each package its own .build, as a user
# has it; TOKEN_AUTH_EXAMPLES="A B" picks packages.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

timed() {
  local name=$1; shift
  local start=$SECONDS
  printf -- '--- %s (start %s UTC)\n' "$name" "$(date -u +%H:%M:%S)"
  "$@"
  printf -- '--- %s: %ds\n' "$name" $((SECONDS - start))
}

packages=(${TOKEN_AUTH_EXAMPLES:-CustomValidator SwiftCryptoSigner HummingbirdIntegration VaporIntegration})
scratch=()
if [ "${TOKEN_AUTH_EXAMPLES_SCRATCH:-shared}" = shared ]; then
  scratch=(--scratch-path "$root/.build-examples")
fi
for package in "${packages[@]}"; do
  timed "$package: build" swift build --build-tests --package-path "Examples/$package" "${scratch[@]}"
  timed "$package: test" swift test --skip-build --package-path "Examples/$package" "${scratch[@]}"
done
timed "CustomValidator: demo" swift run --package-path Examples/CustomValidator "${scratch[@]}" custom-validator-demo

# --- clients against a running example server
timed "ExampleServer + Swift client: build" bash -c \
  'swift build --product ExampleServer && swift build --package-path Examples/clients/swift'
server_bin="$(swift build --show-bin-path)/ExampleServer"
client_bin="$(swift build --package-path Examples/clients/swift --show-bin-path)/SessionClient"
data_dir=$(mktemp -d); log=$(mktemp)
"$server_bin" --port 0 --data-dir "$data_dir" >"$log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$data_dir" "$log"' EXIT
base=""
for _ in $(seq 1 300); do   # up to 30 s for the server to print its URL
  base=$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$log" | head -1)
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log"; echo "the example server exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { cat "$log"; echo "the example server printed no URL" >&2; exit 1; }
export TOKEN_AUTH_USER=demo
TOKEN_AUTH_PASSWORD=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["demoPassword"])' "$data_dir/secrets.json")
TOKEN_AUTH_JWT_SECRET=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["jwtKey"])' "$data_dir/secrets.json")
export TOKEN_AUTH_PASSWORD TOKEN_AUTH_JWT_SECRET
echo "example server at $base (demo user from $data_dir/secrets.json)"

timed "client: curl walkthrough" bash Examples/clients/curl-walkthrough.sh "$base"
timed "client: python (PyJWT + requests)" python3 Examples/clients/python/client.py "$base"
timed "client: Swift URLSession" "$client_bin" "$base"

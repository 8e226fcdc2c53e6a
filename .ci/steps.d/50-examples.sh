#!/usr/bin/env bash
# Builds and tests the integration example packages under Examples/ (issue 10), printing each
# step's time. The framework packages keep their own .build (so their dependency checkouts and
# builds are shared between `build` and `test`); SwiftPM's shared cache (~/.cache/org.swift.swiftpm)
# avoids re-cloning the same repositories across packages.
set -euo pipefail
cd "$(dirname "$0")/../.."

timed() {
  local name=$1; shift
  local start=$SECONDS
  printf -- '--- %s\n' "$name"
  "$@"
  printf -- '--- %s: %ds\n' "$name" $((SECONDS - start))
}

timed "CustomValidator: test" swift test --package-path Examples/CustomValidator
timed "CustomValidator: demo" swift run --package-path Examples/CustomValidator custom-validator-demo

#!/usr/bin/env bash
# The quick-start example package builds against the root package and its tests pass.
set -euo pipefail
swift test --package-path Examples/QuickStart

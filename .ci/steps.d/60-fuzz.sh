#!/usr/bin/env bash
# Short fuzzing pass (issue 12): every libFuzzer target in Fuzz/ for 60 s, after one sanitizer
# build (-sanitize=fuzzer,address, its own scratch path). Any crash, leak, timeout, broken
# invariant or sanitizer report fails the step; the finding's input is printed with the log.
# Budget on the 2-core CI machine: the build plus 8 × 60 s, about 12 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
FUZZ_WORK_DIR=${FUZZ_WORK_DIR:-$(mktemp -d)} scripts/fuzz.sh all "${FUZZ_SECONDS:-60}"
echo "fuzz step: $((SECONDS - start))s"

#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/Sources/FuzzTargets) with the fuzzer and address sanitizers
# and runs one target, or every target one after the other, for SECONDS each.
#
#   scripts/fuzz.sh TARGET SECONDS     e.g. scripts/fuzz.sh jwt-hs256 60
#   scripts/fuzz.sh all SECONDS
#
# Inputs: the committed seeds in Fuzz/corpus/TARGET (read only). New corpus entries, crash
# artifacts and logs go to $FUZZ_WORK_DIR (default: a fresh temporary directory), never into the
# repository. The sanitizer build uses its own scratch path ($FUZZ_SCRATCH_PATH, default
# .build-fuzz) so it never clobbers the normal .build.
#
# Exits non-zero when any target crashes, leaks, times out, runs out of memory, breaks an
# invariant or prints a sanitizer report. A finding's input is saved as
# $FUZZ_WORK_DIR/artifacts/TARGET/crash-… ; replay it with
#   swift run FuzzTargets TARGET <file>
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(http-request jwt-hs256 jwt-es256 dynamic-legacy dynamic-signed jwk pem-der json)

usage() { echo "usage: $0 <$(IFS='|'; echo "${TARGETS[*]}")|all> SECONDS" >&2; exit 2; }
[ $# -eq 2 ] || usage
[[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || usage
if [ "$1" = all ]; then
  selected=("${TARGETS[@]}")
else
  [[ " ${TARGETS[*]} " == *" $1 "* ]] || usage
  selected=("$1")
fi
seconds=$2
scratch=${FUZZ_SCRATCH_PATH:-.build-fuzz}
work=${FUZZ_WORK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/token-auth-fuzz.XXXXXX")}
mkdir -p "$work"

build_start=$SECONDS
echo "fuzz: building FuzzTargets (release, -sanitize=fuzzer,address) in $scratch"
# The sanitizers reach swiftc as ONE option, `-sanitize=fuzzer,address`, passed last. SwiftPM's
# `--sanitize fuzzer --sanitize address` becomes two `-sanitize=` options in an order that
# changes from run to run, and swiftc keeps only the last one: such a build had either no
# coverage or no ASan. `--sanitize fuzzer` stays because it tells SwiftPM that libFuzzer provides
# `main` (otherwise the link looks for FuzzTargets_main); the -Xswiftc option comes after it on
# every swiftc command line and wins. The check below catches a build that lost either.
swift build -c release --scratch-path "$scratch" --product FuzzTargets --sanitize fuzzer \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/FuzzTargets
echo "fuzz: built in $((SECONDS - build_start))s: $bin"

# Coverage counters (section __sancov_cntrs) and ASan-instrumented globals (section asan_globals)
# must both be in the binary; without them libFuzzer fuzzes blind or misses memory errors.
sections=$(objdump -h "$bin" | awk '{print $2}')
for section in __sancov_cntrs asan_globals; do
  if ! grep -qx "$section" <<<"$sections"; then
    echo "fuzz: $bin has no $section section: the build lacks the fuzzer or address instrumentation" >&2
    exit 1
  fi
done
echo "fuzz: instrumentation present (coverage counters and AddressSanitizer)"

# Crashes must stop at once with a report: the Swift runtime's interactive backtracer is off
# (it can wait on a dead process), ASan aborts so libFuzzer records the input.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}

failed=()
for target in "${selected[@]}"; do
  corpus="$work/corpus/$target"
  artifacts="$work/artifacts/$target"
  log="$work/$target.log"
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz: $target for ${seconds}s (seeds Fuzz/corpus/$target, new inputs $corpus)"
  start=$SECONDS
  status=0
  # The first corpus directory receives new inputs; the seeds are only read.
  FUZZ_TARGET=$target "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "Fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  final=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 | sed -E 's/.*(cov: [0-9]+ ft: [0-9]+ corp: [^ ]+).*/\1/')
  findings=$(grep -cE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|INVARIANT VIOLATED|SUMMARY: |deadly signal' "$log" || true)
  artifact_count=$(find "$artifacts" -type f | wc -l)
  echo "fuzz: $target: $((SECONDS - start))s, ${execs:-?} execs, ${rate:-?} exec/s, ${final:-?}, exit $status, findings $findings, artifacts $artifact_count"
  # A binary built without coverage instrumentation fuzzes nothing and would pass vacuously.
  if grep -q 'Is the code instrumented for coverage' "$log"; then
    echo "fuzz: $target: libFuzzer saw no coverage (is the build instrumented?)"
    [ "$status" -ne 0 ] || status=70
  fi
  if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ] || [ "$artifact_count" -ne 0 ]; then
    echo "fuzz: $target FAILED; log $log; last lines:"
    tail -n 40 "$log"
    find "$artifacts" -type f -exec echo "fuzz: finding input {}" \;
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (work directory $work)"
  exit 1
fi
echo "fuzz: ${#selected[@]} target(s) ran ${seconds}s each without a finding (work directory $work)"

#!/usr/bin/env bash
# Fuzzes each Jazzer fuzz test of the HTTP codec for the given time (default 60 s each), one core (CPU 1), and prints
# the executions. Findings are written by Jazzer into src/test/resources/<package>/<Test>Inputs/<method>/ as crash-*
# files, where `mvn test` replays them as regression inputs; the growing corpus stays in .cifuzz-corpus/ (ignored).
#   scripts/fuzz.sh [seconds] [TestClass#method ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(RequestParserFuzzTest#parse ChunkedDecoderFuzzTest#decode ByteRangeFuzzTest#parse)
fi
cpu=()
if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then
  cpu=(taskset -c 1)
fi
mvn -q -B -DskipTests test-compile
status=0
for t in "${targets[@]}"; do
  log="target/fuzz-${t//#/-}.log"
  echo "== fuzzing $t for ${seconds}s (log: $log)"
  start=$(date +%s)
  # jazzer.internal.arg.N are libFuzzer arguments (arg.0 is argv[0]); they come after @FuzzTest's maxDuration.
  if JAZZER_FUZZ=1 "${cpu[@]}" mvn -B -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.internal.arg.0=fuzz "-Djazzer.internal.arg.1=-max_total_time=${seconds}" \
      -Djazzer.internal.arg.2=-print_final_stats=1 test >"$log" 2>&1; then
    result=ok
  else
    result="FINDING (see $log)"
    status=1
  fi
  runs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  if [ -z "$runs" ]; then
    runs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  fi
  done_line=$(grep -aE '^Done [0-9]+ runs in' "$log" | tail -1 || true)
  echo "$t: ${runs:-?} executions (${done_line:-no libFuzzer summary}) in $(( $(date +%s) - start ))s wall incl. Maven: $result"
done
exit $status

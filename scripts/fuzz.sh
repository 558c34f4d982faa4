#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest of the project (found in src/test/java, so new ones join by themselves) for the given
# time each (default 60 s), on one core (CPU 1, away from a server pinned to CPU 0), and prints the executions.
# Findings are written by Jazzer into src/test/resources/<package>/<Test>Inputs/<method>/ as crash-* files, where
# every `mvn test` replays them as regression inputs; the growing corpus stays in .cifuzz-corpus/ (ignored by git).
#   scripts/fuzz.sh [seconds] [TestClass#method ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # The method named on the first line after each @FuzzTest annotation, qualified by its file's class name.
  while IFS= read -r t; do targets+=("$t"); done < <(
    grep -rl --include='*.java' '@FuzzTest' src/test/java | sort | while read -r f; do
      cls=$(basename "$f" .java)
      awk -v cls="$cls" '/@FuzzTest/ {want=1; next}
        want && match($0, /void[ \t]+[A-Za-z0-9_]+[ \t]*\(/) {
          m = substr($0, RSTART, RLENGTH); sub(/^void[ \t]+/, "", m); sub(/[ \t]*\($/, "", m);
          print cls "#" m; want=0 }' "$f"
    done)
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz.sh: no @FuzzTest methods under src/test/java" >&2
  exit 2
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
  # jazzer.internal.arg.N are libFuzzer arguments (arg.0 is argv[0]); -max_total_time overrides maxDuration.
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

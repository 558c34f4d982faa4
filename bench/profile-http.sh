#!/usr/bin/env bash
# Profiles liso serve under the 1 KiB keep-alive -c 64 load with JFR (execution and allocation samples) and prints
# the aggregated hot spots (bench/src/jfr_top.py). Server on CPU 0, wrk on CPU 1, loopback only.
# Usage: bench/profile-http.sh [seconds=20]   (JAVA_HOME picks the JDK; JAR another liso jar, say main's, to profile
# instead of target/liso.jar; the recording stays in bench/work/profile)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-20}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
work="$here/bench/work/profile"; mkdir -p "$work/www"
jar="${JAR:-$here/target/liso.jar}"
[ -f "$jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package
head -c 1024 /dev/urandom > "$work/www/1k.bin"
rec="$work/liso.jfr"; rm -f "$rec"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
port=${PORT:-18291}
# JFR's sampler thread starves when it shares the one CPU with the loop (34 samples in 20 s here): by default the
# server is not pinned while profiling; PIN=1 pins it to CPU 0 like bench/http.sh.
pin=; [ "${PIN:-0}" = 1 ] && pin="taskset -c 0"
$pin "$JAVA_HOME/bin/java" -Xms64m -Xmx512m -XX:+UseSerialGC \
    -XX:StartFlightRecording=delay=10s,duration=${secs}s,settings=profile,filename="$rec"${JFR_EXTRA:+,$JFR_EXTRA} \
    -jar "$jar" serve --root "$work/www" --http 127.0.0.1:$port --no-https --max-requests 10000000 -q \
    > "$work/liso.out" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$port/1k.bin" && break; sleep 0.1; done
# 10 s warm-up (the recording starts after it), then the recorded load.
taskset -c 1 wrk -t1 -c64 -d$((secs + 12))s "http://127.0.0.1:$port/1k.bin" | tee "$work/wrk.txt" >&2
for _ in $(seq 100); do [ -s "$rec" ] && break; sleep 0.2; done
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
"$JAVA_HOME/bin/jfr" summary "$rec" | grep -E 'ExecutionSample|ObjectAllocationSample|GarbageCollection ' >&2 || true
"$JAVA_HOME/bin/jfr" print --json --stack-depth 64 --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.CPUTimeSample,jdk.ObjectAllocationSample "$rec" \
    | python3 "$here/bench/src/jfr_top.py"

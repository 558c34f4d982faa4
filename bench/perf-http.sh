#!/usr/bin/env bash
# Where liso's CPU goes under 1 KiB keep-alive (-c 64), this tree's jar beside another (BASE_JAR, say main's), in one
# run: both serve the same file on one loop each, unpinned; each gets a warm-up, then `perf record -g` (cpu-clock)
# while wrk loads it, the two alternating. The JIT frames are named through -XX:+DumpPerfMapAtExit, so the servers
# stop before the reports (bench/src/perf_top.py) are printed. Also the server CPU per request of each recorded run.
# Usage: BASE_JAR=/tmp/base.jar bench/perf-http.sh [seconds=6] [rounds=2]   (PORT_BASE: two loopback ports from here;
#        CONNS: wrk's connections, default 64)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-6}"; rounds="${2:-2}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
[ -f "${BASE_JAR:-}" ] || { echo "BASE_JAR must name a liso jar" >&2; exit 64; }
base="${PORT_BASE:-18391}"
conns="${CONNS:-64}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work="$here/bench/work/perf-http"; mkdir -p "$work/www"
[ -s "$work/www/1k.bin" ] || head -c 1024 /dev/urandom > "$work/www/1k.bin"
declare -A jar=([new]="$here/target/liso.jar" [base]="$BASE_JAR") port=([new]=$base [base]=$((base + 1))) pid=()
cleanup() { for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
for s in new base; do
    "$JAVA_HOME/bin/java" -Xms64m -Xmx512m -XX:+UseSerialGC -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
        -XX:+PreserveFramePointer -jar "${jar[$s]}" serve --root "$work/www" --http "127.0.0.1:${port[$s]}" \
        --no-https --loops 1 --max-requests 10000000 --max-connections 8192 -q > "$work/$s.out" 2>&1 &
    pid[$s]=$!
done
for s in new base; do
    for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:${port[$s]}/1k.bin" && break; sleep 0.1; done
    wrk -t1 -c"$conns" -d8s "http://127.0.0.1:${port[$s]}/1k.bin" > /dev/null
done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
for r in $(seq "$rounds"); do
    for s in new base; do
        perf record -q -g -e cpu-clock -o "$work/$s-$r.data" -p "${pid[$s]}" -- sleep "$secs" > /dev/null 2>&1 & rec=$!
        t0=$(ticks "${pid[$s]}")
        n=$(wrk -t1 -c"$conns" -d"${secs}s" "http://127.0.0.1:${port[$s]}/1k.bin" | awk '/requests in/ {print $1}')
        t1=$(ticks "${pid[$s]}")
        wait "$rec" || true
        awk -v s="$s" -v r="$r" -v n="$n" -v t=$((t1 - t0)) -v hz="$hz" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
            'BEGIN { printf "%s round %s: %d requests, %.2f µs server CPU per request (load %s)\n", s, r, n, t / hz * 1e6 / n, load }'
    done
done
for s in new base; do kill "${pid[$s]}"; wait "${pid[$s]}" 2>/dev/null || true; done
pid=()
for s in new base; do
    echo; echo "## $s (${jar[$s]})"
    for r in $(seq "$rounds"); do perf script -i "$work/$s-$r.data" 2>/dev/null; done | python3 "$here/bench/src/perf_top.py" 40
done

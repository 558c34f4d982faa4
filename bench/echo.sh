#!/usr/bin/env bash
# Echo round trips: liso echo vs a classic C select() echo server, same C client, same run.
# 100 connections x 4 KiB messages (each message verified byte for byte), server on CPU 0, client on CPU 1,
# A B A B alternation, median of the runs. Writes bench/results/echo-<jdk>.md.
# Usage: bench/echo.sh [seconds-per-run=10] [runs=3]   (JAVA_HOME picks the JDK)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-10}"; runs="${2:-3}"
work="$here/bench/work"; mkdir -p "$work" "$here/bench/results"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
gcc -O2 -o "$work/select_echo" "$here/bench/src/select_echo.c"
gcc -O2 -o "$work/echo_load" "$here/bench/src/echo_load.c"
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package
conns=100; msg=4096; port_c=19100; port_l=19101
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

taskset -c 0 "$work/select_echo" $port_c & pids+=($!)
taskset -c 0 "$java" -Xms64m -Xmx256m -XX:+UseSerialGC -jar "$here/target/liso.jar" echo --port $port_l -q & pids+=($!)
sleep 2
echo "warming up the JVM (8 s)…" >&2
taskset -c 1 "$work/echo_load" $port_l $conns $msg 8 >/dev/null

run() { taskset -c 1 "$work/echo_load" "$1" $conns $msg "$secs" | awk '{print $1}'; }
c=(); l=()
for i in $(seq "$runs"); do
    c+=("$(run $port_c)"); l+=("$(run $port_l)")
    echo "run $i: C select ${c[-1]} msgs/s, liso ${l[-1]} msgs/s" >&2
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
minmax() { printf '%s\n' "$@" | sort -n | awk 'NR==1{mi=$1} {ma=$1} END {print mi "–" ma}'; }
mc=$(med "${c[@]}"); ml=$(med "${l[@]}")
ratio=$(awk -v a="$ml" -v b="$mc" 'BEGIN {printf "%.2f", a/b}')
jdk=$("$java" -version 2>&1 | head -1 | tr -d '"' | awk '{print $1"-"$3}')
out="$here/bench/results/echo-$jdk.md"
{
    echo "# Echo: liso vs C select() — $(date -u +%Y-%m-%d)"
    echo
    echo "Command: \`bench/echo.sh $secs $runs\` with $("$java" -version 2>&1 | head -1)."
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs). Server on CPU 0, client on CPU 1."
    echo "Workload: $conns connections, each sends a $msg-byte message, waits for it to come back verified, repeats."
    echo
    echo "| server | msgs/s (median) | min–max | MB/s each way |"
    echo "|---|---|---|---|"
    echo "| C select() | $mc | $(minmax "${c[@]}") | $(awk -v m="$mc" -v s=$msg 'BEGIN{printf "%.0f", m*s/1e6}') |"
    echo "| liso echo | $ml | $(minmax "${l[@]}") | $(awk -v m="$ml" -v s=$msg 'BEGIN{printf "%.0f", m*s/1e6}') |"
    echo
    echo "**Ratio liso / C select(): $ratio**"
} > "$out"
cat "$out"

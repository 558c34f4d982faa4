#!/usr/bin/env bash
# Syscalls per CGI request made by a running server's own threads, its children left out (bench/cgi-syscalls.sh
# counts both): `strace -f -p PID` for the length of a 3 s wrk -t1 -c16 run at http://127.0.0.1:PORT/cgi, the calls
# of the threads PID had when tracing began, divided by the requests wrk made. futex and restart_syscall are left
# out: under strace every SIGCHLD interrupts some idle JVM thread's wait (a ptraced task is not spared an ignored
# signal), which it does not do untraced. Load-independent, unlike req/s.
#   bench/cgi-own-syscalls.sh PID PORT
set -euo pipefail
pid=$1 port=$2
tmp="$(mktemp -d /tmp/liso-bench-cgi-own.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
tids=$(ls /proc/"$pid"/task | tr '\n' ' ')
timeout -s INT 4 strace -f -qq -o "$tmp/strace" -p "$pid" 2>/dev/null &
tracer=$!
for _ in $(seq 50); do grep -q . "$tmp/strace" 2>/dev/null && break; sleep 0.1; done
taskset -c 1 wrk -t1 -c16 -d3s "http://127.0.0.1:$port/cgi" >"$tmp/wrk"
wait "$tracer" || true
reqs=$(awk '/requests in/ {print $1}' "$tmp/wrk")
echo "# pid $pid ($(cat /proc/"$pid"/comm)), $reqs requests traced"
awk -v tids="$tids" -v r="$reqs" 'BEGIN { n = split(tids, a, " "); for (i = 1; i <= n; i++) own[a[i]] = 1 }
    !($1 in own) { next }
    { s = $2; if (s ~ /^(<|---|\+\+\+)/) next; sub(/\(.*/, "", s); if (s == "futex" || s == "restart_syscall") next
      c[s]++; total++ }
    END { for (s in c) if (c[s] / r >= 0.05) printf "%-16s %6.2f\n", s, c[s] / r; printf "%-16s %6.2f\n", "(all)", total / r }' \
    "$tmp/strace" | sort -k2 -rn

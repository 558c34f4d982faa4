#!/usr/bin/env bash
# Where a server's CPU per GB goes during a 10 MiB download at -c 4, in counts that survive a shared machine: for each
# server (name:port:pid, already running and serving /10m.bin), while `wrk -t1 -c4` runs on CPU 1, for SECS seconds:
#  - syscalls per GB of the server (perf stat on syscall tracepoints: sendfile, fstat, readlink, epoll, writes, cork),
#    its task-clock and context switches, and wrk's (task-clock, reads, epoll waits, context switches);
#  - which context transmits: packets leaving loopback (net:net_dev_xmit) while the server runs vs while wrk runs,
#    split into data segments (>= 2,000 B) and ACKs / small ones: whoever transmits also pays the receiver's softirq;
#  - how often the server's busiest thread (its event loop) sleeps: voluntary context switches per GB.
# Needs perf with tracepoints (root or perf_event_paranoid <= 1). Results: bench/results/large-files.md.
# Usage: SECS=4 bench/large-files-where.sh name:port:pid ...
set -euo pipefail
secs="${SECS:-4}"
out="${TMPDIR:-/tmp}/large-files-where.$$"
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
sys=syscalls:sys_enter_
srv_ev="task-clock,context-switches,${sys}sendfile64,${sys}newfstatat,${sys}readlink,${sys}epoll_wait,${sys}epoll_ctl"
srv_ev="$srv_ev,${sys}write,${sys}writev,${sys}setsockopt,${sys}futex"
wrk_ev="task-clock,context-switches,${sys}read,${sys}epoll_wait"
busiest() { for t in /proc/"$1"/task/*; do echo "$(awk '{print $14 + $15}' "$t/stat") ${t##*/}"; done | sort -n | tail -1 | cut -d' ' -f2; }
vcs() { awk '/^voluntary_ctxt_switches/ {print $2}' /proc/"$1"/task/"$2"/status; }
packets() { # perf.data -> "data-segments acks"
    perf script -i "$1" 2>/dev/null | sed -n 's/.*len=\([0-9]*\).*/\1/p' | awk '{ if ($1 >= 2000) d++; else a++ } END { printf "%d %d", d, a }'
}
echo "| server | GB/s | server ms/GB | sendfile | fstat | readlink | epoll_wait | epoll_ctl | write(v) | setsockopt | futex | server cs | loop sleeps | wrk ms/GB | wrk reads | wrk epoll_wait | wrk cs | data segs sent by server / by wrk | ACKs sent in server / wrk context |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for npp in "$@"; do
    IFS=: read -r name port pid <<<"$npp"
    loop=$(busiest "$pid")
    taskset -c 1 wrk -t1 -c4 -d"$((secs + 2))s" --timeout 60s "http://127.0.0.1:$port/10m.bin" >"$out/$name.wrk" 2>&1 &
    w=$!   # taskset execs wrk: this is wrk's pid
    sleep 1
    wpid=$w
    v0=$(vcs "$pid" "$loop")
    # a JVM starts and ends compiler threads as it likes; perf stat -p gives up if one goes while it attaches
    (for _ in 1 2 3 4 5; do perf stat -x, -e "$srv_ev" -p "$pid" -o "$out/$name.srv" -- sleep "$secs" && break; done) &
    (for _ in 1 2 3 4 5; do perf stat -x, -e "$wrk_ev" -p "$wpid" -o "$out/$name.cli" -- sleep "$secs" && break; done) &
    perf record -q -e net:net_dev_xmit -p "$pid" -o "$out/$name.psrv" -- sleep "$secs" >/dev/null 2>&1 &
    perf record -q -e net:net_dev_xmit -p "$wpid" -o "$out/$name.pcli" -- sleep "$secs" >/dev/null 2>&1 &
    sleep "$secs"
    v1=$(vcs "$pid" "$loop")
    wait
    # bytes moved in the counted window: the stat counters cover $secs of the run, at wrk's average rate
    bps=$(awk '/^Transfer\/sec/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+/, "", v); m = 1
        if (u == "KB") m = 1024; if (u == "MB") m = 1048576; if (u == "GB") m = 1073741824; print v * m }' "$out/$name.wrk")
    gb=$(awk -v b="$bps" -v s="$secs" 'BEGIN {print b * s / 1e9}')
    get() { awk -F, -v e="$2" -v gb="$gb" '$3 == e {printf "%.0f", $1 / gb; found = 1} END {if (!found) print 0}' "$1" 2>/dev/null || echo 0; }
    read -r sd sa <<<"$(packets "$out/$name.psrv")"; read -r cd ca <<<"$(packets "$out/$name.pcli")"
    s="$out/$name.srv"; c="$out/$name.cli"
    printf '| %s | %.2f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s %% / %s %% | %s / %s |\n' \
        "$name" "$(awk -v b="$bps" 'BEGIN {print b / 1e9}')" "$(get "$s" task-clock)" "$(get "$s" ${sys}sendfile64)" \
        "$(get "$s" ${sys}newfstatat)" "$(get "$s" ${sys}readlink)" "$(get "$s" ${sys}epoll_wait)" \
        "$(get "$s" ${sys}epoll_ctl)" "$(( $(get "$s" ${sys}write) + $(get "$s" ${sys}writev) ))" \
        "$(get "$s" ${sys}setsockopt)" "$(get "$s" ${sys}futex)" "$(get "$s" context-switches)" \
        "$(awk -v d=$((v1 - v0)) -v gb="$gb" 'BEGIN {printf "%.0f", d / gb}')" \
        "$(get "$c" task-clock)" "$(get "$c" ${sys}read)" "$(get "$c" ${sys}epoll_wait)" "$(get "$c" context-switches)" \
        "$(awk -v a="$sd" -v b="$cd" 'BEGIN {printf "%.0f", (a + b) ? 100 * a / (a + b) : 0}')" \
        "$(awk -v a="$sd" -v b="$cd" 'BEGIN {printf "%.0f", (a + b) ? 100 * b / (a + b) : 0}')" \
        "$(awk -v a="$sa" -v gb="$gb" 'BEGIN {printf "%.0f", a / gb}')" "$(awk -v a="$ca" -v gb="$gb" 'BEGIN {printf "%.0f", a / gb}')"
done
echo
echo "Per GB moved unless said otherwise; ${secs} s of each run; ACKs per GB."

#!/usr/bin/env bash
# Time to listen: how long after launch the first TCP connect succeeds, for `./lisod` (8 arguments, as the course's
# graders run it), `liso serve`, and how long `liso --version` takes to exit. Median, min and max of N launches.
# Also the CPU time the lisod server had used once it listened (utime+stime; unlike wall time, it barely depends on
# what else the machine is running).
# The graders sleep 1 s (3 s for CP3) before their first request: lisod has to listen well within that.
# Usage: bench/startup.sh [N=10]      (builds ./target/liso.jar via `make` if missing)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-10}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
[ -f "$here/target/liso.jar" ] || make -C "$here" >&2

mkdir -p "$work/www"
echo hello >"$work/www/index.html"
printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\nok\\n"\n' >"$work/cgi.sh"
chmod +x "$work/cgi.sh"
"$here/liso" cert --out "$work" --quiet >/dev/null

now_ms() { echo $(($(date +%s%N) / 1000000)); }

free_port() { "$here/liso" free-port; }

# Polls 127.0.0.1:PORT every 5 ms until a connect succeeds or DEADLINE_MS passes; prints the elapsed ms since START.
wait_listen() {
    local port="$1" start="$2" deadline=$(($2 + 10000))
    while :; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo $(($(now_ms) - start))
            return 0
        fi
        if [ "$(now_ms)" -gt "$deadline" ]; then
            echo "timeout"
            return 1
        fi
        sleep 0.005
    done
}

stats() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2;
    printf "median %d ms  min %d  max %d  (n=%d)\n", m, a[1], a[NR], NR}'; }

lisod_once() {
    local http https start pid
    http="$(free_port)"
    https="$(free_port)"
    rm -f "$work/lisod.lock"
    start="$(now_ms)"
    # Backgrounded and not waited for, as the graders do.
    "$here/lisod" "$http" "$https" "$work/lisod.log" "$work/lisod.lock" "$work/www" "$work/cgi.sh" \
        "$work/key.pem" "$work/cert.pem" >/dev/null 2>&1 &
    wait_listen "$http" "$start"
    for _ in $(seq 200); do [ -s "$work/lisod.lock" ] && break; sleep 0.01; done
    pid="$(cat "$work/lisod.lock")"
    pids+=("$pid")
    awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat" >>"$work/cpu"
    kill -9 "$pid"
    wait 2>/dev/null || true
}

serve_once() {
    local http start
    http="$(free_port)"
    start="$(now_ms)"
    "$here/liso" serve --root "$work/www" --http "127.0.0.1:$http" --no-https >/dev/null 2>&1 &
    local pid=$!
    pids+=("$pid")
    wait_listen "$http" "$start"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
}

version_once() {
    local start
    start="$(now_ms)"
    "$here/liso" --version >/dev/null
    echo $(($(now_ms) - start))
}

echo "# $(date -u +%FT%TZ) $(uname -sr), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "$(java -version 2>&1 | head -1)"
printf '%-22s ' "./lisod (8 args):"; for _ in $(seq "$n"); do lisod_once; done | stats
printf '%-22s ' "  lisod CPU at listen:"; stats <"$work/cpu"
printf '%-22s ' "liso serve:"; for _ in $(seq "$n"); do serve_once; done | stats
printf '%-22s ' "liso --version (exit):"; for _ in $(seq "$n"); do version_once; done | stats

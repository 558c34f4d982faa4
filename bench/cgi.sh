#!/usr/bin/env bash
# CGI requests/s: a trivial sh CGI at -c 16, Liso beside lighttpd's mod_cgi in the same run.
# Server pinned to CPU 0, wrk to CPU 1 (../shared/benchmarking.md). Ports below 32768. Alternates A B A B.
#   bench/cgi.sh                 # 2 rounds of 10 s per cell
#   ROUNDS=3 DURATION=10s MECHS="default VFORK" bench/cgi.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-10s}"
CONNS="${CONNS:-16}"
MECHS="${MECHS:-default}"   # Liso cells: JDK launch mechanisms to try (default, VFORK, POSIX_SPAWN, FORK)
JAVA="${JAVA:-java}"
LISO_OPTS="${LISO_OPTS:--Xms32m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k}"
LISO_PORT=18080
LIGHTTPD_PORT=18081

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v lighttpd >/dev/null || need+=(lighttpd)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package

tmp="$(mktemp -d /tmp/liso-bench-cgi.XXXXXX)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/www"
cat > "$tmp/www/cgi" <<'SH'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\nhello from a trivial CGI\n'
SH
chmod +x "$tmp/www/cgi"
cat > "$tmp/lighttpd.conf" <<CONF
server.document-root = "$tmp/www"
server.bind = "127.0.0.1"
server.port = $LIGHTTPD_PORT
server.modules = ( "mod_cgi" )
server.errorlog = "$tmp/lighttpd-error.log"
cgi.assign = ( "/cgi" => "" )
CONF

wait_port() {
    for _ in $(seq 100); do
        curl -sf -o /dev/null "http://127.0.0.1:$1/cgi" && return 0
        sleep 0.1
    done
    echo "server on :$1 did not answer" >&2; return 1
}

start_liso() {   # $1: launch mechanism or "default"
    local mech=()
    [ "$1" != default ] && mech=("-Djdk.lang.Process.launchMechanism=$1")
    # shellcheck disable=SC2086
    taskset -c 0 "$JAVA" $LISO_OPTS "${mech[@]}" -jar "$here/target/liso.jar" serve --root "$tmp/www" --no-https \
        --http "127.0.0.1:$LISO_PORT" --cgi "$tmp/www/cgi" >"$tmp/liso.out" 2>"$tmp/liso.err" &
    liso_pid=$!; pids+=("$liso_pid")
    wait_port $LISO_PORT
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

busy_other() {  # % of a core used by everything on the machine during the last run, minus nothing: a noise gauge
    awk '/^cpu /{print $2+$3+$4+$6+$7+$8, $5}' /proc/stat
}

measure() {  # $1 port -> requests/s
    taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$1/cgi" | awk '/Requests\/sec/{print $2}'
}

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "# cgi bench $(date -u +%FT%TZ) on $(nproc) cpus, $(uname -r)"
echo "# $("$JAVA" -version 2>&1 | head -1); $(lighttpd -v 2>&1 | head -1); $(wrk -v 2>&1 | head -1)"
echo "# wrk -t1 -c$CONNS -d$DURATION, server on cpu0, wrk on cpu1; liso opts: $LISO_OPTS"

taskset -c 0 lighttpd -D -f "$tmp/lighttpd.conf" &
lighttpd_pid=$!; pids+=("$lighttpd_pid")
wait_port $LIGHTTPD_PORT

declare -A results
for mech in $MECHS; do
    start_liso "$mech"
    taskset -c 1 wrk -t1 -c"$CONNS" -d8s "http://127.0.0.1:$LISO_PORT/cgi" >/dev/null   # JIT warm-up
    stop "$liso_pid"
done
for r in $(seq "$ROUNDS"); do
    for mech in $MECHS; do
        start_liso "$mech"
        taskset -c 1 wrk -t1 -c"$CONNS" -d3s "http://127.0.0.1:$LISO_PORT/cgi" >/dev/null   # warm this JVM
        before=$(busy_other)
        v=$(measure $LISO_PORT)
        after=$(busy_other)
        rss=$(ps -o rss= -p "$liso_pid")
        stop "$liso_pid"
        results[liso-$mech]+="$v "
        echo "round $r liso($mech): $v req/s (rss $((rss / 1024)) MiB; machine jiffies busy/idle $before -> $after)"
    done
    before=$(busy_other)
    v=$(measure $LIGHTTPD_PORT)
    after=$(busy_other)
    results[lighttpd]+="$v "
    echo "round $r lighttpd: $v req/s (machine jiffies busy/idle $before -> $after)"
done

l=$(echo "${results[lighttpd]}" | tr ' ' '\n' | grep . | median)
echo "lighttpd mod_cgi: median $l req/s (runs: ${results[lighttpd]})"
for mech in $MECHS; do
    m=$(echo "${results[liso-$mech]}" | tr ' ' '\n' | grep . | median)
    echo "liso ($mech): median $m req/s (runs: ${results[liso-$mech]}) ratio liso/lighttpd = $(awk -v a="$m" -v b="$l" 'BEGIN{printf "%.2f", a/b}')"
done

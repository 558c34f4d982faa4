#!/usr/bin/env bash
# What one new TLS connection costs Liso's native engine, beside nginx and lighttpd: server CPU and syscalls per
# handshake, full (--no-tls-resumption) and resumed (TLS 1.3 PSK), and where Liso's CPU goes (perf by shared object,
# JFR by Java frame).
#   bench/profile-handshake.sh                        # JDK on PATH or $JAVA_HOME
#   MODES="full" SECS=8 bench/profile-handshake.sh
#   BASE_JAR=/tmp/old.jar bench/profile-handshake.sh  # also "liso-base", another build, in the same run
#   PROFILE=0 ROUNDS=3 bench/profile-handshake.sh     # CPU per connection only
# Method (../shared/benchmarking.md): servers on CPU 0, `wrk -t1 -c16 -H 'Connection: close'` on CPU 1 (wrk resumes
# the TLS session on reconnect unless the server refuses it), Liso warmed up first; CPU from /proc/PID/stat
# (utime+stime of the server's process tree) over the measured run, divided by the connections wrk made (its
# requests, one per connection). Syscalls: `strace -c -f` over a separate, shorter run (strace slows the server; counts only).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JFR="${JAVA_HOME:+$JAVA_HOME/bin/}jfr"
JCMD="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
MODES="${MODES:-full resumed}"
SECS="${SECS:-8}"
WARMUP="${WARMUP:-20}"
CONNS="${CONNS:-16}"
PROFILE="${PROFILE:-1}"   # 0: CPU per connection only (no strace, perf, JFR)
BASE_JAR="${BASE_JAR:-}"
SERVERS="${SERVERS:-${BASE_JAR:+liso-base }liso nginx lighttpd}"
LISO_OPTS="${LISO_OPTS:--Xms32m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k -XX:+PreserveFramePointer}"
w="$here/bench/work/handshake"
mkdir -p "$w/www"
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package
head -c 1024 /dev/zero | tr '\0' 'x' > "$w/www/1k"
[ -f "$w/cert/cert.pem" ] || "$JAVA" -jar "$here/target/liso.jar" cert --rsa --quiet --out "$w/cert" >/dev/null
declare -A port=([liso]=26021 [liso-base]=26023 [nginx]=26025 [lighttpd]=26027)
declare -A pid=()

exec 8>/tmp/liso-bench.lock
flock -w 1800 8 || { echo "another Liso benchmark holds /tmp/liso-bench.lock" >&2; exit 75; }

stop() {
    local p="${pid[$1]:-}"
    [ -n "$p" ] || return 0
    kill "$p" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    wait "$p" 2>/dev/null || true
    pid[$1]=
}
cleanup() { for s in "${!pid[@]}"; do stop "$s"; done; }
trap cleanup EXIT

start() {  # $1 server, $2 full|resumed
    local p=${port[$1]}
    case $1 in
    liso|liso-base)
        local jar="$here/target/liso.jar" off=()
        [ "$1" = liso-base ] && jar=$BASE_JAR
        [ "$2" = full ] && off=(--no-tls-resumption)
        # shellcheck disable=SC2086
        taskset -c 0 "$JAVA" $LISO_OPTS -jar "$jar" serve --quiet --loops 1 --root "$w/www" --http "127.0.0.1:$((p + 1))" \
            --https "127.0.0.1:$p" --tls-provider native --key "$w/cert/key.pem" --cert "$w/cert/cert.pem" \
            "${off[@]}" >/dev/null 2>"$w/$1.err" &
        ;;
    nginx)
        local tickets=on cache="shared:SSL:10m"
        [ "$2" = full ] && { tickets=off; cache=off; }
        mkdir -p "$w/nginx-tmp"
        cat > "$w/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $w/nginx.pid;
error_log $w/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $w/nginx-tmp;
    server {
        listen 127.0.0.1:$p ssl;
        root $w/www;
        ssl_certificate $w/cert/cert.pem;
        ssl_certificate_key $w/cert/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache $cache;
        ssl_session_tickets $tickets;
    }
}
CONF
        taskset -c 0 nginx -p "$w" -e "$w/nginx-error.log" -c "$w/nginx.conf" &
        ;;
    lighttpd)
        local options="ServerPreference"
        [ "$2" = full ] && options="ServerPreference,-SessionTicket"
        cat > "$w/lighttpd.conf" <<CONF
server.document-root = "$w/www"
server.bind = "127.0.0.1"
server.port = $p
server.modules = ( "mod_openssl" )
server.errorlog = "$w/lighttpd-error.log"
server.pid-file = "$w/lighttpd.pid"
ssl.engine = "enable"
ssl.pemfile = "$w/cert/cert.pem"
ssl.privkey = "$w/cert/key.pem"
ssl.openssl.ssl-conf-cmd = ( "MinProtocol" => "TLSv1.2", "Options" => "$options" )
CONF
        taskset -c 0 lighttpd -D -f "$w/lighttpd.conf" &
        ;;
    esac
    pid[$1]=$!
    for _ in $(seq 150); do
        curl -sf -o /dev/null -k "https://127.0.0.1:$p/1k" && return 0
        sleep 0.2
    done
    echo "no answer from $1 on :$p" >&2; return 1
}

tree() { echo "${pid[$1]}" $(pgrep -P "${pid[$1]}" 2>/dev/null || true); }
cpu() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
load() {  # $1 server, $2 seconds
    taskset -c 1 wrk -t1 -c"$CONNS" -d"$2s" -H 'Connection: close' "https://127.0.0.1:${port[$1]}/1k" > "$w/wrk.out" 2>&1
}

echo "# $(date -u +%FT%TZ), $("$JAVA" -version 2>&1 | sed -n 2p), $(nginx -v 2>&1 | sed 's/.*: //'), $(lighttpd -v 2>&1 | awk '{print $1}')"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: CPU per handshake is the figure)"
for mode in $MODES; do
    echo "## $mode handshakes (wrk -c$CONNS, Connection: close, ${SECS}s per run, two runs A B A B)"
    for s in $SERVERS; do start "$s" "$mode"; done
    for s in $SERVERS; do case $s in liso*) load "$s" "$WARMUP" ;; esac; done
    for round in $(seq "${ROUNDS:-2}"); do
        for s in $SERVERS; do
            ps_=$(tree "$s"); c0=$(cpu $ps_)
            load "$s" "$SECS"
            c1=$(cpu $ps_)
            # wrk's own count: with Connection: close each request is a connection. (The machine-wide TCP
            # PassiveOpens would count other tenants' benchmarks too.)
            n=$(awk '/requests in/{print $1}' "$w/wrk.out")
            awk -v s="$s" -v c=$((c1 - c0)) -v n="$n" -v r="$round" -v rate="$(awk '/Requests\/sec/{print $2}' "$w/wrk.out")" \
                'BEGIN{printf "%-9s round %d: %6d connections, %5.0f conn/s, server CPU %4d jiffies: %.3f ms per connection\n", s, r, n, rate, c, (n>0)?c*10/n:0}'
        done
    done
    if [ "$PROFILE" = 0 ]; then for s in $SERVERS; do stop "$s"; done; continue; fi
    for s in $SERVERS; do
        # Syscalls per connection: strace -c on the whole process tree for a short bounded run.
        ps_=$(tree "$s")
        args=(); for p in $ps_; do args+=(-p "$p"); done
        strace -c -f -o "$w/strace-$s-$mode.txt" "${args[@]}" & st=$!
        sleep 1
        load "$s" 3
        kill -INT $st; wait $st 2>/dev/null || true
        n=$(awk '/requests in/{print $1}' "$w/wrk.out")
        echo "$s syscalls per connection ($n connections under strace):"
        awk -v n="$n" '/^ *[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+/{c=$4; name=$NF; if (name != "total") printf "  %s %.2f", name, c/n} /total/{printf "\n  total %.1f\n", $3/n}' \
            "$w/strace-$s-$mode.txt"
    done
    for s in $SERVERS; do
        case $s in liso*)
            # Shared objects the CPU went to (kernel, libconscrypt's BoringSSL, JIT-compiled Java, the JVM).
            # Profiling runs only here, after the CPU figures: JFR (jcmd) and perf for the same 4 s of load.
            rm -f "$w/$s-$mode.jfr"
            "$JCMD" "${pid[$s]}" JFR.start settings=profile duration=4s filename="$w/$s-$mode.jfr" >/dev/null
            perf record -q -g -o "$w/perf-$s-$mode.data" -p "${pid[$s]}" -- sleep 4 >/dev/null 2>&1 & pr=$!
            load "$s" 4; wait $pr || true
            for _ in $(seq 50); do [ -s "$w/$s-$mode.jfr" ] && break; sleep 0.2; done
            echo "$s perf, by shared object (% of samples):"
            { perf report -q -i "$w/perf-$s-$mode.data" --sort dso --stdio --no-children -g none 2>/dev/null \
                | grep -v '^$' | head -8; } || true
            ;;
        esac
    done
    for s in $SERVERS; do stop "$s"; done
    for s in $SERVERS; do
        case $s in liso*)
            echo "$s JFR, Java frames (self, top 25):"
            { "$JFR" print --events jdk.ExecutionSample "$w/$s-$mode.jfr" | python3 "$here/bench/jfr_top.py" 25 \
                | head -45; } || true
            ;;
        esac
    done
done

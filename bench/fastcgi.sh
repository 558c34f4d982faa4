#!/usr/bin/env bash
# FastCGI requests/s: one small PHP page through one php-fpm, served by Liso (--fastcgi: its defaults, kept connections
# as many as php-fpm is learned to serve at once, --fastcgi-idle auto; "liso-close": --fastcgi-idle 0, a connection per
# request; "liso-keep": FCGI_KEEP_CONN with --fastcgi-conns = --fastcgi-idle = the php-fpm children), nginx
# (fastcgi_pass, its usual configuration) and lighttpd (mod_fastcgi), in the same run, alternating, each server
# running alone with php-fpm during its cell. nginx gets no upstream keepalive: with more client connections than
# php-fpm children, kept connections leave requests in php-fpm's backlog until they time out.
# The servers and php-fpm share CPU 0 (the same php-fpm instance for all three), wrk runs on CPU 1
# (../shared/benchmarking.md). Ports below 32768.
# Beside req/s each cell prints what survives a shared machine: the server's CPU per request (utime+stime of its
# process and children from /proc, all threads), php-fpm's, and the server's context switches per request; with
# STRACE=1 a second, traced pass per cell counts the server's syscalls per request (strace -c -f; slower, so its
# req/s is not reported).
#   bench/fastcgi.sh                          # 3 rounds of 10 s per server, -c 16, 4 php-fpm children
#   ROUNDS=5 DURATION=10s CONNS=32 CHILDREN=8 bench/fastcgi.sh
#   ROUNDS=1 DURATION=5s STRACE=1 CELLS="liso lighttpd" bench/fastcgi.sh
#   BASE_JAR=/tmp/old.jar CELLS="base liso base-keep liso-keep lighttpd" bench/fastcgi.sh   # before/after, same run
#   CELLS="liso liso-close liso-keep nginx lighttpd" bench/fastcgi.sh   # each of Liso's three ways, beside the peers
# The JVM's C2 compiler still works for 20-30 s of this load on a shared core (measured: 20-37 us of compiler CPU per
# request after 8 s), so each Liso start is warmed up for LISO_WARMUP (30 s) before its cell is measured.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNS="${CONNS:-16}"
CHILDREN="${CHILDREN:-4}"
JAVA="${JAVA:-java}"
JAR="${JAR:-$here/target/liso.jar}"
CELLS="${CELLS:-liso liso-keep nginx lighttpd}"
BASE_JAR="${BASE_JAR:-}"
LISO_WARMUP="${LISO_WARMUP:-30s}"
STRACE="${STRACE:-}"
LISO_OPTS="${LISO_OPTS:--Xms32m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k}"
LISO_PORT=18090
NGINX_PORT=18091
LIGHTTPD_PORT=18092

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx)
command -v lighttpd >/dev/null || need+=(lighttpd)
ls /usr/sbin/php-fpm* >/dev/null 2>&1 || need+=(php-fpm)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
fpm_bin="$(ls /usr/sbin/php-fpm* | sort -V | tail -1)"
[ -f "$JAR" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package

tmp="$(mktemp -d /tmp/liso-bench-fastcgi.XXXXXX)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/www"
cat > "$tmp/www/hello.php" <<'PHP'
<?php
header('Content-Type: text/plain');
echo "Hello from PHP ", PHP_VERSION, " at ", $_SERVER['REQUEST_URI'], "\n";
PHP
sock="$tmp/fpm.sock"
root_user=""; run_as_root=()
if [ "$(id -u)" -eq 0 ]; then root_user="user = root"; run_as_root=(-R); fi
cat > "$tmp/fpm.conf" <<CONF
[global]
pid = $tmp/fpm.pid
error_log = $tmp/fpm.log
daemonize = no
[bench]
$root_user
listen = $sock
listen.backlog = 1024
pm = static
pm.max_children = $CHILDREN
pm.max_requests = 0
CONF
cat > "$tmp/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
$( [ "$(id -u)" -eq 0 ] && echo "user root;" )
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx-body;
    fastcgi_temp_path $tmp/nginx-fastcgi;
    proxy_temp_path $tmp/nginx-proxy;
    uwsgi_temp_path $tmp/nginx-uwsgi;
    scgi_temp_path $tmp/nginx-scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $tmp/www;
        location ~ \.php$ {
            try_files \$uri =404;
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_pass unix:$sock;
        }
    }
}
CONF
cat > "$tmp/lighttpd.conf" <<CONF
server.document-root = "$tmp/www"
server.bind = "127.0.0.1"
server.port = $LIGHTTPD_PORT
server.modules = ( "mod_fastcgi" )
server.errorlog = "$tmp/lighttpd-error.log"
fastcgi.server = ( ".php" => (( "socket" => "$sock", "check-local" => "enable" )) )
CONF

wait_port() {  # up to 30 s: a JVM starting on a shared, loaded core can take more than 10
    for _ in $(seq 300); do
        curl -sf -o /dev/null "http://127.0.0.1:$1/hello.php" && return 0
        sleep 0.1
    done
    echo "server on :$1 did not answer" >&2; return 1
}

start_liso() {  # $1 jar, then extra flags
    local jar=$1; shift
    # shellcheck disable=SC2086
    taskset -c 0 "$JAVA" $LISO_OPTS -jar "$jar" serve --root "$tmp/www" --no-https \
        --http "127.0.0.1:$LISO_PORT" --fastcgi "*.php=unix:$sock" "$@" >"$tmp/liso.out" 2>"$tmp/liso.err" &
    liso_pid=$!; pids+=("$liso_pid")
    wait_port $LISO_PORT
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

# A process and its children (nginx's worker, php-fpm's workers).
tree() { echo "$1" $(pgrep -P "$1" || true); }
ticks() {  # -> "user system" clock ticks, summed over the processes
    for p in "$@"; do awk '{print $14, $15}' "/proc/$p/stat" 2>/dev/null || echo 0 0; done \
        | awk '{u += $1; s += $2} END {print u + 0, s + 0}'
}
switches() {
    for p in "$@"; do cat /proc/"$p"/task/*/status 2>/dev/null; done \
        | awk '/^(voluntary|nonvoluntary)_ctxt_switches/ {s += $2} END {print s + 0}'
}
hz=$(getconf CLK_TCK)

measure() {  # $1 port -> "req/s server-us/req(user+sys) fpm-us/req server-cs/req"
    local server fpm su0 ss0 fu0 fs0 c0 out rps reqs su1 ss1 fu1 fs1 c1
    server=$(tree "$server_pid"); fpm=$(tree "$fpm_pid")
    # shellcheck disable=SC2086
    read -r su0 ss0 <<<"$(ticks $server)"; read -r fu0 fs0 <<<"$(ticks $fpm)"; c0=$(switches $server)
    out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$1/hello.php")
    # shellcheck disable=SC2086
    read -r su1 ss1 <<<"$(ticks $server)"; read -r fu1 fs1 <<<"$(ticks $fpm)"; c1=$(switches $server)
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    reqs=$(echo "$out" | awk '/requests in/{print $1}')
    awk -v r="$rps" -v n="$reqs" -v u=$((su1 - su0)) -v s=$((ss1 - ss0)) -v f=$((fu1 + fs1 - fu0 - fs0)) \
        -v c=$((c1 - c0)) -v hz="$hz" \
        'BEGIN {k = 1e6 / hz / n; printf "%s %.1f(%.1f+%.1f) %.1f %.2f", r, (u + s) * k, u * k, s * k, f * k, c / n}'
}

# Syscalls per request of the server (all threads), from a traced wrk run; prints the busiest ones.
trace() {  # $1 port
    local server out reqs
    server=$(tree "$server_pid")
    # shellcheck disable=SC2046
    strace -c -f -o "$tmp/strace.out" $(printf -- '-p %s ' $server) &
    local st=$!
    sleep 1
    out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$1/hello.php")
    kill -INT "$st"; wait "$st" 2>/dev/null || true
    reqs=$(echo "$out" | awk '/requests in/{print $1}')
    awk -v n="$reqs" '$NF ~ /^[a-z_0-9]+$/ && $NF != "total" && $4 ~ /^[0-9]+$/ {calls[$NF] = $4; total += $4}
        END {printf "syscalls/req %.2f:", total / n; for (c in calls) if (calls[c] / n >= 0.05) printf " %s %.2f", c, calls[c] / n; print ""}' \
        "$tmp/strace.out"
}

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "# fastcgi bench $(date -u +%FT%TZ) on $(nproc) cpus, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$JAVA" -version 2>&1 | head -1); $(nginx -v 2>&1 | head -1); $(lighttpd -v 2>&1 | head -1);" \
     "$("$fpm_bin" -v | head -1); $(wrk -v 2>&1 | head -1)"
echo "# wrk -t1 -c$CONNS -d$DURATION /hello.php; servers and php-fpm ($CHILDREN children) on cpu0, wrk on cpu1"

taskset -c 0 "$fpm_bin" -F "${run_as_root[@]}" -y "$tmp/fpm.conf" &
fpm_pid=$!; pids+=("$fpm_pid")
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done

# One server at a time: php-fpm gives each connection a child for as long as the connection lives (FCGI_KEEP_CONN),
# so a server's kept connections would hold children away from the next server.
start() {  # $1 who -> sets server_pid and port
    case $1 in
        liso|liso-keep|liso-close|base|base-keep|base-close)
            local jar=$JAR
            case $1 in base*) jar=$BASE_JAR ;; esac
            case $1 in
                *-keep) start_liso "$jar" --fastcgi-conns "$CHILDREN" --fastcgi-idle "$CHILDREN" ;;
                *-close) start_liso "$jar" --fastcgi-idle 0 ;;
                *) start_liso "$jar" ;;
            esac
            server_pid=$liso_pid; port=$LISO_PORT
            taskset -c 1 wrk -t1 -c"$CONNS" -d"$LISO_WARMUP" "http://127.0.0.1:$port/hello.php" >/dev/null ;;  # JIT
        nginx)
            taskset -c 0 nginx -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log" &
            server_pid=$!; pids+=("$server_pid"); port=$NGINX_PORT; wait_port $port
            taskset -c 1 wrk -t1 -c"$CONNS" -d2s "http://127.0.0.1:$port/hello.php" >/dev/null ;;
        lighttpd)
            taskset -c 0 lighttpd -D -f "$tmp/lighttpd.conf" &
            server_pid=$!; pids+=("$server_pid"); port=$LIGHTTPD_PORT; wait_port $port
            taskset -c 1 wrk -t1 -c"$CONNS" -d2s "http://127.0.0.1:$port/hello.php" >/dev/null ;;
    esac
}

declare -A results
for who in liso liso-keep liso-close base base-keep base-close nginx lighttpd; do results[$who]=""; done
rss=0
for r in $(seq "$ROUNDS"); do
    for who in $CELLS; do
        start "$who"
        read -r v cpu fpmcpu cs <<<"$(measure "$port")"
        results[$who]+="$v "
        if [ "$who" = liso-keep ]; then rss=$(ps -o rss= -p "$server_pid"); fi
        echo "round $r $who: $v req/s, server $cpu us/req (user+sys), php-fpm $fpmcpu us/req, server $cs cs/req" \
             "(load $(cut -d' ' -f1 /proc/loadavg))"
        if [ -n "$STRACE" ]; then echo "round $r $who: $(trace "$port" 2>/dev/null)"; fi
        stop "$server_pid"
    done
done

med() { echo "${results[$1]}" | tr ' ' '\n' | grep . | median; }
for who in $CELLS; do echo "$who: median $(med "$who") req/s (runs: ${results[$who]})"; done
case " $CELLS " in *" liso "*" liso-keep "*" nginx "*" lighttpd "*) ;; *) exit 0 ;; esac  # ratios need all four
l=$(med liso); k=$(med liso-keep); n=$(med nginx); t=$(med lighttpd)
echo "liso:      median $l req/s (runs: ${results[liso]})"
echo "liso-keep: median $k req/s (runs: ${results[liso-keep]}; rss $((rss / 1024)) MiB)"
echo "nginx:    median $n req/s (runs: ${results[nginx]})"
echo "lighttpd: median $t req/s (runs: ${results[lighttpd]})"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
echo "ratio liso/nginx = $(ratio "$l" "$n"), liso/lighttpd = $(ratio "$l" "$t");" \
     "liso-keep/nginx = $(ratio "$k" "$n"), liso-keep/lighttpd = $(ratio "$k" "$t")"

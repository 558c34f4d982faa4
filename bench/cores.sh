#!/usr/bin/env bash
# Many cores: liso --loops 2 (and --loops 1) vs nginx (worker_processes 2) and lighttpd (server.max-worker = 2), all
# UNPINNED, wrk -t2, same files, same run. Keep-alive 1 KiB and 100 KiB at -c 64 and -c 1000, and connection per
# request. Servers and wrk share the 2 cores, so besides req/s every run records the server's CPU (utime+stime of its
# process tree from /proc/PID/stat) and reports requests per server CPU-second, which stays fair under sharing.
# Each cell: RUNS runs per server, alternating liso-2 nginx lighttpd liso-1 liso-2-handoff; median and min–max; ratios.
# Writes bench/results/cores.md (OUT overrides).
# Usage: bench/cores.sh [seconds-per-run=10] [runs=2]
#   BASE_JAR    another liso jar (say, main's) run as "base2" (--loops 2, SO_REUSEPORT) beside this one, same cells;
#               and as "base1" (--loops 1) when SERVERS names it
#   SERVERS     which servers to run, in this order (default "liso2 nginx lighttpd liso1 liso2h", plus base2 after
#               liso2 when BASE_JAR is set)
#   ONLY        run just the cells whose name matches this extended regex (e.g. ONLY='1 KiB')
#   OUT         where the results go (default bench/results/cores.md)
#   JAVA_HOME   the JDK to run liso on (default /usr/lib/jvm/java-17-openjdk-amd64)
#   LISO_JVM    JVM flags for liso (default "-Xms64m -Xmx512m -XX:+UseSerialGC")
#   PORT_BASE   four loopback ports from here (default 18381; keep below 32768, the ephemeral range)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-10}"; runs="${2:-2}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
java="$JAVA_HOME/bin/java"
jvm_flags="${LISO_JVM:--Xms64m -Xmx512m -XX:+UseSerialGC}"
base="${PORT_BASE:-18381}"
if [ -n "${SERVERS:-}" ]; then
    read -r -a servers <<<"$SERVERS"
elif [ -n "${BASE_JAR:-}" ]; then
    servers=(liso2 base2 nginx lighttpd liso1 liso2h)
else
    servers=(liso2 nginx lighttpd liso1 liso2h)
fi
declare -A port=([liso2]=$base [nginx]=$((base + 1)) [lighttpd]=$((base + 2)) [liso1]=$((base + 3))
    [liso2h]=$((base + 4)) [base2]=$((base + 5)) [base1]=$((base + 6)))
has() { local s; for s in "${servers[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
if { has base2 || has base1; } && [ ! -f "${BASE_JAR:-}" ]; then echo "base1/base2 need BASE_JAR, a liso jar" >&2; exit 64; fi
work="$here/bench/work/cores"; www="$work/www"
mkdir -p "$work" "$www" "$here/bench/results"

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v lighttpd >/dev/null || [ -x /usr/sbin/lighttpd ] || need+=(lighttpd)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
        || apt-get install -y -qq --no-install-recommends "${need[@]/nginx-light/nginx}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

[ -s "$www/1k.bin" ] || head -c 1024 /dev/urandom > "$www/1k.bin"
[ -s "$www/100k.bin" ] || head -c 102400 /dev/urandom > "$www/100k.bin"
chmod 755 "$work" "$www"; chmod 644 "$www"/*.bin

mkdir -p "$work/nginx-tmp"
cat > "$work/nginx.conf" <<EOF
daemon off;
user root;
worker_processes 2;
worker_rlimit_nofile 16384;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 8192; use epoll; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 10000000;
    keepalive_timeout 65;
    default_type application/octet-stream;
    client_body_temp_path $work/nginx-tmp/body;
    proxy_temp_path $work/nginx-tmp/proxy;
    fastcgi_temp_path $work/nginx-tmp/fastcgi;
    uwsgi_temp_path $work/nginx-tmp/uwsgi;
    scgi_temp_path $work/nginx-tmp/scgi;
    server { listen 127.0.0.1:${port[nginx]} backlog=4096 reuseport; root $www; }
}
EOF
cat > "$work/lighttpd.conf" <<EOF
server.document-root = "$www"
server.bind = "127.0.0.1"
server.port = ${port[lighttpd]}
server.pid-file = "$work/lighttpd.pid"
server.errorlog = "$work/lighttpd-error.log"
server.max-worker = 2
server.max-fds = 16384
server.max-connections = 8192
server.max-keep-alive-requests = 10000000
server.max-keep-alive-idle = 65
server.listen-backlog = 4096
mimetype.assign = ( ".bin" => "application/octet-stream" )
EOF

declare -A pid
cleanup() {
    for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pid[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_port() {
    for _ in $(seq 200); do
        curl -s -o /dev/null "http://127.0.0.1:$1/1k.bin" && return 0
        sleep 0.1
    done
    echo "nothing answers on port $1" >&2; return 1
}
for s in "${servers[@]}"; do
    if ss -ltnH "sport = :${port[$s]}" | grep -q .; then echo "port ${port[$s]} is taken; set PORT_BASE" >&2; exit 69; fi
done
if has nginx; then nginx -c "$work/nginx.conf" -p "$work/" -e "$work/nginx-error.log" & pid[nginx]=$!; fi
if has lighttpd; then lighttpd -D -f "$work/lighttpd.conf" & pid[lighttpd]=$!; fi
# liso2h: two loops, loop 0 accepting and handing connections off (--accept handoff), for the accept comparison.
# base2, base1: BASE_JAR on two loops and on one, as liso2 and liso1.
for s in liso1 liso2 liso2h base2 base1; do
    has "$s" || continue
    jar="$here/target/liso.jar"
    case $s in liso1) args=(--loops 1) ;; liso2) args=(--loops 2 --accept reuseport) ;; liso2h) args=(--loops 2 --accept handoff) ;;
        base2) args=(--loops 2 --accept reuseport); jar="$BASE_JAR" ;; base1) args=(--loops 1); jar="$BASE_JAR" ;; esac
    # shellcheck disable=SC2086
    "$java" $jvm_flags -jar "$jar" serve --root "$www" --no-https "${args[@]}" \
        --http "127.0.0.1:${port[$s]}" --max-connections 8192 --max-requests 10000000 -q >"$work/$s.out" 2>&1 &
    pid[$s]=$!
done
for s in "${servers[@]}"; do wait_port "${port[$s]}"; done
for s in "${servers[@]}"; do
    for f in 1k.bin 100k.bin; do
        [ "$(sha256sum < "$www/$f")" = "$(curl -sf "http://127.0.0.1:${port[$s]}/$f" | sha256sum)" ] \
            || { echo "$s served $f wrong" >&2; exit 1; }
    done
done

ticks() { awk '/^cpu / {print $2 + $3 + $4}' /proc/stat; }
proc_ticks() { # utime+stime of a process (all its threads) and its children (nginx and lighttpd workers)
    local total=0 p
    for p in $1 $(pgrep -P "$1" || true); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
hz=$(getconf CLK_TCK)
# run SERVER PATH CONNS [extra wrk args] → "req/s server-cpu-seconds non2xx socket-errors total-busy-cores"
run() {
    local s=$1 path=$2 conns=$3; shift 3
    local out t0 p0 t1 p1 d0 d1
    d0=$(date +%s.%N); t0=$(ticks); p0=$(proc_ticks "${pid[$s]}")
    out=$(wrk -t2 -c"$conns" -d"${secs}s" "$@" "http://127.0.0.1:${port[$s]}$path" 2>&1)
    t1=$(ticks); p1=$(proc_ticks "${pid[$s]}"); d1=$(date +%s.%N)
    echo "$out" >> "$work/wrk.log"
    awk -v out="$out" -v cpu=$(( p1 - p0 )) -v busy=$(( t1 - t0 )) -v hz="$hz" -v secs="$(awk -v a="$d0" -v b="$d1" 'BEGIN {print b - a}')" 'BEGIN {
        n = split(out, line, "\n"); rps = 0; non2xx = 0; errs = "connect0,read0,write0,timeout0"
        for (i = 1; i <= n; i++) {
            if (line[i] ~ /^Requests\/sec:/) { split(line[i], f, " "); rps = f[2] }
            if (line[i] ~ /Non-2xx or 3xx responses:/) { split(line[i], f, ":"); non2xx = f[2] + 0 }
            if (line[i] ~ /Socket errors:/) { e = line[i]; sub(/.*Socket errors: */, "", e); gsub(/ /, "", e); errs = e }
        }
        printf "%.0f %.2f %d %s %.2f\n", rps, cpu / hz, non2xx, errs, busy / hz / secs
    }'
}

echo "warming up (each liso 8 s + 3 s per other cell; peers 2 s each)…" >&2
for s in liso2 base2 liso1 base1 liso2h; do
    has "$s" || continue
    wrk -t2 -c64 -d8s "http://127.0.0.1:${port[$s]}/1k.bin" >/dev/null
    wrk -t2 -c1000 -d3s "http://127.0.0.1:${port[$s]}/1k.bin" >/dev/null
    wrk -t2 -c64 -d3s "http://127.0.0.1:${port[$s]}/100k.bin" >/dev/null
    wrk -t2 -c64 -d3s -H 'Connection: close' "http://127.0.0.1:${port[$s]}/1k.bin" >/dev/null
done
for s in nginx lighttpd; do has "$s" && wrk -t2 -c64 -d2s "http://127.0.0.1:${port[$s]}/1k.bin" >/dev/null; done

cells=("1 KiB keep-alive, -c 64|/1k.bin|64"
       "1 KiB keep-alive, -c 1000|/1k.bin|1000"
       "100 KiB keep-alive, -c 64|/100k.bin|64"
       "100 KiB keep-alive, -c 1000|/100k.bin|1000"
       "connection per request, 1 KiB, -c 64|/1k.bin|64|close")
if [ -n "${ONLY:-}" ]; then
    kept=(); for c in "${cells[@]}"; do grep -Eq -- "$ONLY" <<<"${c%%|*}" && kept+=("$c"); done; cells=("${kept[@]}")
fi
results="$work/results.tsv"; : > "$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for c in "${cells[@]}"; do
    IFS='|' read -r name path conns close <<<"$c"
    extra=(); [ -n "${close:-}" ] && extra=(-H 'Connection: close')
    for i in $(seq "$runs"); do
        for s in "${servers[@]}"; do
            r=$(run "$s" "$path" "$conns" "${extra[@]}")
            printf '%s\t%s\t%s\t%s\n' "$name" "$s" "$i" "$(echo "$r" | tr ' ' '\t')" >> "$results"
            echo "$name | $s | run $i | req/s cpu-s non2xx sock-errors busy-cores = $r" >&2
        done
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# stats CELL SERVER FIELD → "median min max" of req/s (FIELD=rps), requests per CPU-second (FIELD=eff) or server
# CPU microseconds per request (FIELD=us); "- - -" when SERVER did not run.
stats() {
    awk -F'\t' -v cell="$1" -v srv="$2" -v field="$3" '
        $1 == cell && $2 == srv {
            req = $4 * '"$secs"'
            v = (field == "eff") ? ($5 > 0 ? req / $5 : 0) : (field == "us") ? (req > 0 ? $5 * 1e6 / req : 0) : $4
            a[++n] = v
        }
        END {
            if (n == 0) { print "- - -"; exit }
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            md = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
            f = (field == "us") ? "%.2f %.2f %.2f\n" : "%.0f %.0f %.0f\n"
            printf f, md, a[1], a[n]
        }' "$results"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
declare -A title=([liso2]="liso --loops 2" [base2]="base --loops 2" [nginx]="nginx ×2" [lighttpd]="lighttpd ×2"
    [liso1]="liso --loops 1" [liso2h]="liso-2 handoff" [base1]="base --loops 1")
# header TEXT... → a markdown header row with the servers' columns between the workload and TEXT columns
header() {
    local row="| workload" sep="|---" s t
    for s in "${servers[@]}"; do row+=" | ${title[$s]}"; sep+="|---"; done
    for t in "$@"; do row+=" | $t"; sep+="|---"; done
    echo "$row |"; echo "$sep|"
}
out="${OUT:-$here/bench/results/cores.md}"
{
    echo "# Many cores: liso --loops 2 vs nginx (2 workers) vs lighttpd (2 workers) — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Command: \`JAVA_HOME=$JAVA_HOME${BASE_JAR:+ BASE_JAR=$BASE_JAR}${SERVERS:+ SERVERS=\"$SERVERS\"}${ONLY:+ ONLY=\"$ONLY\"} bench/cores.sh $secs $runs\`"
    echo
    echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r); shared with other engineers' builds (load average before / after: $load_before / $load_after)."
    echo "- Everything unpinned: servers and \`wrk -t2 -cN -d${secs}s\` share both cores, so wrk takes about half the machine; req/s are what is left to each server, and the server's CPU per request (utime+stime from /proc/PID/stat, the server's whole process tree) is the fairer figure."
    echo "- liso: $("$java" -version 2>&1 | head -1), \`java $jvm_flags -jar target/liso.jar serve --loops N --root www --http … --max-connections 8192 --max-requests 10000000 -q\` (commit $(git -C "$here" rev-parse --short HEAD)), SO_REUSEPORT accepting.${BASE_JAR:+ base: the same with \`$BASE_JAR\`.}"
    echo "- nginx: $(nginx -v 2>&1 | sed 's/.*version: //'), worker_processes 2, listen … reuseport, access_log off, sendfile on. lighttpd: $(lighttpd -v 2>&1 | head -1 | awk '{print $1}'), server.max-worker = 2."
    echo "- Each cell: $runs runs per server, alternating ${servers[*]}. Median and min–max."
    echo
    echo "## Requests per second"
    echo
    extra=("liso-2 / best peer"); has base2 && extra+=("liso-2 / base"); has base1 && extra+=("liso-1 / base-1")
    header "${extra[@]}"
    for c in "${cells[@]}"; do
        IFS='|' read -r name _ <<<"$c"
        row="| $name"; declare -A med=()
        for s in "${servers[@]}"; do
            read -r m lo hi <<<"$(stats "$name" "$s" rps)"; med[$s]=$m
            row+=" | $m ($lo–$hi)"
        done
        best=$(awk -v n="${med[nginx]:--}" -v h="${med[lighttpd]:--}" 'BEGIN { if (n == "-") n = 0; if (h == "-") h = 0; print (n > h) ? n : h }')
        row+=" | $(ratio "${med[liso2]:--}" "$best")"
        has base2 && row+=" | $(ratio "${med[liso2]:--}" "${med[base2]}")"
        has base1 && row+=" | $(ratio "${med[liso1]:--}" "${med[base1]}")"
        echo "$row |"; unset med
    done
    echo
    echo "## Server CPU microseconds per request (lower is better)"
    echo
    extra=(); has base2 && extra+=("liso-2 / base"); has base1 && extra+=("liso-1 / base-1")
    header "${extra[@]}"
    for c in "${cells[@]}"; do
        IFS='|' read -r name _ <<<"$c"
        row="| $name"; declare -A med=()
        for s in "${servers[@]}"; do
            read -r m lo hi <<<"$(stats "$name" "$s" us)"; med[$s]=$m
            row+=" | $m ($lo–$hi)"
        done
        has base2 && row+=" | $(ratio "${med[liso2]:--}" "${med[base2]}")"
        has base1 && row+=" | $(ratio "${med[liso1]:--}" "${med[base1]}")"
        echo "$row |"; unset med
    done
    echo
    echo "## Requests per server CPU-second"
    echo
    extra=(); has liso1 && extra+=("2 loops / 1 loop")
    header "${extra[@]}"
    for c in "${cells[@]}"; do
        IFS='|' read -r name _ <<<"$c"
        row="| $name"; declare -A med=()
        for s in "${servers[@]}"; do
            read -r m _ _ <<<"$(stats "$name" "$s" eff)"; med[$s]=$m; row+=" | $m"
        done
        has liso1 && row+=" | $(ratio "${med[liso2]:--}" "${med[liso1]}")"
        echo "$row |"; unset med
    done
    echo
    echo "## Every run"
    echo
    echo "| workload | server | run | req/s | server CPU-s | non-2xx | socket errors | busy cores (all processes) |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8}' "$results"
} > "$out"
cat "$out"

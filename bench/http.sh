#!/usr/bin/env bash
# Static files over HTTP: liso serve vs nginx (1 worker) and lighttpd, same files, same wrk, same run.
# Every server on CPU 0, wrk on CPU 1 (-t1); each cell run RUNS times alternating liso nginx lighttpd; median and
# min–max per server, ratios liso/peer. Other processes' CPU is taken from /proc/stat around every run and a run where
# it exceeded 10% of a core is flagged (and left out of the median when the cell has clean runs).
# Writes bench/results/http-<jdk>.md.
# The gzip cells send Accept-Encoding: gzip for a 64 KiB HTML page: made on the fly (liso's default, kept per file
# version; nginx `gzip on`, which compresses every time; lighttpd mod_deflate with its cache directory), and with a
# precompressed page.html.gz beside it (liso's default; nginx `gzip_static on`; lighttpd again from its cache).
# Usage: bench/http.sh [seconds-per-run=10] [runs=2]
#   ONLY        run just the cells whose name matches this extended regex (e.g. ONLY=gzip); writes http-<jdk>-ONLY.md
#   JAVA_HOME   the JDK to run liso on (default /usr/lib/jvm/java-17-openjdk-amd64)
#   LISO_JVM    JVM flags for liso (default "-Xms64m -Xmx512m -XX:+UseSerialGC")
#   PORT_BASE   three loopback ports from here (default 18281; keep below 32768, the ephemeral range)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-10}"; runs="${2:-2}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
java="$JAVA_HOME/bin/java"
jvm_flags="${LISO_JVM:--Xms64m -Xmx512m -XX:+UseSerialGC}"
base="${PORT_BASE:-18281}"
port_liso=$base; port_nginx=$((base + 1)); port_lighttpd=$((base + 2))
work="$here/bench/work/http"; www="$work/www"
mkdir -p "$work" "$www" "$here/bench/results"

# --- tools -------------------------------------------------------------------------------------------------------
need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v lighttpd >/dev/null || [ -x /usr/sbin/lighttpd ] || need+=(lighttpd)
[ -e /usr/lib/lighttpd/mod_deflate.so ] || need+=(lighttpd-mod-deflate)
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

# --- document root -----------------------------------------------------------------------------------------------
[ -s "$www/1k.bin" ] || head -c 1024 /dev/urandom > "$www/1k.bin"
[ -s "$www/100k.bin" ] || head -c 102400 /dev/urandom > "$www/100k.bin"
[ -s "$www/10m.bin" ] || head -c 10485760 /dev/urandom > "$www/10m.bin"
# A page of text that compresses like real HTML (this project's own README, repeated to 64 KiB), and a copy with a
# sibling .gz for the gzip_static cell, made by gzip -9 as a build step would.
if [ ! -s "$www/static.html.gz" ]; then
    : > "$www/page.html"
    while [ "$(stat -c %s "$www/page.html")" -lt 65536 ]; do cat "$here/README.md" >> "$www/page.html"; done
    head -c 65536 "$www/page.html" > "$www/page.tmp" && mv "$www/page.tmp" "$www/page.html"
    cp "$www/page.html" "$www/static.html"
    gzip -9 -n -k -f "$www/static.html"
fi
chmod 755 "$work" "$www"; chmod 644 "$www"/*.bin "$www"/*.html "$www"/*.gz

# --- configurations (own files under bench/work; the system's default site is not touched) -----------------------
mkdir -p "$work/nginx-tmp"
cat > "$work/nginx.conf" <<EOF
daemon off;
user root;
worker_processes 1;
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
    gzip on;
    server { listen 127.0.0.1:$port_nginx backlog=4096; root $www; location = /static.html { gzip_static on; } }
}
EOF
cat > "$work/lighttpd.conf" <<EOF
server.document-root = "$www"
server.bind = "127.0.0.1"
server.port = $port_lighttpd
server.pid-file = "$work/lighttpd.pid"
server.errorlog = "$work/lighttpd-error.log"
server.max-fds = 16384
server.max-connections = 8192
server.max-keep-alive-requests = 10000000
server.max-keep-alive-idle = 65
server.listen-backlog = 4096
mimetype.assign = ( ".bin" => "application/octet-stream", ".html" => "text/html" )
server.modules += ( "mod_deflate" )
deflate.mimetypes = ( "text/html" )
deflate.allowed-encodings = ( "gzip" )
deflate.cache-dir = "$work/lighttpd-deflate"
EOF
mkdir -p "$work/lighttpd-deflate"

# --- processes ---------------------------------------------------------------------------------------------------
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
for p in $port_liso $port_nginx $port_lighttpd; do
    if ss -ltnH "sport = :$p" | grep -q .; then echo "port $p is taken; set PORT_BASE" >&2; exit 69; fi
done

taskset -c 0 nginx -c "$work/nginx.conf" -p "$work/" -e "$work/nginx-error.log" & pid[nginx]=$!
taskset -c 0 lighttpd -D -f "$work/lighttpd.conf" & pid[lighttpd]=$!
# shellcheck disable=SC2086
taskset -c 0 "$java" $jvm_flags -jar "$here/target/liso.jar" serve --root "$www" --no-https --loops 1 \
    --http "127.0.0.1:$port_liso" --max-connections 8192 --max-requests 10000000 -q >"$work/liso.out" 2>&1 &
pid[liso]=$!
port_of() { case $1 in liso) echo $port_liso ;; nginx) echo $port_nginx ;; lighttpd) echo $port_lighttpd ;; esac; }
for s in liso nginx lighttpd; do wait_port "$(port_of $s)"; done

# Resident memory of a server and its children (nginx's worker is a child of the master).
rss_kib() {
    local total=0 p
    for p in $1 $(pgrep -P "$1" || true); do
        total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
declare -A rss_idle rss_after
for s in liso nginx lighttpd; do rss_idle[$s]=$(rss_kib "${pid[$s]}"); done

declare -A gz_bytes
# --- correctness: every file byte for byte from every server, with and without Connection: close ----------------
for s in liso nginx lighttpd; do
    for f in 1k.bin 100k.bin 10m.bin; do
        want=$(sha256sum < "$www/$f")
        got=$(curl -sf "http://127.0.0.1:$(port_of $s)/$f" | sha256sum)
        got_close=$(curl -sf -H 'Connection: close' "http://127.0.0.1:$(port_of $s)/$f" | sha256sum)
        if [ "$want" != "$got" ] || [ "$want" != "$got_close" ]; then
            echo "$s served $f wrong" >&2; exit 1
        fi
    done
    for f in page.html static.html; do
        want=$(sha256sum < "$www/$f")
        head=$(curl -sf -H 'Accept-Encoding: gzip' -D - -o "$work/got.gz" "http://127.0.0.1:$(port_of $s)/$f")
        got=$(gzip -dc < "$work/got.gz" | sha256sum)
        if [ "$want" != "$got" ] || ! grep -qi '^Content-Encoding: gzip' <<<"$head"; then
            echo "$s served $f gzipped wrong" >&2; exit 1
        fi
        gz_bytes[$s-$f]=$(stat -c %s "$work/got.gz")
    done
done

# --- one wrk run, with the CPU other processes used meanwhile ----------------------------------------------------
ticks() { # busy ticks (user+nice+system) of all CPUs; irq/softirq are left out as they cannot be attributed
    awk '/^cpu / {print $2 + $3 + $4}' /proc/stat
}
proc_ticks() { # utime+stime of a process and its children's threads
    local total=0 p
    for p in $1 $(pgrep -P "$1" || true); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
child_ticks() { # CPU of this shell's finished children (wrk), from the times builtin, in ticks
    times > "$work/times"   # no fork: a subshell would not see this shell's children
    tail -1 "$work/times" | awk -v hz="$(getconf CLK_TCK)" '{
        n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60 + a[2] } print int(n * hz + 0.5) }'
}
# run SERVER PATH CONNS [extra wrk args] → prints "req/s bytes/s non2xx socket-errors others%"
run() {
    local s=$1 path=$2 conns=$3; shift 3
    local out t0 p0 c0 t1 p1 c1 d0
    d0=$(date +%s.%N)
    child_ticks > "$work/c0"; c0=$(cat "$work/c0")
    t0=$(ticks); p0=$(proc_ticks "${pid[$s]}")
    out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" "$@" "http://127.0.0.1:$(port_of "$s")$path" 2>&1)
    t1=$(ticks); p1=$(proc_ticks "${pid[$s]}")
    child_ticks > "$work/c1"; c1=$(cat "$work/c1")
    echo "$out" >> "$work/wrk.log"
    awk -v out="$out" -v others=$(( (t1 - t0) - (p1 - p0) - (c1 - c0) )) -v hz="$(getconf CLK_TCK)" \
        -v secs="$(awk -v a="$d0" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')" 'BEGIN {
        n = split(out, line, "\n"); rps = 0; bps = 0; non2xx = 0; errs = "connect0,read0,write0,timeout0"
        for (i = 1; i <= n; i++) {
            if (line[i] ~ /^Requests\/sec:/) { split(line[i], f, " "); rps = f[2] }
            if (line[i] ~ /^Transfer\/sec:/) {
                split(line[i], f, " "); v = f[2]; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+/, "", v)
                m = 1; if (u == "KB") m = 1024; if (u == "MB") m = 1024^2; if (u == "GB") m = 1024^3
                bps = v * m
            }
            if (line[i] ~ /Non-2xx or 3xx responses:/) { split(line[i], f, ":"); non2xx = f[2] + 0 }
            if (line[i] ~ /Socket errors:/) { e = line[i]; sub(/.*Socket errors: */, "", e); gsub(/ /, "", e); errs = e }
        }
        pct = others / hz / secs * 100; if (pct < 0) pct = 0
        printf "%.0f %.0f %d %s %.0f\n", rps, bps, non2xx, errs, pct
    }'
}

# --- warm-up: the JVM gets ≥ 8 s of the first cell's load plus some of each other; peers get a short pass too ------
echo "warming up (liso 8 s + 3 s per other cell; peers 2 s each)…" >&2
taskset -c 1 wrk -t1 -c64 -d8s "http://127.0.0.1:$port_liso/1k.bin" >/dev/null
taskset -c 1 wrk -t1 -c1000 -d3s "http://127.0.0.1:$port_liso/1k.bin" >/dev/null
taskset -c 1 wrk -t1 -c64 -d3s "http://127.0.0.1:$port_liso/100k.bin" >/dev/null
taskset -c 1 wrk -t1 -c4 -d3s "http://127.0.0.1:$port_liso/10m.bin" >/dev/null
taskset -c 1 wrk -t1 -c64 -d3s -H 'Connection: close' "http://127.0.0.1:$port_liso/1k.bin" >/dev/null
taskset -c 1 wrk -t1 -c64 -d3s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port_liso/page.html" >/dev/null
for s in nginx lighttpd; do taskset -c 1 wrk -t1 -c64 -d2s "http://127.0.0.1:$(port_of $s)/1k.bin" >/dev/null; done

cells=("1 KiB keep-alive, -c 64|/1k.bin|64|req"
       "1 KiB keep-alive, -c 1000|/1k.bin|1000|req"
       "100 KiB keep-alive, -c 64|/100k.bin|64|req"
       "10 MiB, -c 4|/10m.bin|4|gbs"
       "connection per request, 1 KiB, -c 64|/1k.bin|64|req|close"
       "gzip on the fly, 64 KiB HTML, -c 64|/page.html|64|req|gzip"
       "gzip precompressed (gzip_static), 64 KiB HTML, -c 64|/static.html|64|req|gzip")
if [ -n "${ONLY:-}" ]; then
    kept=(); for c in "${cells[@]}"; do grep -Eq -- "$ONLY" <<<"${c%%|*}" && kept+=("$c"); done; cells=("${kept[@]}")
fi
results="$work/results.tsv"; : > "$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for c in "${cells[@]}"; do
    IFS='|' read -r name path conns unit close <<<"$c"
    extra=()
    case "${close:-}" in
        close) extra=(-H 'Connection: close') ;;
        gzip) extra=(-H 'Accept-Encoding: gzip') ;;
    esac
    for i in $(seq "$runs"); do
        for s in liso nginx lighttpd; do
            r=$(run "$s" "$path" "$conns" "${extra[@]}")
            printf '%s\t%s\t%s\t%s\n' "$name" "$s" "$i" "$(echo "$r" | tr ' ' '\t')" >> "$results"
            echo "$name | $s | run $i | req/s bytes/s non2xx sock-errors others% = $r" >&2
        done
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
for s in liso nginx lighttpd; do rss_after[$s]=$(rss_kib "${pid[$s]}"); done

# --- report ------------------------------------------------------------------------------------------------------
jdk=$("$java" -version 2>&1 | head -1 | tr -d '"' | awk '{print $1"-"$3}')
out="$here/bench/results/http-$jdk${ONLY:+-$(tr -c 'a-zA-Z0-9\n' - <<<"$ONLY")}.md"
# stats CELL SERVER UNIT → "median min max flagged-runs non2xx errors"
stats() {
    awk -F'\t' -v cell="$1" -v srv="$2" -v unit="$3" '
        $1 == cell && $2 == srv {
            v = (unit == "gbs") ? $4 * 10485760 / 1e9 : $4
            all[++n] = v; if ($8 <= 10) clean[++m] = v; else flagged++
            non2xx += $6; if ($7 != "connect0,read0,write0,timeout0") errs = errs " " $7
        }
        function med(a, k,   i, j, t) {
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
        }
        END {
            mn = all[1]; mx = all[1]; for (i = 1; i <= n; i++) { if (all[i] < mn) mn = all[i]; if (all[i] > mx) mx = all[i] }
            md = (m > 0) ? med(clean, m) : med(all, n)
            printf "%s %s %s %d %d %s\n", md, mn, mx, flagged + 0, non2xx, (errs == "" ? "none" : errs)
        }' "$results"
}
fmt() { if [ "$2" = gbs ]; then printf '%.2f GB/s' "$1"; else printf '%.0f' "$1"; fi; }
fmtr() { if [ "$2" = gbs ]; then printf '%.2f' "$1"; else printf '%.0f' "$1"; fi; }
{
    echo "# HTTP static files: liso vs nginx vs lighttpd — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Command: \`JAVA_HOME=$JAVA_HOME bench/http.sh $secs $runs\`"
    echo
    echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, kernel $(uname -r)."
    echo "- Load average before / after: $load_before / $load_after (other builds were running: see the 'others' column)."
    echo "- liso: $("$java" -version 2>&1 | head -1), \`java $jvm_flags -jar target/liso.jar serve --root www --no-https --loops 1 --http 127.0.0.1:$port_liso --max-connections 8192 --max-requests 10000000 -q\` (commit $(git -C "$here" rev-parse --short HEAD))."
    echo "- nginx: $(nginx -v 2>&1 | sed 's/.*version: //'), 1 worker, access_log off, sendfile on, tcp_nopush on, keepalive_requests 10000000."
    echo "- lighttpd: $(lighttpd -v 2>&1 | head -1 | awk '{print $1}'), max-keep-alive-requests 10000000, default network backend (sendfile)."
    echo "- wrk: $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}'), \`taskset -c 1 wrk -t1 -cN -d${secs}s\`; servers on CPU 0 (\`taskset -c 0\`)."
    echo "- Each cell: $runs runs per server, alternating liso, nginx, lighttpd. Median (of runs where other processes took ≤ 10% of a core, when there are any) and min–max."
    echo "- Files: 1 KiB, 100 KiB, 10 MiB of random bytes; each checked byte for byte (sha256) from each server before the runs."
    echo "- GB/s = requests/s × 10 485 760 bytes / 10⁹ (decimal)."
    echo "- gzip cells (\`-H 'Accept-Encoding: gzip'\`): 64 KiB of HTML, each response checked to be gzip and to decode to the page. liso: its defaults (on-the-fly gzip at level 6, made once per file version and kept; static.html.gz sent as it is). nginx: \`gzip on\` (level 1, compressed per request), \`gzip_static on\` for static.html. lighttpd: mod_deflate with deflate.cache-dir. Compressed bytes of page.html: liso ${gz_bytes[liso-page.html]}, nginx ${gz_bytes[nginx-page.html]}, lighttpd ${gz_bytes[lighttpd-page.html]}; of static.html: liso ${gz_bytes[liso-static.html]}, nginx ${gz_bytes[nginx-static.html]}, lighttpd ${gz_bytes[lighttpd-static.html]}."
    echo
    echo "| workload | liso | nginx | lighttpd | liso/nginx | liso/lighttpd | liso/better peer |"
    echo "|---|---|---|---|---|---|---|"
    notes=()
    for c in "${cells[@]}"; do
        IFS='|' read -r name path conns unit close <<<"$c"
        read -r lm lmin lmax lf ln le <<<"$(stats "$name" liso "$unit")"
        read -r nm nmin nmax nf nn ne <<<"$(stats "$name" nginx "$unit")"
        read -r hm hmin hmax hf hn he <<<"$(stats "$name" lighttpd "$unit")"
        best=$(awk -v a="$nm" -v b="$hm" 'BEGIN {print (a > b) ? a : b}')
        cellfmt() { echo "$(fmt "$1" "$unit") ($(fmtr "$2" "$unit")–$(fmtr "$3" "$unit"))$([ "$4" -gt 0 ] && echo " ⚑$4")"; }
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" \
            "$(cellfmt "$lm" "$lmin" "$lmax" "$lf")" "$(cellfmt "$nm" "$nmin" "$nmax" "$nf")" \
            "$(cellfmt "$hm" "$hmin" "$hmax" "$hf")" \
            "$(awk -v a="$lm" -v b="$nm" 'BEGIN {printf "%.2f", a/b}')" \
            "$(awk -v a="$lm" -v b="$hm" 'BEGIN {printf "%.2f", a/b}')" \
            "$(awk -v a="$lm" -v b="$best" 'BEGIN {printf "%.2f", a/b}')"
        for s in liso nginx lighttpd; do
            read -r _ _ _ _ n e <<<"$(stats "$name" $s "$unit")"
            if [ "$n" -ne 0 ] || [ "$e" != none ]; then notes+=("$name, $s: non-2xx $n, socket errors $e"); fi
        done
    done
    echo
    echo "Figures are requests/s unless marked; ⚑N = N runs where other processes used more than 10% of a core."
    echo "The connection-per-request cell is bounded by the single wrk thread on CPU 1 (see ../shared/benchmarking.md)."
    echo
    echo "Correctness: wrk non-2xx responses and socket errors over all runs:"
    if [ ${#notes[@]} -eq 0 ]; then echo "none (0 non-2xx, 0 socket errors everywhere)."; else printf -- '- %s\n' "${notes[@]}"; fi
    echo
    echo "| RSS (KiB) | liso | nginx (master+worker) | lighttpd |"
    echo "|---|---|---|---|"
    echo "| idle, after start | ${rss_idle[liso]} | ${rss_idle[nginx]} | ${rss_idle[lighttpd]} |"
    echo "| after all runs | ${rss_after[liso]} | ${rss_after[nginx]} | ${rss_after[lighttpd]} |"
    echo
    echo "## Every run"
    echo
    echo "| workload | server | run | req/s | bytes/s | non-2xx | socket errors | others (% of a core) |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8}' "$results"
} > "$out"
cat "$out"

#!/usr/bin/env bash
# Large static files: liso (JDK 17 and JDK 22+, default flags) vs lighttpd and nginx (1 worker), same files, same
# wrk, same run. Servers on CPU 0, wrk on CPU 1 (-t1). Cells: 10 MiB -c 4, 10 MiB -c 100, 1 GiB -c 4. Each cell runs
# RUNS times alternating the servers; per server: median GB/s (min-max), and the CPU-seconds per GB moved of the
# server (utime+stime from /proc) and of wrk (from /usr/bin/time): those stay comparable on a loaded machine, where
# GB/s does not. Also "liso-old": JDK 22+ with --send-quantum 1G --notsent-lowat 0 (the send path before issue 18),
# and "liso17-before": JDK 17 with --notsent-lowat 0 (Java 17 before the JDK-internal setsockopt path).
# Writes bench/results/large-files-run.md (what it means: bench/results/large-files.md).
# Usage: bench/large-files.sh [seconds-per-run=5] [runs=3]
#   JDK17, JDK22   the JDKs (default /usr/lib/jvm/java-17-openjdk-amd64 and the newest 22+ under /usr/lib/jvm)
#   PORT_BASE      loopback ports from here, one per server (default 18381; below 32768)
#   LOWATS         extra liso17 servers with these --notsent-lowat values, e.g. "64k 1m" (default none)
#   BASE_JAR       also "liso17-base": that jar (e.g. built from main) on JDK 17 with default flags, for before/after
#   SERVERS        which servers, by name (default all: liso17 liso17-before liso22 liso-old lighttpd nginx, then
#                  liso17-base and the LOWATS ones)
#   OUT            the results file (default bench/results/large-files-run.md)
#   CELLS          which cells, by number: 1 = 10 MiB -c 4, 2 = 10 MiB -c 100, 3 = 1 GiB -c 4 (default "1 2 3")
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-5}"; runs="${2:-3}"
jdk17="${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}"
jdk22="${JDK22:-$(for j in /usr/lib/jvm/*/; do v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$j/release" 2>/dev/null)
    [ "${v:-0}" -ge 22 ] && echo "$v $j"; done | sort -n | tail -1 | cut -d' ' -f2)}"
[ -x "$jdk22/bin/java" ] || { echo "no JDK 22+ found; set JDK22" >&2; exit 69; }
base="${PORT_BASE:-18381}"
work="$here/bench/work/large"; www="$work/www"
mkdir -p "$work" "$www" "$here/bench/results"
export PATH="$PATH:/usr/sbin"
for t in lighttpd nginx wrk; do command -v $t >/dev/null || { echo "needs $t (bench/http.sh installs it)" >&2; exit 69; }; done
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package
[ -s "$www/10m.bin" ] || head -c 10485760 /dev/urandom > "$www/10m.bin"
[ -s "$www/1g.bin" ] || head -c 1073741824 /dev/urandom > "$www/1g.bin"
chmod 755 "$work" "$www"; chmod 644 "$www"/*.bin
cat "$www"/*.bin > /dev/null   # page cache

servers=(liso17 liso17-before liso22 liso-old lighttpd nginx)
[ -z "${BASE_JAR:-}" ] || { [ -f "$BASE_JAR" ] || { echo "BASE_JAR $BASE_JAR: no such file" >&2; exit 66; }; servers+=(liso17-base); }
for v in ${LOWATS:-}; do servers+=("liso17-lowat-$v"); done
declare -A port pid
i=0; for s in "${servers[@]}"; do port[$s]=$((base + i)); i=$((i + 1)); done
[ -z "${SERVERS:-}" ] || read -r -a servers <<<"$SERVERS"
cat > "$work/lighttpd.conf" <<CONF
server.document-root = "$www"
server.bind = "127.0.0.1"
server.port = ${port[lighttpd]}
server.pid-file = "$work/lighttpd.pid"
server.errorlog = "$work/lighttpd-error.log"
server.max-fds = 16384
server.max-connections = 8192
server.max-keep-alive-requests = 10000000
mimetype.assign = ( ".bin" => "application/octet-stream" )
CONF
mkdir -p "$work/nginx-tmp"
cat > "$work/nginx.conf" <<CONF
daemon off; user root; worker_processes 1; pid $work/nginx.pid; error_log $work/nginx-error.log warn;
events { worker_connections 8192; use epoll; }
http { access_log off; sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 10000000;
  client_body_temp_path $work/nginx-tmp/b; proxy_temp_path $work/nginx-tmp/p; fastcgi_temp_path $work/nginx-tmp/f;
  uwsgi_temp_path $work/nginx-tmp/u; scgi_temp_path $work/nginx-tmp/s;
  server { listen 127.0.0.1:${port[nginx]} backlog=4096; root $www; } }
CONF
cleanup() { for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pid[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
liso() { # NAME JDK JAR extra-flags...
    local n=$1 j=$2 jar=$3; shift 3
    taskset -c 0 "$j/bin/java" -Xms64m -Xmx512m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \
        -jar "$jar" serve --root "$www" --no-https --http "127.0.0.1:${port[$n]}" \
        --max-connections 8192 --max-requests 10000000 -q "$@" >>"$work/liso.out" 2>&1 &
    pid[$n]=$!
}
jar="$here/target/liso.jar"
for s in "${servers[@]}"; do
    case $s in
        liso17) liso "$s" "$jdk17" "$jar" ;;
        liso22) liso "$s" "$jdk22" "$jar" ;;
        liso-old) liso "$s" "$jdk22" "$jar" --send-quantum 1G --notsent-lowat 0 ;;
        liso17-before) liso "$s" "$jdk17" "$jar" --notsent-lowat 0 ;;
        liso17-base) liso "$s" "$jdk17" "$BASE_JAR" ;;
        liso17-lowat-*) liso "$s" "$jdk17" "$jar" --notsent-lowat "${s#liso17-lowat-}" ;;
        lighttpd) taskset -c 0 lighttpd -D -f "$work/lighttpd.conf" & pid[lighttpd]=$! ;;
        nginx) taskset -c 0 nginx -c "$work/nginx.conf" -p "$work/" -e "$work/nginx-error.log" & pid[nginx]=$! ;;
        *) echo "unknown server $s" >&2; exit 64 ;;
    esac
done
for s in "${servers[@]}"; do
    for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:${port[$s]}/10m.bin" && break; sleep 0.1; done
    [ "$(curl -sf "http://127.0.0.1:${port[$s]}/10m.bin" | sha256sum)" = "$(sha256sum < "$www/10m.bin")" ] \
        || { echo "$s served 10m.bin wrong" >&2; exit 1; }
done
for s in "${servers[@]}"; do [[ $s == liso* ]] || continue; taskset -c 1 wrk -t1 -c4 -d8s "http://127.0.0.1:${port[$s]}/10m.bin" >/dev/null; done

hz=$(getconf CLK_TCK)
cpu() { local t=0 p; for p in $1 $(pgrep -P "$1" || true); do t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }
results="$work/results.tsv"; : > "$results"
all_cells=("10 MiB, -c 4|/10m.bin|4" "10 MiB, -c 100|/10m.bin|100" "1 GiB, -c 4|/1g.bin|4")
cells=(); for n in ${CELLS:-1 2 3}; do cells+=("${all_cells[$((n - 1))]}"); done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for c in "${cells[@]}"; do
    IFS='|' read -r name path conns <<<"$c"
    for r in $(seq "$runs"); do
        for s in "${servers[@]}"; do
            s0=$(cpu "${pid[$s]}")
            out=$( { /usr/bin/time -f "TIME %U %S" taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --timeout 60s \
                "http://127.0.0.1:${port[$s]}$path"; } 2>&1)
            s1=$(cpu "${pid[$s]}")
            echo "$out" | awk -v cell="$name" -v srv="$s" -v run="$r" -v sc=$((s1 - s0)) -v hz="$hz" -v secs="$secs" '
                /^Transfer\/sec/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+/, "", v)
                    m = 1; if (u == "KB") m = 1024; if (u == "MB") m = 1048576; if (u == "GB") m = 1073741824
                    bps = v * m }
                /^TIME/ { wc = $2 + $3 }
                / Socket errors/ { err = $0 }
                END { gb = bps * secs / 1e9; printf "%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%s\n", cell, srv, run, bps / 1e9,
                      sc / hz / gb, wc / gb, (err == "" ? "none" : err) }' >> "$results"
            tail -1 "$results" >&2
        done
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

med() { sort -g | awk '{a[NR] = $1} END {printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
col() { awk -F'\t' -v c="$1" -v s="$2" -v k="$3" '$1 == c && $2 == s {print $k}' "$results"; }
out="${OUT:-$here/bench/results/large-files-run.md}"
{
    echo "# Large files: liso vs lighttpd and nginx — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Command: \`bench/large-files.sh $secs $runs\` (commit $(git -C "$here" rev-parse --short HEAD))."
    echo
    echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r), congestion control $(cat /proc/sys/net/ipv4/tcp_congestion_control), tcp_wmem $(cat /proc/sys/net/ipv4/tcp_wmem | tr '\t' ' ')."
    echo "- Load average before / after: $load_before / $load_after — the machine is shared: GB/s moves with the load, CPU-s/GB much less."
    echo "- liso17: $("$jdk17/bin/java" -version 2>&1 | head -1); liso22: $("$jdk22/bin/java" -version 2>&1 | head -1); both default flags (\`--send-quantum 256k --notsent-lowat 256k\`; on 17 the low-water mark goes through the JDK's own setsockopt, opened by the jar's manifest). liso17-before: the Java 17 JVM with \`--notsent-lowat 0\`, i.e. liso17 before the low-water mark reached Java 17. liso-old: the Java 22+ JVM with \`--send-quantum 1G --notsent-lowat 0\`, i.e. the send path before this change.${BASE_JAR:+ liso17-base: \`$BASE_JAR\` on JDK 17, default flags.}"
    echo "- lighttpd $(lighttpd -v 2>&1 | head -1 | awk '{print $1}') (sendfile backend), nginx $(nginx -v 2>&1 | sed 's/.*version: //') (1 worker, sendfile on, tcp_nopush on)."
    echo "- \`taskset -c 1 wrk -t1 -cN -d${secs}s\`, servers on CPU 0; $runs runs per server per cell, alternating. srv/wrk CPU = CPU-seconds per GB moved."
    echo
    echo "| cell | server | GB/s median (min–max) | srv CPU-s/GB | wrk CPU-s/GB | / lighttpd | / best peer |"
    echo "|---|---|---|---|---|---|---|"
    for c in "${cells[@]}"; do
        IFS='|' read -r name _ _ <<<"$c"
        lh=$(col "$name" lighttpd 4 | med); ng=$(col "$name" nginx 4 | med)
        best=$(awk -v a="$lh" -v b="$ng" 'BEGIN {print (a > b) ? a : b}')
        for s in "${servers[@]}"; do
            m=$(col "$name" "$s" 4 | med)
            printf '| %s | %s | %s (%s–%s) | %s | %s | %s | %s |\n' "$name" "$s" "$m" \
                "$(col "$name" "$s" 4 | sort -g | head -1)" "$(col "$name" "$s" 4 | sort -g | tail -1)" \
                "$(col "$name" "$s" 5 | med)" "$(col "$name" "$s" 6 | med)" \
                "$(awk -v a="$m" -v b="$lh" 'BEGIN {printf "%.2f", a / b}')" \
                "$(awk -v a="$m" -v b="$best" 'BEGIN {printf "%.2f", a / b}')"
        done
    done
    echo
    echo "Socket errors: $(awk -F'\t' '$7 != "none" {print $1 ", " $2 ": " $7}' "$results" | sort -u | paste -sd';' || true)"
    echo
    echo "## Every run"
    echo
    echo "| cell | server | run | GB/s | srv CPU-s/GB | wrk CPU-s/GB |"
    echo "|---|---|---|---|---|---|"
    awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}' "$results"
} > "$out"
cat "$out"

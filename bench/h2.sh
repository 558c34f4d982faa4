#!/usr/bin/env bash
# HTTP/2: liso serve vs nginx (1 worker, http2 on) and lighttpd (its built-in HTTP/2), same files, same certificate,
# same h2load, same run. Every server on CPU 0, h2load on CPU 1 (-t1); cells: TLS (ALPN h2) and cleartext (prior
# knowledge) x 1 KiB and 100 KiB x (-c 64 -m 10) and (-c 1 -m 100); each cell RUNS times alternating the servers;
# medians and ratios liso/peer. Writes bench/results/h2-<jdk>.md.
# Usage: bench/h2.sh [seconds-per-run=5] [runs=2]
#   JAVA_HOME   the JDK to run liso on (default /usr/lib/jvm/java-17-openjdk-amd64)
#   LISO_JVM    JVM flags for liso (default "-Xms64m -Xmx512m -XX:+UseSerialGC")
#   PORT_BASE   six loopback ports from here (default 18581)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-5}"; runs="${2:-2}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
java="$JAVA_HOME/bin/java"
jvm_flags="${LISO_JVM:--Xms64m -Xmx512m -XX:+UseSerialGC}"
base="${PORT_BASE:-18581}"
work="$here/bench/work/h2"; www="$work/www"
mkdir -p "$work" "$www" "$here/bench/results"

need=()
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ -x /usr/sbin/lighttpd ] || need+=(lighttpd)
[ -e /usr/lib/lighttpd/mod_openssl.so ] || need+=(lighttpd-mod-openssl)
command -v h2load >/dev/null || need+=(nghttp2-client)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

[ -s "$www/1k.bin" ] || head -c 1024 /dev/urandom > "$www/1k.bin"
[ -s "$www/100k.bin" ] || head -c 102400 /dev/urandom > "$www/100k.bin"
chmod 755 "$work" "$www"; chmod 644 "$www"/*.bin
# One RSA 2048 pair for all three, as bench/tls.sh does.
[ -s "$work/key.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
    -days 30 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
cat "$work/key.pem" "$work/cert.pem" > "$work/both.pem"

# ports: liso tls, liso h2c, nginx tls, nginx h2c, lighttpd tls, lighttpd h2c
declare -A tls_port=([liso]=$base [nginx]=$((base + 2)) [lighttpd]=$((base + 4)))
declare -A h2c_port=([liso]=$((base + 1)) [nginx]=$((base + 3)) [lighttpd]=$((base + 5)))

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
    http2_max_concurrent_streams 128;
    default_type application/octet-stream;
    ssl_protocols TLSv1.3 TLSv1.2;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    client_body_temp_path $work/nginx-tmp/body;
    proxy_temp_path $work/nginx-tmp/proxy;
    fastcgi_temp_path $work/nginx-tmp/fastcgi;
    uwsgi_temp_path $work/nginx-tmp/uwsgi;
    scgi_temp_path $work/nginx-tmp/scgi;
    server { listen 127.0.0.1:${tls_port[nginx]} ssl http2 backlog=4096; root $www; }
    server { listen 127.0.0.1:${h2c_port[nginx]} http2 backlog=4096; root $www; }
}
EOF
cat > "$work/lighttpd.conf" <<EOF
server.modules += ( "mod_openssl" )
server.document-root = "$www"
server.bind = "127.0.0.1"
server.port = ${h2c_port[lighttpd]}
server.pid-file = "$work/lighttpd.pid"
server.errorlog = "$work/lighttpd-error.log"
server.max-fds = 16384
server.max-connections = 8192
server.max-keep-alive-requests = 10000000
server.feature-flags += ( "server.h2proto" => "enable", "server.h2c" => "enable" )
mimetype.assign = ( ".bin" => "application/octet-stream" )
\$SERVER["socket"] == "127.0.0.1:${tls_port[lighttpd]}" {
    ssl.engine = "enable"
    ssl.pemfile = "$work/both.pem"
}
EOF

declare -A pid
cleanup() {
    for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pid[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
for s in liso nginx lighttpd; do
    for p in ${tls_port[$s]} ${h2c_port[$s]}; do
        if ss -ltnH "sport = :$p" | grep -q .; then echo "port $p is taken; set PORT_BASE" >&2; exit 69; fi
    done
done

taskset -c 0 nginx -c "$work/nginx.conf" -p "$work/" -e "$work/nginx-error.log" & pid[nginx]=$!
taskset -c 0 lighttpd -D -f "$work/lighttpd.conf" & pid[lighttpd]=$!
# shellcheck disable=SC2086
taskset -c 0 "$java" $jvm_flags -jar "$here/target/liso.jar" serve --root "$www" --h2c \
    --http "127.0.0.1:${h2c_port[liso]}" --https "127.0.0.1:${tls_port[liso]}" --key "$work/key.pem" \
    --cert "$work/cert.pem" --max-connections 8192 --max-requests 10000000 -q >"$work/liso.out" 2>&1 &
pid[liso]=$!

url() { # server scheme size
    if [ "$2" = tls ]; then echo "https://127.0.0.1:${tls_port[$1]}/$3"; else echo "http://127.0.0.1:${h2c_port[$1]}/$3"; fi
}
for s in liso nginx lighttpd; do
    for _ in $(seq 200); do
        curl -sk --http2-prior-knowledge -o /dev/null "$(url $s h2c 1k.bin)" \
            && curl -sk --http2 -o /dev/null "$(url $s tls 1k.bin)" && break
        sleep 0.1
    done
    for scheme in tls h2c; do
        for f in 1k.bin 100k.bin; do
            opt=--http2; [ $scheme = h2c ] && opt=--http2-prior-knowledge
            v=$(curl -sk $opt -o "$work/got" -w '%{http_version}' "$(url $s $scheme $f)")
            if [ "$v" != 2 ] || ! cmp -s "$work/got" "$www/$f"; then
                echo "$s did not serve $f over HTTP/2 ($scheme): version $v" >&2; exit 1
            fi
        done
    done
done

one_run() { # server scheme file clients streams -> req/s
    # Bounded: a server that stalls gives 0 for the run instead of hanging the benchmark.
    timeout $((secs * 4 + 30)) taskset -c 1 h2load -t1 -c "$4" -m "$5" -D "$secs" --warm-up-time=1 \
        "$(url "$1" "$2" "$3")" 2>&1 | awk '/^finished in/ {gsub(",", "", $4); print $4}' || true
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print 0; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

jdk=$("$java" -version 2>&1 | head -1 | sed -E 's/.*version "([^"]+)".*/\1/')
out="$here/bench/results/h2-openjdk-$jdk.md"
{
    echo "# HTTP/2: liso vs nginx and lighttpd ($(date -u +%Y-%m-%d), JDK $jdk)"
    echo
    echo "\`bench/h2.sh $secs $runs\`: servers on CPU 0, h2load -t1 on CPU 1, $runs runs of ${secs}s per cell, medians (req/s)."
    echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'), lighttpd $(lighttpd -v | sed -E 's/lighttpd\/([^ ]+).*/\1/'), $(h2load --version | head -1)."
    echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "| cell | liso | nginx | lighttpd | liso/nginx | liso/lighttpd | liso/best |"
    echo "|---|---|---|---|---|---|---|"
} > "$out"
for scheme in tls h2c; do
    for f in 1k.bin 100k.bin; do
        for load in "64 10" "1 100"; do
            set -- $load
            declare -A res=()
            for s in liso nginx lighttpd; do res[$s]=""; done
            for _ in $(seq "$runs"); do
                for s in liso nginx lighttpd; do res[$s]+="$(one_run $s $scheme $f "$1" "$2")"$'\n'; done
            done
            declare -A med=()
            for s in liso nginx lighttpd; do med[$s]=$(printf '%s' "${res[$s]}" | grep . | median); done
            best=$(printf '%s\n%s\n' "${med[nginx]}" "${med[lighttpd]}" | sort -n | tail -1)
            ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
            printf '| %s %s -c %s -m %s | %.0f | %.0f | %.0f | %s | %s | %s |\n' "$scheme" "${f%.bin}" "$1" "$2" \
                "${med[liso]}" "${med[nginx]}" "${med[lighttpd]}" "$(ratio "${med[liso]}" "${med[nginx]}")" \
                "$(ratio "${med[liso]}" "${med[lighttpd]}")" "$(ratio "${med[liso]}" "$best")" | tee -a "$out"
        done
    done
done
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)." >> "$out"
echo "wrote $out"

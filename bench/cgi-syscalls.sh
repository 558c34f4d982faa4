#!/usr/bin/env bash
# Syscalls per CGI request of one Liso (children included): the trivial sh script of bench/cgi.sh under
# wrk -t1 -c16, `strace -f -c -p` for 3 s after a warm-up, counts divided by the requests wrk made meanwhile.
# Counts do not depend on the machine's load, unlike req/s.
#   bench/cgi-syscalls.sh [JAR=target/liso.jar] [JAVA=java] [PORT=18390]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${1:-$here/target/liso.jar}"; java="${2:-java}"; port="${3:-18390}"
tmp="$(mktemp -d /tmp/liso-bench-cgi-sys.XXXXXX)"
pid=""
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
mkdir -p "$tmp/www"
printf '#!/bin/sh\nprintf '"'"'Content-Type: text/plain\\r\\n\\r\\nhello from a trivial CGI\\n'"'"'\n' > "$tmp/www/cgi"
chmod +x "$tmp/www/cgi"
taskset -c 0 "$java" -Xms32m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k \
    --enable-native-access=ALL-UNNAMED -jar "$jar" serve --root "$tmp/www" --no-https --http "127.0.0.1:$port" \
    --cgi "$tmp/www/cgi" -q >"$tmp/liso.out" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/cgi" && break; sleep 0.1; done
taskset -c 1 wrk -t1 -c16 -d6s "http://127.0.0.1:$port/cgi" >/dev/null
timeout -s INT 5 strace -f -c -o "$tmp/strace" -p "$pid" 2>/dev/null &
tracer=$!
sleep 0.5
taskset -c 1 wrk -t1 -c16 -d3s "http://127.0.0.1:$port/cgi" >"$tmp/wrk"
wait "$tracer" || true
reqs=$(awk '/requests in/ {print $1}' "$tmp/wrk")
echo "# $("$java" -version 2>&1 | head -1); $jar; $reqs requests traced"
awk -v r="$reqs" 'NR > 2 && $NF != "total" && $4 + 0 > 0 { printf "%-16s %8.2f\n", $NF, $4 / r }' "$tmp/strace" \
    | sort -k2 -rn

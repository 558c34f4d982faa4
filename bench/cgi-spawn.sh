#!/usr/bin/env bash
# CGI by spawn path, beside lighttpd's mod_cgi in the same run: the trivial sh script of bench/cgi.sh served by
#   lighttpd     mod_cgi
#   liso17       Java 17 (the JDK's spawn, VFORK, pump threads)
#   liso25-jdk   Java 22+ with the JDK's spawn (-Djdk.lang.Process.launchMechanism=POSIX_SPAWN, its default: jspawnhelper)
#   liso25-own   Java 22+ with Liso's own posix_spawn through the FFM API (the default there)
# then bench/cgi-cost.sh over all of them: req/s, context switches, own and children's CPU per request.
# Servers (and their children) on CPU 0, wrk on CPU 1. Usage: bench/cgi-spawn.sh [secs=6] [rounds=3]
#   JDK17, JDK22   the JDKs (default /usr/lib/jvm/java-17-openjdk-amd64 and the newest 22+ under /usr/lib/jvm)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-6}"; rounds="${2:-3}"
jdk17="${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}"
jdk22="${JDK22:-$(for j in /usr/lib/jvm/*/; do v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$j/release" 2>/dev/null)
    [ "${v:-0}" -ge 22 ] && echo "$v $j"; done | sort -n | tail -1 | cut -d' ' -f2)}"
opts=(-Xms32m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k --enable-native-access=ALL-UNNAMED)
export PATH="$PATH:/usr/sbin"
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package
tmp="$(mktemp -d /tmp/liso-bench-cgi-spawn.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
mkdir -p "$tmp/www"
printf '#!/bin/sh\nprintf '"'"'Content-Type: text/plain\\r\\n\\r\\nhello from a trivial CGI\\n'"'"'\n' > "$tmp/www/cgi"
chmod +x "$tmp/www/cgi"
cat > "$tmp/lighttpd.conf" <<CONF
server.document-root = "$tmp/www"
server.bind = "127.0.0.1"
server.port = 18181
server.modules = ( "mod_cgi" )
server.errorlog = "$tmp/lighttpd-error.log"
cgi.assign = ( "/cgi" => "" )
CONF
liso() { # NAME PORT JDK [jvm flags...]
    local n=$1 p=$2 j=$3; shift 3
    taskset -c 0 "$j/bin/java" "${opts[@]}" "$@" -jar "$here/target/liso.jar" serve --root "$tmp/www" --no-https \
        --http "127.0.0.1:$p" --cgi "$tmp/www/cgi" -q >"$tmp/$n.out" 2>&1 &
    pids+=($!); eval "pid_${n//-/_}=$!"
}
taskset -c 0 lighttpd -D -f "$tmp/lighttpd.conf" & pids+=($!); pid_lighttpd=$!
liso liso17 18182 "$jdk17"
liso liso25-jdk 18183 "$jdk22" -Djdk.lang.Process.launchMechanism=POSIX_SPAWN
liso liso25-own 18184 "$jdk22"
for p in 18181 18182 18183 18184; do
    for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$p/cgi" && break; sleep 0.1; done
    [ "$(curl -sf "http://127.0.0.1:$p/cgi")" = "hello from a trivial CGI" ] || { echo "port $p answers wrong" >&2; exit 1; }
done
for p in 18182 18183 18184; do taskset -c 1 wrk -t1 -c16 -d10s "http://127.0.0.1:$p/cgi" >/dev/null; done # JIT warm-up
echo "# cgi-spawn $(date -u +%FT%TZ), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$jdk17/bin/java" -version 2>&1 | head -1); $("$jdk22/bin/java" -version 2>&1 | head -1); $(lighttpd -v 2>&1 | head -1)"
"$here/bench/cgi-cost.sh" "$secs" "$rounds" lighttpd:18181:$pid_lighttpd liso17:18182:$pid_liso17 \
    liso25-jdk:18183:$pid_liso25_jdk liso25-own:18184:$pid_liso25_own

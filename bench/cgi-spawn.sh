#!/usr/bin/env bash
# CGI by spawn path, beside lighttpd's mod_cgi in the same run: the trivial sh script of bench/cgi.sh served by
#   lighttpd     mod_cgi
#   liso17       Java 17 (the JDK's spawn, VFORK, pump threads)
#   liso25-jdk   Java 22+ with the JDK's spawn (-Djdk.lang.Process.launchMechanism=POSIX_SPAWN, its default: jspawnhelper)
#   liso25-own   Java 22+ with Liso's own posix_spawn through the FFM API (the default there)
# then bench/cgi-cost.sh over all of them: req/s, context switches, own and children's CPU per request.
# Servers (and their children) on CPU 0, wrk on CPU 1. Usage: bench/cgi-spawn.sh [secs=6] [rounds=3]
#   JDK17, JDK22   the JDKs (default /usr/lib/jvm/java-17-openjdk-amd64 and the newest 22+ under /usr/lib/jvm)
#   CELLS          which servers (default "lighttpd liso17 liso25-jdk liso25-own")
#   BASE_JAR       another build (before a change): each liso cell X runs it too, as X-base, in the same rounds
#   WARMUP         seconds of wrk per JVM before measuring (default 60: on a loaded machine C2 still compiles after
#                  40 s, and Liso's CPU per request settles only then; bench/results/cgi.md, session 6)
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
cells="${CELLS:-lighttpd liso17 liso25-jdk liso25-own}"
liso() { # NAME PORT JDK [jvm flags...]; NAME-base on PORT+10 with BASE_JAR when given
    local n=$1 p=$2 j=$3; shift 3
    case " $cells " in *" $n "*) ;; *) return 0 ;; esac
    run_liso "$n" "$p" "$j" "$here/target/liso.jar" "$@"
    [ -z "${BASE_JAR:-}" ] || run_liso "$n-base" $((p + 10)) "$j" "$BASE_JAR" "$@"
}
servers=()
run_liso() { # NAME PORT JDK JAR [jvm flags...]
    local n=$1 p=$2 j=$3 jar=$4; shift 4
    taskset -c 0 "$j/bin/java" "${opts[@]}" "$@" -jar "$jar" serve --root "$tmp/www" --no-https \
        --http "127.0.0.1:$p" --cgi "$tmp/www/cgi" -q >"$tmp/$n.out" 2>&1 &
    pids+=($!); servers+=("$n:$p:$!")
}
case " $cells " in *" lighttpd "*)
    taskset -c 0 lighttpd -D -f "$tmp/lighttpd.conf" & pids+=($!); servers=("lighttpd:18181:$!") ;;
esac
liso liso17 18182 "$jdk17"
liso liso25-jdk 18183 "$jdk22" -Djdk.lang.Process.launchMechanism=POSIX_SPAWN
liso liso25-own 18184 "$jdk22"
for s in "${servers[@]}"; do
    IFS=: read -r _ p _ <<<"$s"
    for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$p/cgi" && break; sleep 0.1; done
    [ "$(curl -sf "http://127.0.0.1:$p/cgi")" = "hello from a trivial CGI" ] || { echo "port $p answers wrong" >&2; exit 1; }
done
for s in "${servers[@]}"; do # JIT warm-up
    IFS=: read -r n p _ <<<"$s"; [ "$n" = lighttpd ] || taskset -c 1 wrk -t1 -c16 -d"${WARMUP:-60}"s "http://127.0.0.1:$p/cgi" >/dev/null
done
echo "# cgi-spawn $(date -u +%FT%TZ), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$jdk17/bin/java" -version 2>&1 | head -1); $("$jdk22/bin/java" -version 2>&1 | head -1); $(lighttpd -v 2>&1 | head -1)"
"$here/bench/cgi-cost.sh" "$secs" "$rounds" "${servers[@]}"

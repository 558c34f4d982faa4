#!/usr/bin/env bash
# Writes the class-data-sharing archive the launchers start with: JAR's classes, parsed and verified once, mapped into
# every later JVM instead of being loaded from the 10 MB jar again (start-up is mostly class loading: picocli's model,
# Bouncy Castle's PEM parsing, JSSE's context). The training run is the classic lisod in the foreground on loopback
# port 0, answering an HTTP request, a CGI request and (when curl or openssl is there) a TLS handshake, then stopped
# with SIGTERM so the JVM dumps the archive at exit (-XX:ArchiveClassesAtExit, JDK >= 13).
# Usage: scripts/cds-archive.sh JAR ARCHIVE        (the archive is replaced atomically; a failed run leaves none)
set -euo pipefail
jar="$1"
out="$2"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work="$(mktemp -d)"
server=
cleanup() {
    if [ -n "$server" ]; then kill -9 "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/www"
echo train >"$work/www/index.html"
printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\ntrain\\n"\n' >"$work/cgi.sh"
chmod +x "$work/cgi.sh"
"$java" -cp "$jar" org.liso.cli.Main cert --out "$work" --quiet >/dev/null

# The same JVM options as the launchers: an archive only maps into a JVM whose GC and heap layout match.
"$java" -Xms32m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k --enable-native-access=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    -XX:ArchiveClassesAtExit="$work/liso.jsa" -Xlog:cds=error,cds+dynamic=error \
    -cp "$jar" org.liso.cli.Main lisod 0 0 "$work/lisod.log" "$work/lisod.lock" "$work/www" "$work/cgi.sh" \
    "$work/key.pem" "$work/cert.pem" --foreground --bind 127.0.0.1 >"$work/out" 2>"$work/err" &
server=$!

port() { sed -n "s|^lisod: $1://127.0.0.1:\([0-9]*\)/.*|\1|p" "$work/out"; }
for _ in $(seq 600); do
    [ -n "$(port https)" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
    sleep 0.05
done
http="$(port http)"
https="$(port https)"
[ -n "$https" ] || { echo "cds-archive: the training server did not start" >&2; cat "$work/err" >&2; exit 1; }

get() {
    exec 3<>"/dev/tcp/127.0.0.1/$http"
    printf 'GET %s HTTP/1.1\r\nHost: train\r\nConnection: close\r\n\r\n' "$1" >&3
    cat <&3 >/dev/null
    exec 3>&-
}
get /
get /cgi/train
if command -v curl >/dev/null; then
    curl -sk -o /dev/null "https://127.0.0.1:$https/" || true
elif command -v openssl >/dev/null; then
    openssl s_client -connect "127.0.0.1:$https" </dev/null >/dev/null 2>&1 || true
fi

kill -TERM "$server"
wait "$server" || { echo "cds-archive: the training server did not stop cleanly" >&2; exit 1; }
server=
mv -f "$work/liso.jsa" "$out"

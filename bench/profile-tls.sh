#!/usr/bin/env bash
# Where Liso spends its CPU serving 1 KiB over TLS 1.3 keep-alive (bench/tls.sh cell "keepalive"), with JFR.
#   bench/profile-tls.sh                                           # JDK on PATH or $JAVA_HOME
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/profile-tls.sh
# Liso on CPU 0, `wrk -t1 -c64` on CPU 1; 10 s warm-up, then a 20 s JFR recording (settings=profile: Java samples
# every 10 ms, native-method samples every 20 ms) under the same load. Prints the aggregated samples, Liso's user and
# system CPU over the recording, and two crypto micro-benchmarks on CPU 0: AES-128-GCM on 1 KiB in the JDK
# (GcmCost.java: javax.crypto and SSLEngine wrap/unwrap pairs) beside `openssl speed` on the same size.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JFR="${JAVA_HOME:+$JAVA_HOME/bin/}jfr"
LISO_OPTS="${LISO_OPTS:--Xms32m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k}"
NICE="${NICE:--10}"
HTTP_PORT=26010 PORT=26011
jdk=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/{print $2}')
w="$here/bench/work/tls"
rec="$w/profile-jdk$jdk.jfr"
mkdir -p "$w/www"
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package
head -c 1024 /dev/zero | tr '\0' 'x' > "$w/www/1k"
[ -f "$w/cert/cert.pem" ] || "$JAVA" -jar "$here/target/liso.jar" cert --rsa --quiet --out "$w/cert" >/dev/null

exec 8>/tmp/liso-bench.lock
flock -w 1800 8 || { echo "another Liso benchmark holds /tmp/liso-bench.lock" >&2; exit 75; }

liso_pid=
cleanup() {
    if [ -n "$liso_pid" ]; then kill "$liso_pid" 2>/dev/null || true; wait "$liso_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

rm -f "$rec"
# shellcheck disable=SC2086
nice -n "$NICE" taskset -c 0 "$JAVA" $LISO_OPTS \
    -XX:StartFlightRecording=delay=12s,duration=20s,settings=profile,filename="$rec" \
    -jar "$here/target/liso.jar" serve --quiet --root "$w/www" --http "127.0.0.1:$HTTP_PORT" \
    --https "127.0.0.1:$PORT" --key "$w/cert/key.pem" --cert "$w/cert/cert.pem" >/dev/null 2>"$w/profile-liso.err" &
liso_pid=$!
for _ in $(seq 150); do
    curl -sf -o /dev/null --cacert "$w/cert/cert.pem" "https://127.0.0.1:$PORT/1k" && break
    sleep 0.2
done
t0=$(date +%s.%N)
nice -n "$NICE" taskset -c 1 wrk -t1 -c64 -d10s "https://127.0.0.1:$PORT/1k" | grep -E 'Requests/sec'
# The recording starts 12 s after the JVM: from here on, 20 s of load are recorded.
sleep "$(awk -v t0="$t0" -v now="$(date +%s.%N)" 'BEGIN{d=12.5-(now-t0); print (d>0)?d:0}')"
read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$liso_pid/stat")
nice -n "$NICE" taskset -c 1 wrk -t1 -c64 -d19s "https://127.0.0.1:$PORT/1k" > "$w/profile-wrk.out"
read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$liso_pid/stat")
requests=$(awk '/requests in/{print $1}' "$w/profile-wrk.out")
grep -E 'Requests/sec' "$w/profile-wrk.out"
for _ in $(seq 100); do [ -s "$rec" ] && break; sleep 0.2; done
sleep 1
kill "$liso_pid"; wait "$liso_pid" 2>/dev/null || true; liso_pid=

echo "# Liso CPU over the recorded run: user $((u1 - u0)) + system $((s1 - s0)) jiffies (1/100 s) for $requests requests:" \
    "$(awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v r="$requests" 'BEGIN{printf "%.1f µs/request (%.0f%% in the kernel)", (u+s)*1e4/r, 100*s/(u+s)}')"
echo "## jdk.ExecutionSample (Java code running)"
"$JFR" print --events jdk.ExecutionSample "$rec" | python3 "$here/bench/jfr_top.py" 30
echo "## jdk.NativeMethodSample (threads inside native code: epoll, read, write)"
"$JFR" print --events jdk.NativeMethodSample "$rec" | python3 "$here/bench/jfr_top.py" 10
echo "## GC and JIT during the recording"
"$JFR" summary "$rec" | grep -E 'jdk.GarbageCollection |jdk.ObjectAllocationSample |jdk.Compilation ' || true

echo "## AES-128-GCM, 1 KiB, one core: JDK vs OpenSSL"
nice -n "$NICE" taskset -c 0 "$JAVA" -Xmx256m "$here/bench/GcmCost.java" 3
nice -n "$NICE" taskset -c 0 openssl speed -seconds 3 -bytes 1024 -evp aes-128-gcm 2>/dev/null | tail -2

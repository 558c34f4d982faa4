#!/usr/bin/env bash
# Rolling restart behind HAProxy, measured. Starts Debian's HAProxy in front of N `liso serve` instances on loopback
# (PROXY protocol v2 to each, health checks), drives steady keep-alive and new-connection load through it with wrk,
# restarts the instances one after another, and reports what the clients got: requests sent, failed, statuses, and
# HAProxy's retries (a retry hides a failure from the client, so it is reported too). Each restart: the server is
# put in maintenance on HAProxy's runtime API, its sessions drain, Liso gets SIGTERM (graceful stop), a new Liso
# starts on the same port, the server is made ready again and the script waits for its health check to pass.
# HAProxy connects from 127.0.0.2 and wrk from 127.0.0.1, so the access logs can show the client's address and not
# HAProxy's. Health checks ask each instance's admin listener for /healthz (503 once it drains).
#   scripts/lb-demo.sh [seconds] [instances]            (default 40 s, 3 instances)
# Environment: LB_KEEPALIVE (keep-alive connections, default 16), LB_NEWCONN (connections opened per request,
# default 4), LB_WORK (directory to keep, default a fresh one under /tmp). Exit 0 when no request failed and no
# access-log line names HAProxy's address, 1 otherwise (also when the restarts took longer than the load ran).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-40}"
instances="${2:-3}"
keepalive="${LB_KEEPALIVE:-16}"
newconn="${LB_NEWCONN:-4}"
for tool in haproxy wrk python3 java; do
  command -v "$tool" >/dev/null || { echo "lb-demo: needs $tool (scripts/install-test-tools.sh)" >&2; exit 69; }
done
jar=target/liso.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
work="${LB_WORK:-$(mktemp -d /tmp/liso-lb.XXXXXX)}"
mkdir -p "$work/www"
head -c 1024 /dev/zero | tr '\0' 'x' > "$work/www/page.html"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# Waits up to $2 seconds for command $1 to succeed.
await() {
  local deadline=$(( $(date +%s) + $2 ))
  until eval "$1"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "lb-demo: timed out waiting for: $1" >&2; return 1; fi
    sleep 0.05
  done
}

hactl() {
  python3 - "$work/haproxy.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
out = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    out += d
sys.stdout.write(out.decode())
PY
}

# One field of `show stat` for backend be, server $1 (scur, status, wretr, wredis, ...).
stat() {
  hactl "show stat" | awk -F, -v sv="$1" -v f="$2" '
    NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == "be" && $2 == sv { print $col[f] }'
}

read -r -a ports <<< "$(java -jar "$jar" free-port --count $((2 * instances + 1)) --outside-ephemeral | tr '\n' ' ')"
front="${ports[0]}"
# Instance i serves on ports[i] and answers /healthz on its admin listener, ports[instances + i].
admin_port() { echo "${ports[$((instances + $1))]}"; }
declare -A lisopid
start_liso() {
  local i=$1 port=${ports[$1]}
  java -XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1 -jar "$jar" serve --root "$work/www" \
    --http "127.0.0.1:$port" --proxy-protocol --trusted-proxies 127.0.0.2 --shutdown-grace 5s \
    --admin "127.0.0.1:$(admin_port "$i")" --drain-delay 1s \
    --access-log "$work/access-$i.log" -q >"$work/liso-$i.out" 2>>"$work/liso-$i.err" &
  lisopid[$i]=$!
  pids+=($!)
  await "grep -q 'liso serve: http' '$work/liso-$i.out'" 60
}
for i in $(seq 1 "$instances"); do start_liso "$i"; done

{
  echo "global"
  echo "  stats socket $work/haproxy.sock mode 600 level admin"
  echo "  maxconn 4096"
  echo "defaults"
  echo "  mode http"
  echo "  timeout connect 2s"
  echo "  timeout client 30s"
  echo "  timeout server 30s"
  echo "  timeout check 2s"
  echo "  retries 3"
  echo "  option redispatch 1"
  echo "  retry-on conn-failure empty-response response-timeout"
  echo "  option httpchk GET /healthz"
  echo "frontend fe"
  echo "  bind 127.0.0.1:$front"
  echo "  default_backend be"
  echo "backend be"
  echo "  balance roundrobin"
  echo "  default-server send-proxy-v2 check inter 300ms fall 2 rise 1 source 127.0.0.2"
  # A check on another port carries no PROXY header (HAProxy's default), as the admin listener expects none.
  for i in $(seq 1 "$instances"); do echo "  server s$i 127.0.0.1:${ports[$i]} check port $(admin_port "$i")"; done
} > "$work/haproxy.cfg"
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.out" 2>&1 &
hpid=$!
pids+=($hpid)
for i in $(seq 1 "$instances"); do await "[ \"\$(stat s$i status 2>/dev/null)\" = UP ]" 30; done
echo "lb-demo: HAProxy on 127.0.0.1:$front, $instances instances UP (${ports[*]:1:$instances}), $seconds s of load"

url="http://127.0.0.1:$front/page.html"
wrk -t1 -c"$keepalive" -d"${seconds}s" --timeout 10s -s scripts/lb-status.lua "$url" >"$work/wrk-keepalive.out" 2>&1 &
wka=$!
wrk -t1 -c"$newconn" -d"${seconds}s" --timeout 10s -H 'Connection: close' -s scripts/lb-status.lua "$url" \
  >"$work/wrk-newconn.out" 2>&1 &
wnc=$!
pids+=($wka $wnc)
started=$(date +%s)
# The restarts begin once the load has reached every instance.
for i in $(seq 1 "$instances"); do await "[ -s '$work/access-$i.log' ]" 30; done

for i in $(seq 1 "$instances"); do
  t0=$(date +%s.%N)
  hactl "set server be/s$i state maint" >/dev/null
  await "[ \"\$(stat s$i scur)\" = 0 ]" 30
  kill -TERM "${lisopid[$i]}"
  await "! kill -0 ${lisopid[$i]} 2>/dev/null" 30
  wait "${lisopid[$i]}" || true
  start_liso "$i"
  hactl "set server be/s$i state ready" >/dev/null
  await "[ \"\$(stat s$i status)\" = UP ]" 30
  printf 'lb-demo: restarted s%d (127.0.0.1:%s) in %.1f s\n' "$i" "${ports[$i]}" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
done
restarts_done=$(( $(date +%s) - started ))

wait "$wka" || true
wait "$wnc" || true
echo "lb-demo: restarts finished ${restarts_done} s into the ${seconds} s of load"
covered=1
if [ "$restarts_done" -ge "$seconds" ]; then
  echo "lb-demo: the restarts outlasted the load, so the last ones went unmeasured; give more seconds" >&2
  covered=0
fi
ka_line=$(grep '^wrk:' "$work/wrk-keepalive.out" || echo "wrk: missing")
nc_line=$(grep '^wrk:' "$work/wrk-newconn.out" || echo "wrk: missing")
echo "keep-alive     $ka_line"
echo "new connection $nc_line"
retries=0
redispatches=0
for i in $(seq 1 "$instances"); do
  retries=$(( retries + $(stat "s$i" wretr) ))
  redispatches=$(( redispatches + $(stat "s$i" wredis) ))
done
echo "haproxy: retries=$retries redispatches=$redispatches"
# Load lines only (the health checks are HAProxy's own requests, logged as 127.0.0.2 rightly).
client_lines=$(cat "$work"/access-*.log | grep -c '^127\.0\.0\.1 .*"GET /page.html' || true)
proxy_lines=$(cat "$work"/access-*.log | grep -c '^127\.0\.0\.2 .*"GET /page.html' || true)
echo "access logs: $client_lines load lines from the client 127.0.0.1, $proxy_lines from HAProxy's 127.0.0.2"
echo "lb-demo: files in $work"

failed=$(printf '%s\n%s\n' "$ka_line" "$nc_line" | sed -n 's/.* failed=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
if [ "$ka_line" = "wrk: missing" ] || [ "$nc_line" = "wrk: missing" ] || [ "$failed" -ne 0 ] \
    || [ "$proxy_lines" -ne 0 ] || [ "$client_lines" -eq 0 ] || [ "$covered" -eq 0 ]; then
  echo "lb-demo: FAILED (failed requests: $failed)"
  exit 1
fi
echo "lb-demo: OK, 0 failed"

#!/usr/bin/env bash
# Soak test: liso serve under a steady mixed load for MINUTES (bounded: at most 120) — static GETs, Range GETs, HEADs,
# 404s and malformed requests, plus TLS GETs when `liso serve --help` offers --https; CGI is reported as skipped
# until `liso serve --help` offers --cgi (hook below). The python3 client checks every response against the file
# on disk. Prints the server's fds, threads and RSS after warm-up and at the end (they must stay flat) and the
# number of wrong responses (must be 0). Server pinned to CPU 0, client to CPU 1.
#   scripts/soak.sh MINUTES [WORKERS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
minutes="${1:?usage: scripts/soak.sh MINUTES [WORKERS]}"
workers="${2:-16}"
if ! [[ "$minutes" =~ ^[0-9]+$ ]] || [ "$minutes" -lt 1 ] || [ "$minutes" -gt 120 ]; then
  echo "soak.sh: MINUTES must be 1..120" >&2; exit 2
fi
[ -f target/liso.jar ] || mvn -q -B -DskipTests package
work=bench/work/soak
rm -rf "$work"; mkdir -p "$work/root"
for spec in 0:0 1:1 2:700 3:4096 4:65536 5:65537 6:300000 7:2097152; do
  head -c "${spec#*:}" /dev/urandom > "$work/root/file${spec%%:*}.bin"
done
help=$(java -jar target/liso.jar serve --help)
args=(serve --root "$work/root" --http 127.0.0.1:0 -q --access-log "$work/access.log")
tls=no
if grep -q -- '--https' <<<"$help"; then
  args+=(--https 127.0.0.1:0); tls=yes
else
  echo "soak.sh: TLS skipped: liso serve has no --https"
fi
if grep -q -- '--cgi' <<<"$help"; then
  echo "soak.sh: CGI hook: liso serve has --cgi, but the soak client does not drive CGI yet (skipped)"
else
  echo "soak.sh: CGI skipped: liso serve has no --cgi"
fi
pin0=(); pin1=()
if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then pin0=(taskset -c 0); pin1=(taskset -c 1); fi
"${pin0[@]}" java -Xmx256m -XX:+UseSerialGC -jar target/liso.jar "${args[@]}" >"$work/stdout" 2>"$work/stderr" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'http://' "$work/stdout" 2>/dev/null && break; sleep 0.2; done
port=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/stdout" | head -1 | sed 's/.*://')
tls_port=""
[ "$tls" = yes ] && tls_port=$(grep -oE 'https://127\.0\.0\.1:[0-9]+' "$work/stdout" | head -1 | sed 's/.*://')
stats() { echo "fds=$(ls /proc/$pid/fd | wc -l) threads=$(ls /proc/$pid/task | wc -l) rss_kib=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)"; }
echo "soak.sh: liso pid $pid on :$port${tls_port:+ and TLS :$tls_port}; warm-up 20 s"
"${pin1[@]}" python3 scripts/soak_client.py "$work/root" "$port" 20 "$workers" "$tls_port" >"$work/warmup.json"
sleep 3
start_stats=$(stats)
echo "soak.sh: start: $start_stats; running $minutes min with $workers workers"
t0=$(date +%s)
"${pin1[@]}" python3 scripts/soak_client.py "$work/root" "$port" $((minutes * 60)) "$workers" "$tls_port" >"$work/result.json"
elapsed=$(( $(date +%s) - t0 ))
sleep 5  # let linger and idle timers close what the client left
end_stats=$(stats)
result=$(cat "$work/result.json")
echo "soak.sh: end:   $end_stats"
echo "soak.sh: result after ${elapsed}s: $result"
python3 - "$result" "$elapsed" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); s = int(sys.argv[2])
total = r["ok"] + r["wrong"]
print("soak.sh: %d responses (%.0f/s), %d wrong, %d I/O errors" % (total, total / max(s, 1), r["wrong"], r["io_errors"]))
sys.exit(0 if r["wrong"] == 0 and r["io_errors"] == 0 else 1)
PY
errors=$(grep -cE ' (ERROR|WARN) ' "$work/stderr" || true)
echo "soak.sh: server log warnings/errors: $errors"

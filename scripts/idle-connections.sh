#!/usr/bin/env bash
# Ten thousand idle keep-alive connections against liso serve with a 64 MiB heap: each connection sends one request,
# reads its whole response and stays open. Then every connection must still be open, a new client must still be
# served, and so must one request on each of 100 of the idle connections. Reports the server's RSS (/proc/PID/status)
# and heap (jcmd GC.heap_info) before and after, and writes bench/results/idle-connections.md.
# Usage: scripts/idle-connections.sh [connections=10000] [seconds-idle=10] [loops=2]   (JAVA_HOME picks the JDK)
# The connections spread over the server's event loops (--loops; SO_REUSEPORT lets the kernel spread them).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
conns="${1:-10000}"; idle="${2:-10}"; loops="${3:-2}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
java="$JAVA_HOME/bin/java"; jcmd="$JAVA_HOME/bin/jcmd"
jvm_flags="-Xmx64m -XX:+UseSerialGC"
work="$here/bench/work/idle"; mkdir -p "$work/www" "$here/bench/results"
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package
# The client holds $conns sockets and the server as many: both need the descriptors.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((conns + 100)) ]; then
    echo "ulimit -n is $(ulimit -n), below $((conns + 100)); raise the hard limit" >&2; exit 78
fi
head -c 1024 /dev/urandom > "$work/www/1k.bin"

server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
# shellcheck disable=SC2086
"$java" $jvm_flags -jar "$here/target/liso.jar" serve --root "$work/www" --http 127.0.0.1:0 --no-https --loops "$loops" \
    --max-connections $((conns + 1000)) --idle-timeout 300 -q > "$work/liso.out" 2>"$work/liso.err" &
server_pid=$!
for _ in $(seq 300); do grep -q '^liso serve: http://' "$work/liso.out" && break; sleep 0.1; done
url=$(sed -n 's/^liso serve: \(http:[^ ]*\).*/\1/p' "$work/liso.out" | head -1)
[ -n "$url" ] || { echo "liso serve did not start: $(cat "$work/liso.err")" >&2; exit 1; }
port=$(echo "$url" | sed 's#.*:\([0-9]*\)/.*#\1#')

rss() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status"; }
heap() { # young + old generation "used", in KiB (SerialGC names them "def new" and "tenured")
    "$jcmd" "$server_pid" GC.heap_info 2>/dev/null | awk '/generation/ {
        for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); u += v } }
        END { printf "%d KiB used", u }'
}
fds() { ls "/proc/$server_pid/fd" | wc -l; }
curl -sf -o /dev/null "$url/1k.bin"
"$jcmd" "$server_pid" GC.run >/dev/null 2>&1 || true
rss0=$(rss); heap0=$(heap); fds0=$(fds)

python3 - "$port" "$conns" "$idle" "$server_pid" "$work/client.out" "$jcmd" <<'EOF'
import os, selectors, socket, subprocess, sys, time
port, n, idle, server_pid, report = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
jcmd = sys.argv[6]
REQ = b"GET /1k.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
sel = selectors.DefaultSelector()
socks, got, done = [], {}, set()

def response_complete(buf):
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return False
    head = buf[:end].decode("latin-1")
    if not head.startswith("HTTP/1.1 200"):
        raise SystemExit("unexpected answer: " + head.splitlines()[0])
    length = [int(l.split(":")[1]) for l in head.split("\r\n") if l.lower().startswith("content-length:")][0]
    return len(buf) - end - 4 >= length

def pump(deadline):
    while len(done) < len(socks) and time.time() < deadline:
        for key, _ in sel.select(timeout=1):
            s = key.fileobj
            if key.data == "connecting":
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    raise SystemExit("connect failed")
                s.send(REQ)
                sel.modify(s, selectors.EVENT_READ, "reading")
                continue
            data = s.recv(65536)
            if not data:
                raise SystemExit("server closed a connection before answering")
            got[s] = got.get(s, b"") + data
            if response_complete(got[s]):
                done.add(s)
                sel.unregister(s)
                got[s] = b""

start = time.time()
for i in range(n):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    socks.append(s)
    sel.register(s, selectors.EVENT_WRITE, "connecting")
    if i % 500 == 499:
        pump(time.time() + 0.05)  # keep the accept queue from overflowing
pump(time.time() + 60)
if len(done) != n:
    raise SystemExit(f"only {len(done)} of {n} connections got their response")
opened = time.time() - start
with open(f"/proc/{server_pid}/status") as f:
    rss_open = [l.split()[1] for l in f if l.startswith("VmRSS")][0]
fds_open = len(os.listdir(f"/proc/{server_pid}/fd"))
subprocess.run([jcmd, server_pid, "GC.run"], capture_output=True)  # live heap, not garbage
heap_info = subprocess.run([jcmd, server_pid, "GC.heap_info"], capture_output=True, text=True).stdout
heap_open = sum(int(w[i + 1].rstrip("K,")) for w in (l.split() for l in heap_info.splitlines() if "generation" in l)
                for i in range(len(w) - 1) if w[i] == "used")
time.sleep(idle)

# Still open? A closed connection is readable (EOF or reset); an open idle one is not.
poll = selectors.DefaultSelector()
for s in socks:
    poll.register(s, selectors.EVENT_READ)
closed = len(poll.select(timeout=0.5))
for s in socks:
    poll.unregister(s)

# A new client is served, and so are 100 of the idle connections.
fresh = socket.create_connection(("127.0.0.1", port), timeout=10)
fresh.sendall(REQ)
buf = b""
while not response_complete(buf):
    buf += fresh.recv(65536)
fresh.close()
done.clear()
again = socks[:: max(1, n // 100)][:100]
for s in again:
    s.send(REQ)
    sel.register(s, selectors.EVENT_READ, "reading")
socks_backup, socks = socks, again
pump(time.time() + 30)
reused = len(done)
with open(report, "w") as f:
    f.write(f"{n} {opened:.1f} {closed} {reused} {rss_open} {fds_open} {heap_open}\n")
for s in socks_backup:
    s.close()
EOF
read -r n opened closed reused rss_open fds_open heap_open < "$work/client.out"
rss1=$(rss); hwm1=$(hwm); heap1=$(heap); fds1=$(fds)
alive=yes; kill -0 "$server_pid" 2>/dev/null || alive=no
jdk=$("$java" -version 2>&1 | head -1)
out="$here/bench/results/idle-connections.md"
{
    echo "# $n idle keep-alive connections — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Command: \`scripts/idle-connections.sh $conns $idle $loops\` with $jdk, commit $(git -C "$here" rev-parse --short HEAD)."
    echo "Server: \`java $jvm_flags -jar target/liso.jar serve --root DIR --http 127.0.0.1:0 --loops $loops --max-connections $((conns + 1000)) --idle-timeout 300 -q\`."
    echo "Client: python3 selectors; each connection sends \`GET /1k.bin\`, reads the 200 and its 1 KiB body, stays open."
    echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "| | value |"
    echo "|---|---|"
    echo "| connections opened and answered | $n in $opened s |"
    echo "| closed by the server after $idle s idle | $closed |"
    echo "| a new connection served afterwards | yes |"
    echo "| idle connections that answered one more request | $reused of 100 |"
    echo "| server still running | $alive |"
    echo "| server's open fds: before → all connections open → after the client closed them | $fds0 → $fds_open → $fds1 |"
    echo "| RSS before (after one request and a GC) | $((rss0 / 1024)) MiB |"
    echo "| RSS with all connections open | $((rss_open / 1024)) MiB |"
    echo "| RSS at the end / peak (VmHWM) | $((rss1 / 1024)) MiB / $((hwm1 / 1024)) MiB |"
    echo "| RSS per connection | $(( (rss_open - rss0) * 1024 / n )) bytes |"
    echo "| heap before | $heap0 |"
    echo "| live heap with all connections open (after a GC) | $heap_open KiB used |"
    echo "| heap at the end (no GC) | $heap1 |"
} > "$out"
cat "$out"
[ "$closed" -eq 0 ] && [ "$reused" -eq 100 ] && [ "$alive" = yes ]

#!/usr/bin/env bash
# HTTPS throughput and handshake rates: Liso (native engine and JSSE) beside nginx (1 worker) and lighttpd, same RSA
# 2048 certificate.
# Method: ../shared/benchmarking.md — servers on CPU 0, `wrk -t1` on CPU 1, ports below 32768, Liso warmed up with
# >= 8 s of the cell's own load, runs alternated Liso native / Liso JSSE / nginx / lighttpd (A B C D A B C D), median
# and min–max.
#   bench/tls.sh                                                     # the JDK on PATH (or $JAVA_HOME)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/tls.sh
#   ROUNDS=3 DURATION=10s CELLS="keepalive resumed full 10m" bench/tls.sh
#   SERVERS="liso nginx" bench/tls.sh                              # a subset ("liso" is the native engine,
#                                                                  # "liso-jdk" the JSSE one)
#   BASE_JAR=/tmp/old.jar SERVERS="liso-base liso nginx lighttpd" RESULT=bench/results/x.md bench/tls.sh
#                                  # "liso-base": the native engine of another build, for a before/after in one run
# Cells:
#   keepalive  1 KiB GET, keep-alive, TLS 1.3, -c 64: record-layer cost per request (AES-GCM, wrap/unwrap)
#   resumed    1 KiB GET with "Connection: close", -c 64: wrk resumes the TLS session on every reconnect
#              (TLS 1.3 PSK with (EC)DHE, no certificate signature) — handshakes/s with resumption
#   full       as resumed, with resumption off on every server: a full handshake (RSA 2048 signature + X25519)
#              per connection
#   10m        10 MiB GET, keep-alive, -c 8 ($CONNS_10M): bulk encryption and the record batching per write
# Writes bench/results/tls-jdk<N>.md (regenerated on every run) and keeps the servers' logs in bench/work/tls/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-8s}"
CONNS="${CONNS:-64}"
CONNS_10M="${CONNS_10M:-8}"
CELLS="${CELLS:-keepalive resumed full 10m}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
LISO_OPTS="${LISO_OPTS:--Xms32m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k}"
LISO_HTTP=26000 LISO_PORT=26001 NGINX_PORT=26002 LIGHTTPD_PORT=26003 LISO_JDK_HTTP=26004 LISO_JDK_PORT=26005
LISO_BASE_HTTP=26006 LISO_BASE_PORT=26007
BASE_JAR="${BASE_JAR:-}"
TLS13_SUITES="TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
SERVERS="${SERVERS:-liso liso-jdk nginx lighttpd}"
LISOS=$(for s in $SERVERS; do case $s in liso*) printf '%s ' "$s" ;; esac; done)
PEERS=$(for s in $SERVERS; do case $s in liso*) ;; *) printf '%s ' "$s" ;; esac; done)
# The machine is shared with builds that keep both cores busy; at the default priority a server gets a fifth of its
# core. Servers and wrk run at nice -10 (NICE=0 to turn off) for the bounded length of the benchmark.
NICE="${NICE:--10}"
NICE_CMD="nice -n $NICE"
QUIET_WAIT="${QUIET_WAIT:-180}"

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
command -v lighttpd >/dev/null || need+=(lighttpd)
[ -f /usr/lib/lighttpd/mod_openssl.so ] || need+=(lighttpd-mod-openssl)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -f "$here/target/liso.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests package

jdk=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/{print $2}')
w="$here/bench/work/tls"
result="${RESULT:-$here/bench/results/tls-jdk$jdk.md}"
raw="$w/raw-jdk$jdk.txt"
mkdir -p "$w/www" "$here/bench/results"
for p in $LISO_HTTP $LISO_PORT $NGINX_PORT $LIGHTTPD_PORT $LISO_JDK_HTTP $LISO_JDK_PORT $LISO_BASE_HTTP $LISO_BASE_PORT; do
    if ss -Hltn "sport = :$p" | grep -q .; then echo "port $p is taken" >&2; exit 69; fi
done

exec 8>/tmp/liso-bench.lock
flock -w 1800 8 || { echo "another Liso benchmark holds /tmp/liso-bench.lock" >&2; exit 75; }

declare -A pid=()
stop() {  # $1: server name; by its pid only
    local p="${pid[$1]:-}"
    [ -n "$p" ] || return 0
    kill "$p" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    wait "$p" 2>/dev/null || true
    pid[$1]=
}
cleanup() { for s in $SERVERS; do stop "$s"; done; }
trap cleanup EXIT

head -c 1024 /dev/zero | tr '\0' 'x' > "$w/www/1k"
[ -f "$w/www/10m" ] || head -c 10485760 /dev/urandom > "$w/www/10m"
[ -f "$w/cert/cert.pem" ] || "$JAVA" -jar "$here/target/liso.jar" cert --rsa --quiet --out "$w/cert" >/dev/null

nginx_conf() {  # $1: on|off (resumption)
    local cache="shared:SSL:10m" tickets=on
    [ "$1" = off ] && { cache=off; tickets=off; }
    cat > "$w/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $w/nginx.pid;
error_log $w/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    default_type application/octet-stream;
    keepalive_requests 10000;
    tcp_nodelay on;
    client_body_temp_path $w/nginx-tmp;
    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        root $w/www;
        ssl_certificate $w/cert/cert.pem;
        ssl_certificate_key $w/cert/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_prefer_server_ciphers on;
        ssl_conf_command Ciphersuites $TLS13_SUITES;
        ssl_session_cache $cache;
        ssl_session_tickets $tickets;
    }
}
CONF
}

lighttpd_conf() {  # $1: on|off (resumption)
    local options="ServerPreference"
    [ "$1" = off ] && options="ServerPreference,-SessionTicket"
    cat > "$w/lighttpd.conf" <<CONF
server.document-root = "$w/www"
server.bind = "127.0.0.1"
server.port = $LIGHTTPD_PORT
server.modules = ( "mod_openssl" )
server.errorlog = "$w/lighttpd-error.log"
server.pid-file = "$w/lighttpd.pid"
server.max-keep-alive-requests = 10000
server.max-fds = 4096
ssl.engine = "enable"
ssl.pemfile = "$w/cert/cert.pem"
ssl.privkey = "$w/cert/key.pem"
ssl.openssl.ssl-conf-cmd = ( "MinProtocol" => "TLSv1.2", "Ciphersuites" => "$TLS13_SUITES", "Options" => "$options" )
CONF
}

port_of() {
    case $1 in liso) echo $LISO_PORT ;; liso-jdk) echo $LISO_JDK_PORT ;; liso-base) echo $LISO_BASE_PORT ;;
    nginx) echo $NGINX_PORT ;;
    lighttpd) echo $LIGHTTPD_PORT ;; esac
}

wait_https() {  # $1: port
    for _ in $(seq 150); do
        curl -sf -o /dev/null --cacert "$w/cert/cert.pem" "https://127.0.0.1:$1/1k" && return 0
        sleep 0.2
    done
    echo "no HTTPS answer on :$1" >&2; return 1
}

start() {  # $1: server, $2: on|off (resumption)
    local resumption=()
    case $1 in
    liso|liso-jdk|liso-base)
        [ "$2" = off ] && resumption=(--no-tls-resumption)
        local engine=native http=$LISO_HTTP jar="$here/target/liso.jar"
        [ "$1" = liso-jdk ] && { engine=jdk; http=$LISO_JDK_HTTP; }
        [ "$1" = liso-base ] && { http=$LISO_BASE_HTTP; jar=${BASE_JAR:?BASE_JAR names the jar of liso-base}; }
        # shellcheck disable=SC2086
        $NICE_CMD taskset -c 0 "$JAVA" $LISO_OPTS -jar "$jar" serve --quiet --root "$w/www" \
            --http "127.0.0.1:$http" --https "127.0.0.1:$(port_of "$1")" --tls-provider "$engine" \
            --key "$w/cert/key.pem" --cert "$w/cert/cert.pem" "${resumption[@]}" >"$w/$1.out" 2>"$w/$1.err" &
        ;;
    nginx)
        mkdir -p "$w/nginx-tmp"; nginx_conf "$2"
        $NICE_CMD taskset -c 0 nginx -p "$w" -e "$w/nginx-error.log" -c "$w/nginx.conf" &
        ;;
    lighttpd)
        lighttpd_conf "$2"
        $NICE_CMD taskset -c 0 lighttpd -D -f "$w/lighttpd.conf" &
        ;;
    esac
    pid[$1]=$!
    wait_https "$(port_of "$1")"
}

# Does a second connection resume the first one's session? (TLS 1.3: the ticket arrives after the handshake, so
# the first connection makes a request and reads the answer before it saves the session.)
resumes() {  # $1: port -> "resumed" / "full"
    local s="$w/session.pem"
    rm -f "$s"
    printf 'GET /1k HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' \
        | timeout 10 openssl s_client -connect "127.0.0.1:$1" -tls1_3 -sess_out "$s" -ign_eof >/dev/null 2>&1 || true
    if printf 'GET /1k HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' \
        | timeout 10 openssl s_client -connect "127.0.0.1:$1" -tls1_3 -sess_in "$s" -ign_eof 2>/dev/null \
        | grep -q '^Reused,'; then echo resumed; else echo full; fi
}

negotiated() {  # $1: port -> "TLSv1.3 TLS_AES_128_GCM_SHA256 X25519"
    timeout 10 openssl s_client -connect "127.0.0.1:$1" -brief </dev/null 2>&1 \
        | awk -F': ' '/^Protocol version/{p=$2} /^Ciphersuite/{c=$2} /^(Server Temp Key|Negotiated TLS1.3 group)/{k=$2}
                      END{print p, c, k}'
}

cpu_total() { awk '/^cpu /{print $2+$3+$4+$6+$7+$8}' /proc/stat; }
proc_cpu() {  # CPU jiffies of a process and its threads, plus its children's (nginx master + worker)
    local t=0 p
    for p in "$@"; do
        [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat")))
    done
    echo $t
}
server_pids() {  # the process tree of a server: nginx's worker is a child of the master
    echo "${pid[$1]}" $(pgrep -P "${pid[$1]}" 2>/dev/null || true)
}

passive_opens() { awk '/^Tcp:/{n++; if (n == 2) print $7}' /proc/net/snmp; }  # field 7: PassiveOpens

# One measured run: prints "requests/s server% wrk% others% connections/s errors"; connections/s is the machine's
# TCP passive opens (accepted connections) per second: it shows whether wrk really reconnected.
measure() {  # $1: server, $2: cell, $3: duration
    local port; port=$(port_of "$1")
    local pids; pids=$(server_pids "$1")
    # wrk only takes "-H 'Name: value'" with the space; without it the header is silently dropped.
    local args=(-t1 -c"$CONNS" -d"$3") file=1k
    # wrk's default 2 s timeout would cut a 10 MiB response a starved server takes longer over, and count it lost.
    [ "$2" = 10m ] && { args=(-t1 -c"$CONNS_10M" -d"$3" --timeout 30s); file=10m; }
    case $2 in resumed|full) args+=(-H 'Connection: close') ;; esac
    local s0 t0 o0 w0 out
    s0=$(proc_cpu $pids); t0=$(cpu_total); o0=$(passive_opens); w0=$(date +%s.%N)
    # The shell reports its waited-for child's CPU time (cutime, cstime) in its own /proc stat.
    out=$($NICE_CMD taskset -c 1 sh -c 'wrk "$@" > "'"$w"'/wrk.out" 2>&1; cat /proc/$$/stat' wrk \
        "${args[@]}" "https://127.0.0.1:$port/$file")
    local s1 t1 o1 w1 wrkj
    s1=$(proc_cpu $pids); t1=$(cpu_total); o1=$(passive_opens); w1=$(date +%s.%N)
    wrkj=$(echo "$out" | awk '{print $16+$17}')
    cat "$w/wrk.out" >> "$raw"
    local rate errors
    rate=$(awk '/Requests\/sec/{print $2}' "$w/wrk.out")
    errors=$(awk '/Socket errors|Non-2xx/{sub(/^ +/, ""); printf "%s; ", $0}' "$w/wrk.out")
    local secs; secs=$(awk -v a="$w0" -v b="$w1" 'BEGIN{print b - a}')   # wall time: wrk overruns -d when starved
    awk -v r="$rate" -v s=$((s1 - s0)) -v wj="$wrkj" -v all=$((t1 - t0)) -v d="$secs" -v e="${errors:-none}" \
        -v c=$((o1 - o0)) 'BEGIN{o=all-s-wj; if (o<0) o=0; printf "%s %.0f %.0f %.0f %.0f %s\n", r, s/d, wj/d, o/d, c/d, e}'
}

# Another helper's benchmark on this machine drives wrk too; two load generators at once spoil both. Before each
# measured run wait (bounded) until no wrk that is not ours runs; /tmp/liso-bench.lock serialises Liso's own scripts.
wait_for_foreign_wrk() {
    local waited=0
    while pgrep -x wrk >/dev/null && [ "$waited" -lt "$QUIET_WAIT" ]; do sleep 2; waited=$((waited + 2)); done
    [ "$waited" -gt 0 ] && echo "(waited ${waited}s for another benchmark's wrk to finish)" >> "$raw"
    return 0
}

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
spread() { sort -n | awk 'NR==1{lo=$1} {hi=$1} END{printf "%.0f–%.0f", lo, hi}'; }

date_utc=$(date -u +%FT%TZ)
declare -A runs=() cpu=() conns=() proto=() resumed=() eff=()
# REPORT_ONLY=1 writes the report again from the raw file of the last run (e.g. after the report code changed).
if [ "${REPORT_ONLY:-0}" = 1 ]; then
    while read -r cell _ _ s rest; do
        s=${s%:}
        set -- $rest
        runs[$cell-$s]+="$1 "
        cpu[$cell-$s]+="$2/$3/$4 "
        conns[$cell-$s]+="$5 "
        eff[$cell-$s]+="$(awk -v r="$1" -v c="$2" 'BEGIN{printf "%.0f", (c > 0) ? r * 100 / c : 0}') "
    done < <(grep -E '^[a-z0-9]+ round [0-9]+ [a-z-]+: ' "$raw")
    while IFS= read -r line; do
        key=${line#negotiated }; cell=${key%% *}; key=${key#* }; s=${key%%:*}; v=${key#*: }
        proto[$cell-$s]=${v%%; *}; resumed[$cell-$s]=${v##*; }
    done < <(grep '^negotiated ' "$raw")
    CELLS=$(grep -E '^[a-z0-9]+ round ' "$raw" | awk '{print $1}' | uniq | tr '\n' ' ')
    date_utc="$(stat -c %y "$raw" | cut -d. -f1) (report regenerated)"
fi
[ "${REPORT_ONLY:-0}" = 1 ] || : > "$raw"
for cell in $CELLS; do
    [ "${REPORT_ONLY:-0}" = 1 ] && break
    resumption=on; [ "$cell" = full ] && resumption=off
    for s in $SERVERS; do start "$s" "$resumption"; done
    for s in $SERVERS; do
        proto[$cell-$s]=$(negotiated "$(port_of "$s")")
        resumed[$cell-$s]=$(resumes "$(port_of "$s")")
        echo "negotiated $cell $s: ${proto[$cell-$s]}; ${resumed[$cell-$s]}" >> "$raw"
    done
    echo "== $cell: warm-up (liso $WARMUP, peers 2s)" | tee -a "$raw"
    for s in $LISOS; do measure "$s" "$cell" "$WARMUP" >/dev/null; done
    for s in $PEERS; do measure "$s" "$cell" 2s >/dev/null; done
    for r in $(seq "$ROUNDS"); do
        for s in $SERVERS; do
            echo "-- $cell round $r $s" >> "$raw"
            wait_for_foreign_wrk
            m=$(measure "$s" "$cell" "$DURATION")
            echo "$cell round $r $s: $m" | tee -a "$raw"
            runs[$cell-$s]+="${m%% *} "
            cpu[$cell-$s]+="$(echo "$m" | awk '{printf "%s/%s/%s ", $2, $3, $4}')"
            conns[$cell-$s]+="$(echo "$m" | awk '{print $5}') "
            # Requests per second of the server's own CPU: what the rate would be with a whole core, so a run that
            # other processes starved still compares (the machine is shared).
            eff[$cell-$s]+="$(echo "$m" | awk '{printf "%.0f", ($2 > 0) ? $1 * 100 / $2 : 0}') "
        done
    done
    for s in $LISOS; do
        rss=$(ps -o rss= -p "${pid[$s]}")
        echo "$cell: $s RSS $((rss / 1024)) MiB" | tee -a "$raw"
    done
    for s in $SERVERS; do stop "$s"; done
done

{
    echo "# HTTPS benchmark, JDK $jdk: Liso (native engine, JSSE) beside nginx and lighttpd"
    echo
    echo "Command: \`${JAVA_HOME:+JAVA_HOME=$JAVA_HOME }ROUNDS=$ROUNDS DURATION=$DURATION CELLS=\"$CELLS\" SERVERS=\"$SERVERS\" bench/tls.sh\` — date $date_utc."
    echo
    echo "- Machine: $(nproc) vCPU, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), Linux $(uname -r)," \
        "$(. /etc/os-release; echo "$PRETTY_NAME")."
    echo "- $("$JAVA" -version 2>&1 | sed -n 2p); Liso $(git -C "$here" describe --always --dirty)," \
        "JVM options \`$LISO_OPTS\`."
    echo "- $(nginx -v 2>&1 | sed 's/.*: //') (1 worker), $(lighttpd -v 2>&1 | awk '{print $1}'), wrk $(wrk -v 2>&1 | awk '{print $2; exit}'), $(openssl version | awk '{print "OpenSSL " $2}')."
    echo "- Servers on CPU 0 (\`taskset -c 0\`), \`taskset -c 1 wrk -t1 -c$CONNS -d$DURATION\` on CPU 1 (-c$CONNS_10M in the 10m"
    echo "  cell), GET of a 1 KiB file (a 10 MiB one in the 10m cell); the same RSA 2048 self-signed certificate"
    echo "  (\`liso cert --rsa\`); TLS 1.2 + 1.3, TLS 1.3 suites AES-128-GCM, AES-256-GCM, ChaCha20 on all; keep-alive up"
    echo "  to 10000 requests per connection on all; no access logs."
    echo "- liso: \`--tls-provider native\` (BoringSSL through Conscrypt); liso-jdk: \`--tls-provider jdk\` (JSSE)."
    [ -n "$BASE_JAR" ] && echo "- liso-base: the native engine of \`$BASE_JAR\` (the build before, in the same run)."
    echo "- Servers and wrk at \`nice -n $NICE\` (the machine is shared with other builds)."
    echo "- Liso warmed up with $WARMUP of each cell's load in a fresh JVM per cell; $ROUNDS rounds alternated $SERVERS."
    echo
    header="| cell"; line="|---"
    for s in $SERVERS; do header+=" | $s"; line+="|---"; done
    for s in $LISOS; do header+=" | $s / best peer"; line+="|---"; done
    echo "$header |"; echo "$line|"
    for cell in $CELLS; do
        row="| $cell"
        best=0
        declare -A med=()
        for s in $SERVERS; do
            m=$(echo "${runs[$cell-$s]}" | tr ' ' '\n' | grep . | median)
            sp=$(echo "${runs[$cell-$s]}" | tr ' ' '\n' | grep . | spread)
            row+=" | $(printf '%.0f' "$m") ($sp)"
            med[$s]=$m
            case $s in liso*) ;; *) best=$(awk -v a="$m" -v b="$best" 'BEGIN{print (a>b)?a:b}') ;; esac
        done
        for s in $LISOS; do row+=" | **$(awk -v a="${med[$s]}" -v b="$best" 'BEGIN{printf "%.2f", (b>0)?a/b:0}')**"; done
        echo "$row |"
    done
    echo
    echo "Requests/s (= connections/s in the resumed and full cells): median (min–max)."
    echo
    echo "The same per second of the server's own CPU time (requests/s × 100 / server CPU %): the rate each would"
    echo "have with a whole core, which a run starved by other processes on the shared machine still shows:"
    echo
    header="| cell"; line="|---"
    for s in $SERVERS; do header+=" | $s"; line+="|---"; done
    for s in $LISOS; do header+=" | $s / best peer"; line+="|---"; done
    echo "$header |"; echo "$line|"
    for cell in $CELLS; do
        row="| $cell"
        best=0
        declare -A med=()
        for s in $SERVERS; do
            m=$(echo "${eff[$cell-$s]}" | tr ' ' '\n' | grep . | median)
            row+=" | $(printf '%.0f' "$m")"
            med[$s]=$m
            case $s in liso*) ;; *) best=$(awk -v a="$m" -v b="$best" 'BEGIN{print (a>b)?a:b}') ;; esac
        done
        for s in $LISOS; do row+=" | **$(awk -v a="${med[$s]}" -v b="$best" 'BEGIN{printf "%.2f", (b>0)?a/b:0}')**"; done
        echo "$row |"
    done
    echo
    echo "CPU per run, % of one core — server / wrk / every other process on the machine (of 200 %) — and the TCP"
    echo "connections accepted per second on the machine during each run:"
    echo
    header="| cell"; line="|---"
    for s in $SERVERS; do header+=" | $s"; line+="|---"; done
    echo "$header |"; echo "$line|"
    for cell in $CELLS; do
        row="| $cell"
        for s in $SERVERS; do
            row+=" | ${cpu[$cell-$s]}· conn/s ${conns[$cell-$s]}"
        done
        echo "$row |"
    done
    echo
    echo "What was negotiated, and whether a second connection resumed (checked with \`openssl s_client -sess_out/-sess_in\`):"
    echo
    for cell in $CELLS; do
        for s in $SERVERS; do echo "- $cell, $s: ${proto[$cell-$s]:-?}; ${resumed[$cell-$s]:-?}"; done
    done
    echo
    echo "## Raw"
    echo
    echo '```'
    grep -v '^-- ' "$raw" | grep -E '^(==|keepalive|resumed|full|10m|  Socket|  Non-2xx)' || true
    echo '```'
} > "$result"
cat "$result"

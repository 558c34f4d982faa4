#!/usr/bin/env bash
# What each server keeps queued in its sockets during a 10 MiB download at -c 4, and how it feeds them: for each
# server (started by bench/large-files.sh's configs, or given as name:port:pid), while `wrk -t1 -c4` runs on CPU 1,
# samples `ss -tmi` of its connections (unsent bytes = notsent, Send-Q) and traces its sendfile/epoll calls for 1 s
# (`strace -f -e sendfile,epoll_wait,epoll_pwait`, sizes and EAGAINs), then counts its syscalls for 2 s (strace -c).
# Usage: bench/large-files-queue.sh name:port:pid ...      (servers already running and serving /10m.bin)
set -euo pipefail
out="${TMPDIR:-/tmp}/large-files-queue.$$"
mkdir -p "$out"
for npp in "$@"; do
    IFS=: read -r name port pid <<<"$npp"
    taskset -c 1 wrk -t1 -c4 -d9s "http://127.0.0.1:$port/10m.bin" >"$out/$name.wrk" 2>&1 &
    w=$!
    sleep 2
    : >"$out/$name.ss"
    for _ in 1 2 3 4 5; do
        ss -tmiHn state established "( sport = :$port )" >>"$out/$name.ss"
        sleep 0.2
    done
    timeout -s INT 1 strace -f -qq -e trace=sendfile,epoll_wait,epoll_pwait -p "$pid" -o "$out/$name.trace" || true
    timeout -s INT 2 strace -f -c -qq -p "$pid" -o "$out/$name.count" || true
    wait "$w"
    # one sample per connection: its Send-Q (first line) and notsent (ss prints none when 0)
    per=$(awk '/^[0-9]/ {if (n) print sq, ns; sq = $2; ns = 0; n = 1; next}
        {if (match($0, /notsent:[0-9]+/)) ns = substr($0, RSTART + 8, RLENGTH - 8)} END {if (n) print sq, ns}' "$out/$name.ss")
    notsent=$(echo "$per" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {if (NR) printf "median %d, max %d (%d samples)", a[int((NR+1)/2)], a[NR], NR}')
    sendq=$(echo "$per" | awk '{print $1}' | sort -n | awk '{a[NR]=$1} END {if (NR) printf "median %d, max %d", a[int((NR+1)/2)], a[NR]}')
    calls=$(grep -c 'sendfile(' "$out/$name.trace" || true)
    again=$(grep -c 'sendfile(.*EAGAIN' "$out/$name.trace" || true)
    avg=$(grep 'sendfile(' "$out/$name.trace" | grep -v EAGAIN | sed -n 's/.*= \([0-9]*\)$/\1/p' \
        | awk '{s+=$1; n++} END {if (n) printf "%d", s/n; else print 0}')
    waits=$(grep -c 'epoll_p\?wait(' "$out/$name.trace" || true)
    echo "## $name ($(awk '/Transfer\/sec/ {print $2}' "$out/$name.wrk")/s in wrk)"
    echo "- unsent bytes per connection (ss notsent): $notsent; Send-Q: $sendq"
    echo "- 1 s of strace: $calls sendfile calls ($again EAGAIN), $avg B per successful call, $waits epoll waits"
    echo "- syscalls in 2 s (strace -c, top 6):"
    awk 'NR > 2 && $NF != "total" && NF >= 5 {print}' "$out/$name.count" | sort -k4 -n -r | head -6 | sed 's/^/      /'
    echo
done
rm -rf "$out"

#!/usr/bin/env bash
# CGI cost per request of servers already running a trivial CGI at http://127.0.0.1:PORT/cgi (see bench/cgi.sh):
# per run, alternating the servers: req/s (taskset -c 1 wrk -t1 -c16), context switches per request of the server
# process (perf stat -p), its own CPU ms per request (utime+stime of its threads) and its reaped children's
# (cutime+cstime). CPU and context switches per request stay comparable on a loaded machine; req/s does not.
# Usage: bench/cgi-cost.sh SECS ROUNDS name:port:pid ...
secs=$1 rounds=$2; shift 2
hz=$(getconf CLK_TCK)
for r in $(seq $rounds); do for npp in "$@"; do
  IFS=: read -r n p pid <<<"$npp"
  read -r o0 k0 < <(awk '{print $14 + $15, $16 + $17}' /proc/$pid/stat)
  perf stat -x, -e context-switches -p $pid -o ${TMPDIR:-/tmp}/cgi-cost.cs.out -- taskset -c 1 wrk -t1 -c16 -d${secs}s http://127.0.0.1:$p/cgi > ${TMPDIR:-/tmp}/cgi-cost.cs.wrk 2>&1
  read -r o1 k1 < <(awk '{print $14 + $15, $16 + $17}' /proc/$pid/stat)
  q=$(awk '/^Requests\/sec/ {print $2}' ${TMPDIR:-/tmp}/cgi-cost.cs.wrk); reqs=$(echo "$q * $secs" | bc)
  cs=$(awk -F, '/context-switches/ {print $1}' ${TMPDIR:-/tmp}/cgi-cost.cs.out)
  printf "%-9s run %d: %7.1f req/s  cs/req %5.2f  own %.3f ms/req  children %.3f ms/req\n" $n $r $q \
    $(echo "scale=3; $cs / $reqs" | bc) $(echo "scale=4; ($o1 - $o0) * 1000 / $hz / $reqs" | bc) $(echo "scale=4; ($k1 - $k0) * 1000 / $hz / $reqs" | bc)
done; done
echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg)"

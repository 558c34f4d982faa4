-- wrk script for scripts/lb-demo.sh: counts responses by status across threads and prints one summary line,
--   wrk: sent=N answered=N failed=N statuses=200:N,503:N errors=connect:N,read:N,write:N,timeout:N p99_ms=X
-- answered: responses received; sent: those plus requests lost to a read/write error or a timeout (a connect error
-- sent nothing); failed: every request without a 2xx/3xx answer (4xx/5xx statuses and all socket errors).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local keys, bad = {}, 0
  for status, n in pairs(total) do
    table.insert(keys, status)
    if status >= 400 then bad = bad + n end
  end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do table.insert(parts, k .. ":" .. total[k]) end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  io.write(string.format("wrk: sent=%d answered=%d failed=%d statuses=%s errors=connect:%d,read:%d,write:%d,timeout:%d p99_ms=%.1f\n",
    summary.requests + e.read + e.write + e.timeout, summary.requests, bad + socket, table.concat(parts, ","), e.connect, e.read, e.write, e.timeout,
    latency:percentile(99) / 1000))
end

-- wrk script: cycles through a fixed SPARQL query mix, POSTed as
-- application/sparql-query. Usage:
--   wrk -t2 -c8 -d20s -s mix.lua http://127.0.0.1:PORT -- PATH QUERY_DIR BASE_IRI [ONLY]
-- PATH is the endpoint path (/sparql for chariot-kg, /query for oxigraph serve),
-- QUERY_DIR holds NN-name.rq files (read in name order), BASE_IRI replaces @BASE@ in
-- them, and ONLY (optional) restricts the mix to the files whose name contains it.
-- Files whose name contains "describe" or "construct" are sent with Accept: text/turtle,
-- the others with Accept: application/sparql-results+json.

local requests = {}
local n = 0
local i = 0

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local path, dir, base, only = args[1], args[2], args[3], args[4]
  assert(path and dir and base, "usage: -- PATH QUERY_DIR BASE_IRI [ONLY]")
  local listing = assert(io.popen('ls -1 "' .. dir .. '"'))
  for name in listing:lines() do
    if name:match("%.rq$") and (only == nil or only == "" or name:find(only, 1, true)) then
      local body = read_file(dir .. "/" .. name):gsub("@BASE@", function() return base end)
      local accept = "application/sparql-results+json"
      if name:find("describe", 1, true) or name:find("construct", 1, true) then
        accept = "text/turtle"
      end
      n = n + 1
      requests[n] = wrk.format("POST", path, {
        ["Content-Type"] = "application/sparql-query",
        ["Accept"] = accept,
      }, body)
    end
  end
  listing:close()
  assert(n > 0, "no .rq file in " .. dir)
  -- Start each thread at a different place in the cycle.
  i = tonumber(thread_index) or 0
end

function request()
  i = i % n + 1
  return requests[i]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.2f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f " ..
    "mean_ms=%.3f errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
